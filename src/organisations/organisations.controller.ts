import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsIn, IsUUID, MaxLength, IsEmail } from 'class-validator';
import { AccessPolicy } from '../access/access.policy';
import { IsText, Optional, NestedObjects, type BodyExamples } from '../common/dto';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { IsLinkFree } from '../identity/link-free';
import { OrganisationsService } from './organisations.service';
import { CommitteeView, GroupView, INVITATION_SENT, InvitationSentView } from './organisation.views';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

export class CreateGroupDto {
  @IsText(200) @IsLinkFree() name!: string;
  /** The aiyl aimak. */
  @IsText(200) municipality!: string;
  @IsText(200) oblast!: string;
}

const CREATE_GROUP_EXAMPLES: BodyExamples<CreateGroupDto> = {
  villageGroup: {
    summary: 'A group of council staff, parents and the imam of one aiyl aimak',
    value: { name: 'Жазы айылынын «Таза суу» демилге тобу', municipality: 'Zhazy', oblast: 'Osh' },
  },
};

export class AddMemberDto {
  @IsEmail() @MaxLength(320) email!: string;
  /** Goes into the invitation: no web or email address. */
  @IsText(200) @IsLinkFree() name!: string;
  @Optional() @IsIn(LOCALES) locale?: Locale;
}

const ADD_MEMBER_EXAMPLES: BodyExamples<AddMemberDto> = {
  member: {
    summary: 'A member who reads Kyrgyz: the invitation is written in it',
    value: { email: 'zhyldyz.abdykadyrova@example.org', name: 'Жылдыз Абдыкадырова', locale: 'ky' },
  },
};

class CommitteeSeatDto {
  @IsUUID() userId!: string;
  @Optional() @IsBoolean() chair?: boolean;
}

export class SetCommitteeDto {
  @NestedObjects(() => CommitteeSeatDto)
  @ArrayMaxSize(50)
  members!: CommitteeSeatDto[];
}

const SET_COMMITTEE_EXAMPLES: BodyExamples<SetCommitteeDto> = {
  threeMembers: {
    summary: 'Three committee members of the programme, the first of them chairing',
    value: {
      members: [
        { userId: '9d47eccd-e2ac-432c-8fa1-3fbd6de3f4cb', chair: true },
        { userId: 'ed6d12bb-caea-453a-aa5e-c1e58d272133' },
        { userId: '6600f4dd-09f2-4e86-b684-20b658d1fee1' },
      ],
    },
  },
};

/** Initiative groups: the applicants. Every member sees and acts on the group's applications. */
@ApiTags('groups')
@ApiBearerAuth()
@Controller('groups')
export class GroupsController {
  constructor(
    private readonly service: OrganisationsService,
    private readonly policy: AccessPolicy,
  ) {}

  @Post()
  @Roles('applicant')
  @ApiOperation({
    summary: 'Start an initiative group (applicants); its creator is the first member and the contact person',
  })
  @ApiBody({ type: CreateGroupDto, examples: CREATE_GROUP_EXAMPLES })
  @ApiCreatedResponse({ type: GroupView, description: 'the new group, with its creator as its one member' })
  async create(@Body() dto: CreateGroupDto, @CurrentUser() user: AuthenticatedUser): Promise<GroupView> {
    return this.service.group(await this.service.createGroup(user, dto));
  }

  @Get()
  @Roles('applicant')
  @ApiOperation({ summary: 'The groups the caller is a member of (applicants)' })
  @ApiOkResponse({ type: [GroupView], description: 'in the order the caller joined them' })
  mine(@CurrentUser() user: AuthenticatedUser): Promise<GroupView[]> {
    return this.service.groupsOf(user.id);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One group (its members, and the managers and finance officers of a programme it applied to)',
  })
  @ApiOkResponse({ type: GroupView, description: 'the group with its members and open invitations' })
  async show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<GroupView> {
    await this.policy.see('group', id, user, 'GET /groups/:id');
    return this.service.group(id);
  }

  @Post(':id/members')
  @Roles('applicant')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Invite a person to the group by address (its members)',
    description:
      'The same answer whoever the address belongs to. The person becomes a member by signing in with the invitation’s link; invitations are limited per group and per inviting person a day (429).',
  })
  @ApiBody({ type: AddMemberDto, examples: ADD_MEMBER_EXAMPLES })
  @ApiAcceptedResponse({ type: InvitationSentView, description: 'the same answer for every address' })
  async addMember(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: AddMemberDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<InvitationSentView> {
    await this.policy.act('group', id, user, 'POST /groups/:id/members');
    await this.service.addMember(id, user, dto);
    return INVITATION_SENT;
  }
}

/** A call's grant committee. Its members' names are for the programme's staff and the committee only. */
@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls/:callId/committee')
export class CommitteeController {
  constructor(
    private readonly service: OrganisationsService,
    private readonly policy: AccessPolicy,
  ) {}

  @Get()
  @Roles('manager', 'finance', 'committee')
  @ApiOperation({
    summary: 'The call’s grant committee (the programme’s managers and finance officers, and the committee)',
  })
  @ApiOkResponse({ type: CommitteeView, description: 'its members by name, and who chairs' })
  async show(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CommitteeView> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/committee');
    return this.service.committee(callId);
  }

  @Put()
  @Roles('manager')
  @ApiOperation({
    summary:
      'Set the call’s committee (the programme’s managers): committee members of its programme, one of them chairing',
  })
  @ApiBody({ type: SetCommitteeDto, examples: SET_COMMITTEE_EXAMPLES })
  @ApiOkResponse({ type: CommitteeView, description: 'the committee as set' })
  async set(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: SetCommitteeDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CommitteeView> {
    await this.policy.act('call', callId, user, 'PUT /calls/:callId/committee');
    return this.service.setCommittee(callId, user.programmeId as string, dto.members);
  }
}
