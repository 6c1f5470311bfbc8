import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { AccessPolicy } from '../access/access.policy';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { validateAs } from '../common/validation';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { IsLinkFree } from '../identity/link-free';
import { OrganisationsService } from '../organisations/organisations.service';
import { LOCALES, type Locale } from '../../workflows/localised';
import { byField, formErrors, formFields, refusalOf, type FormError } from './form-errors';
import { Pages, type PageLocals } from './pages';

/** A text field of a page's form: filled, at most `max` characters, each problem a catalogue key. */
function FilledText(max: number, missing: string, tooLong: string) {
  return (target: object, property: string) => {
    IsString({ message: missing })(target, property);
    Matches(/\S/, { message: missing })(target, property);
    MaxLength(max, { message: tooLong })(target, property);
  };
}

export class NewGroupForm {
  @FilledText(200, 'web.group.new.nameMissing', 'web.group.new.tooLong')
  @IsLinkFree({ message: 'web.group.new.nameLink' })
  name!: string;

  @FilledText(200, 'web.group.new.municipalityMissing', 'web.group.new.tooLong')
  municipality!: string;

  @FilledText(200, 'web.group.new.oblastMissing', 'web.group.new.tooLong')
  oblast!: string;
}

export class InviteForm {
  @IsEmail({}, { message: 'web.group.invite.emailInvalid' })
  @MaxLength(320, { message: 'web.group.invite.emailInvalid' })
  email!: string;

  @FilledText(200, 'web.group.invite.nameMissing', 'web.group.new.tooLong')
  @IsLinkFree({ message: 'web.group.invite.nameLink' })
  name!: string;

  @IsIn(LOCALES, { message: 'web.group.invite.localeMissing' })
  locale!: Locale;
}

/** The group pages' forms: validated like the API's bodies, but not part of the API. */
export const GROUP_FORMS = [NewGroupForm, InviteForm];

/** What a success banner on the group's page may say, by the `done` flag of the redirect to it. */
const DONE = ['created', 'invited'] as const;

/**
 * An initiative group's pages: starting one (the first thing a new member does), and the group's
 * own page with its members, its open invitations and a form to invite someone. They call the same
 * service and the same access rules as POST /groups and POST /groups/{id}/members.
 */
@ApiExcludeController()
@Controller()
export class GroupPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly organisations: OrganisationsService,
    private readonly policy: AccessPolicy,
  ) {}

  @Get('group/new')
  @Roles('applicant')
  newGroup(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(req, res, 'group-new.njk', { values: {}, problems: {} });
  }

  /** Starts the group, with the reader as its first member and its contact person. */
  @Post('group/new')
  @Roles('applicant')
  async createGroup(
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const values = formFields(body, ['name', 'municipality', 'oblast'] as const);
    try {
      await validateAs(NewGroupForm, values);
    } catch (error) {
      const errors = formErrors(error);
      return this.pages.send(req, res, 'group-new.njk', { values, errors, problems: byField(errors) }, 422);
    }
    const id = await this.organisations.createGroup(user, values);
    res.redirect(303, `/my-group/${id}?done=created`);
  }

  @Get('my-group/:id')
  async group(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const shown = DONE.find((d) => d === done) ?? null;
    await this.show(id, user, req, res, { done: shown });
  }

  /** Invites a person by address: the same answer whoever it is, within the group's daily limits. */
  @Post('my-group/:id/members')
  @Roles('applicant')
  async invite(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('group', id, user, 'POST /groups/:id/members');
    const values = formFields(body, ['email', 'name', 'locale'] as const);
    let person: InviteForm;
    try {
      person = await validateAs(InviteForm, values);
    } catch (error) {
      return this.show(id, user, req, res, { values, errors: formErrors(error) }, 422);
    }
    try {
      await this.organisations.addMember(id, user, person);
    } catch (error) {
      const { errors, status } = refusalOf(error, (res.locals as PageLocals).locale, 'email');
      return this.show(id, user, req, res, { values, errors }, status);
    }
    res.redirect(303, `/my-group/${id}?done=invited`);
  }

  /** The group's page; the invitation form only for its own members, as the API lets only them invite. */
  private async show(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    extra: { done?: string | null; values?: Record<string, string>; errors?: FormError[] },
    status = 200,
  ): Promise<void> {
    const { related } = await this.policy.see('group', id, user, 'GET /groups/:id');
    const group = await this.organisations.group(id);
    const { locale } = res.locals as PageLocals;
    const contact = group.members.find((m) => m.userId === group.contactUserId) ?? null;
    const values = extra.values ?? { locale };
    this.pages.send(
      req,
      res,
      'group.njk',
      {
        group,
        contact,
        mayInvite: related && user.role === 'applicant',
        ...extra,
        values,
        problems: byField(extra.errors),
      },
      status,
    );
  }
}
