import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import { IsEmail, IsIn, MaxLength } from 'class-validator';
import { ROLES, type Role } from '../../workflows/kit';
import { DomainError } from '../common/domain-error';
import { IsText, Optional, type BodyExamples } from '../common/dto';
import { sqlRows } from '../common/sql';
import { CurrentUser, Roles } from './auth.guard';
import { User } from './identity.entities';
import { IdentityService, STAFF_ROLES } from './identity.service';
import { SignInService } from './sign-in.service';
import { RevokedView, UserView } from './identity.views';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

export class InviteUserDto {
  @IsEmail() @MaxLength(320) email!: string;
  @IsText(200) name!: string;
  @IsIn(ROLES) role!: Role;
  @Optional() @IsIn(LOCALES) locale?: Locale;
}

const INVITE_USER_EXAMPLES: BodyExamples<InviteUserDto> = {
  committeeMember: {
    summary: 'A member of the grant committee: staff, so they join the manager’s programme',
    value: { email: 'bakyt.osmonov@example.org', name: 'Бакыт Осмонов', role: 'committee', locale: 'ru' },
  },
  applicant: {
    summary: 'A member of an initiative group, who then starts or joins the group',
    value: { email: 'aigul.toktogulova@example.org', name: 'Айгүл Токтогулова', role: 'applicant', locale: 'ky' },
  },
};

const viewOf = (u: User): UserView => ({ id: u.id, email: u.email, name: u.name, role: u.role, locale: u.locale });

/** People, for a programme's managers: invite staff and applicants, list staff, end someone's sessions. */
@ApiTags('identity')
@ApiBearerAuth()
@Controller('users')
@Roles('manager')
export class UsersController {
  constructor(
    private readonly orm: MikroORM,
    private readonly identity: IdentityService,
    private readonly signIn: SignInService,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create an account and email it an invitation to sign in (managers); staff join the manager’s programme',
  })
  @ApiBody({ type: InviteUserDto, examples: INVITE_USER_EXAMPLES })
  @ApiCreatedResponse({ type: UserView, description: 'the new account' })
  async invite(@Body() dto: InviteUserDto, @CurrentUser() manager: AuthenticatedUser): Promise<UserView> {
    return this.orm.em.fork().transactional(async (em) => {
      const programmeId = STAFF_ROLES.includes(dto.role) ? manager.programmeId : null;
      const user = await this.identity.insertUser(em, { ...dto, programmeId });
      this.signIn.queueLink(em, user, 'invitation', manager.name);
      return viewOf(user);
    });
  }

  @Get()
  @ApiOperation({ summary: 'The staff of the manager’s programme (managers)' })
  @ApiOkResponse({ type: [UserView], description: 'by name' })
  async staff(@CurrentUser() manager: AuthenticatedUser): Promise<UserView[]> {
    const users = await this.orm.em
      .fork()
      .find(User, { programmeId: manager.programmeId }, { orderBy: { name: 'asc', id: 'asc' } });
    return users.map(viewOf);
  }

  @Post(':id/sessions/revoke')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Sign a person out everywhere, sessions and API tokens alike (managers): their programme’s staff, or a member of a group that applied to it',
  })
  @ApiOkResponse({ type: RevokedView, description: 'how many sessions and API tokens were ended' })
  async revoke(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() manager: AuthenticatedUser,
  ): Promise<RevokedView> {
    const [reachable] = await sqlRows<{ ok: boolean }>(
      this.orm.em.fork(),
      `select exists (select 1 from app_user u where u.id = ? and u.programme_id = ?)
           or exists (select 1 from group_member m join application a on a.group_id = m.group_id join call c on c.id = a.call_id
                       where m.user_id = ? and c.programme_id = ?) as ok`,
      [id, manager.programmeId, id, manager.programmeId],
    );
    if (!reachable?.ok) throw DomainError.notFound('user', id);
    const { sessions, apiTokens } = await this.identity.revokeAll(id);
    return { revoked: sessions + apiTokens, sessions, apiTokens };
  }
}
