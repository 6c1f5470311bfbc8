import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsBoolean, IsIn, IsUUID, MaxLength, IsEmail } from 'class-validator';
import { AccessPolicy } from '../access/access.policy';
import { IsText, Optional, NestedObjects } from '../common/dto';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { IsLinkFree } from '../identity/link-free';
import { INVITATION_SENT, OrganisationsService, type CommitteeView, type GroupView } from './organisations.service';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

export class CreateGroupDto {
  @IsText(200) @IsLinkFree() name!: string;
  /** The aiyl aimak. */
  @IsText(200) municipality!: string;
  @IsText(200) oblast!: string;
}

export class AddMemberDto {
  @IsEmail() @MaxLength(320) email!: string;
  /** Goes into the invitation: no web or email address. */
  @IsText(200) @IsLinkFree() name!: string;
  @Optional() @IsIn(LOCALES) locale?: Locale;
}

class CommitteeSeatDto {
  @IsUUID() userId!: string;
  @Optional() @IsBoolean() chair?: boolean;
}

export class SetCommitteeDto {
  @NestedObjects(() => CommitteeSeatDto)
  @ArrayMaxSize(50)
  members!: CommitteeSeatDto[];
}

/** Initiative groups: the applicants. Every member sees and acts on the group's applications. */
@ApiTags('groups')
@ApiBearerAuth()
@Controller('groups')
export class GroupsController {
  constructor(
    private readonly service: OrganisationsService,
    private readonly policy: AccessPolicy,
  ) {}

  /** Starts a group; its creator is the first member and the contact person. */
  @Post()
  @Roles('applicant')
  async create(@Body() dto: CreateGroupDto, @CurrentUser() user: AuthenticatedUser): Promise<GroupView> {
    return this.service.group(await this.service.createGroup(user, dto));
  }

  /** The caller's own groups. */
  @Get()
  @Roles('applicant')
  mine(@CurrentUser() user: AuthenticatedUser): Promise<GroupView[]> {
    return this.service.groupsOf(user.id);
  }

  @Get(':id')
  async show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<GroupView> {
    await this.policy.see('group', id, user, 'GET /groups/:id');
    return this.service.group(id);
  }

  /**
   * A member invites another by address: 202 and the same answer whoever the address belongs to.
   * The person becomes a member by signing in with the invitation's link; limited per group and
   * per inviting person a day (429).
   */
  @Post(':id/members')
  @Roles('applicant')
  @HttpCode(202)
  async addMember(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: AddMemberDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<typeof INVITATION_SENT> {
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
  async show(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CommitteeView> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/committee');
    return this.service.committee(callId);
  }

  /** Sets the committee: committee members of the call's programme, one of them chairing. */
  @Put()
  @Roles('manager')
  async set(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: SetCommitteeDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<CommitteeView> {
    await this.policy.act('call', callId, user, 'PUT /calls/:callId/committee');
    return this.service.setCommittee(callId, user.programmeId as string, dto.members);
  }
}
