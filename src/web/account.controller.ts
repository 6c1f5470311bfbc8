import { Body, Controller, Get, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { ApplicationListService } from '../applications/application-list.service';
import { STATUS_WORDS } from '../applications/status-words';
import type { ApplicationState } from '../../workflows/application.machine';
import type { Role } from '../../workflows/kit';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { localPath } from '../common/local-path';
import { parseAmount } from '../common/money';
import { validateAs } from '../common/validation';
import { Optional } from '../common/dto';
import { IsLinkFree } from '../identity/link-free';
import { DomainError, ErrorCode } from '../common/domain-error';
import { LoggedThrottlerGuard } from '../identity/auth.controller';
import { CurrentUser, Public, SESSION_COOKIE } from '../identity/auth.guard';
import { NEXT_COOKIE } from '../identity/session-grant';
import { SignInService } from '../identity/sign-in.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { formErrors } from './form-errors';
import { GROUP_FORMS } from './group.controller';
import { Pages, type PageLocals } from './pages';
import { STATUS_FORMS } from './status.controller';
import { COMMITTEE_FORMS } from './committee-forms';
import { REVIEW_FORMS } from './review-forms';
import { SCREENING_FORMS } from './screening-forms';
import { DECISION_FORMS } from './decisions-form';
import { MANAGE_FORMS } from './manage-forms';
import { AWARD_FORMS } from './award/award-forms';

export class SignInForm {
  @IsEmail({}, { message: 'web.signIn.emailInvalid' })
  @MaxLength(320, { message: 'web.signIn.emailInvalid' })
  email!: string;

  /** Asked of everyone, used only for an address new to the service: its account's name. */
  @Optional()
  @IsString({ message: 'web.signIn.nameInvalid' })
  @MaxLength(200, { message: 'web.signIn.nameInvalid' })
  @IsLinkFree({ message: 'web.signIn.nameInvalid' })
  name?: string;
}

export class SignInLinkQuery {
  @IsString({ message: 'web.signIn.linkInvalid' })
  @Matches(/^gwl_[A-Za-z0-9_-]{20,100}$/, { message: 'web.signIn.linkInvalid' })
  token!: string;
}

/** The forms of the pages, validated like the API's bodies but worded for a page: not part of the API. */
export const PAGE_FORMS = [
  SignInForm,
  SignInLinkQuery,
  ...GROUP_FORMS,
  ...STATUS_FORMS,
  ...MANAGE_FORMS,
  ...REVIEW_FORMS,
  ...COMMITTEE_FORMS,
  ...SCREENING_FORMS,
  ...DECISION_FORMS,
  ...AWARD_FORMS,
];

/** Where a member of staff's work starts, by role: their pages' hub. */
const STAFF_START: Record<Exclude<Role, 'applicant'>, string> = {
  manager: '/manage',
  committee: '/review',
  finance: '/finance',
};

/** Signing in and out, and a signed-in reader's home. */
@ApiExcludeController()
@Controller()
export class AccountPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly signIn: SignInService,
    private readonly organisations: OrganisationsService,
    private readonly lists: ApplicationListService,
  ) {}

  @Get('sign-in')
  @Public()
  signInPage(@Query('next') next: unknown, @Req() req: Request, @Res() res: Response): void {
    const back = localPath(next, '/home');
    if ((res.locals as PageLocals).user) return res.redirect(303, back);
    // Only a path of this site, remembered in this browser for an hour: longer than a link lasts.
    if (back !== '/home')
      res.cookie(NEXT_COOKIE, back, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 3600_000 });
    this.pages.send(req, res, 'sign-in.njk', { values: {} });
  }

  /**
   * Emails a sign-in link; the page that follows is the same whether or not the address is known.
   * Limited per address and per IP like POST /auth/login-link, so the page cannot be used to flood a mailbox.
   */
  @Post('sign-in')
  @Public()
  @UseGuards(LoggedThrottlerGuard)
  async requestLink(@Body() body: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    const field = (name: keyof SignInForm) => {
      const value = (body as Partial<SignInForm> | undefined)?.[name];
      return typeof value === 'string' ? value : '';
    };
    const values = { email: field('email'), name: field('name') };
    try {
      await validateAs(SignInForm, values);
    } catch (error) {
      return this.pages.send(req, res, 'sign-in.njk', { values, errors: formErrors(error) }, 422);
    }
    const { locale } = res.locals as PageLocals;
    await this.signIn.requestLink(values.email.trim(), req.ip, { name: values.name, locale });
    this.pages.send(req, res, 'sign-in-sent.njk', { email: values.email.trim() });
  }

  /**
   * The page a sign-in link opens: one button that signs in (POST /auth/session). Opening it changes
   * nothing, so a mail program that opens links to scan them cannot spend the link.
   */
  @Get('auth/sign-in')
  @Public()
  async signInLink(@Query() query: unknown, @Req() req: Request, @Res() res: Response): Promise<void> {
    // Whatever is wrong with the token (cut short, mangled by a mail program), the reader is told the same.
    const token = await validateAs(SignInLinkQuery, query).then(
      (valid) => valid.token,
      (error: unknown) => {
        throw DomainError.because(ErrorCode.ValidationFailed, [{ key: 'web.signIn.linkInvalid', params: {} }], {
          fields: [{ field: 'token', problems: ['web.signIn.linkInvalid'] }],
          cause: formErrors(error).map((e) => e.field),
        });
      },
    );
    // No Referer ever holds the token; the form's post still carries its Origin.
    res.setHeader('Referrer-Policy', 'strict-origin');
    this.pages.send(req, res, 'sign-in-link.njk', { token });
  }

  @Post('sign-out')
  @Public()
  async signOut(@Req() req: Request, @Res() res: Response): Promise<void> {
    const session = (req.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    if (typeof session === 'string') await this.signIn.endSession(session);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.redirect(303, '/');
  }

  /**
   * Where a reader lands after signing in: an initiative group's members see their group and
   * applications; a programme manager their dashboard, a committee member their calls, a finance
   * officer the payments waiting for them.
   */
  @Get('home')
  async home(@CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    if (user.role !== 'applicant') return res.redirect(303, STAFF_START[user.role]);
    const { locale } = res.locals as PageLocals;
    const [groups, page] = await Promise.all([this.organisations.groupsOf(user.id), this.lists.list(user)]);
    const applications = page.items.map((a) => ({
      id: a.id,
      reference: a.reference,
      title: a.title,
      state: STATUS_WORDS[a.state as ApplicationState][locale].name,
      requested: { minor: parseAmount(a.requestedAmount, a.currency), currency: a.currency },
    }));
    this.pages.send(req, res, 'home-group.njk', { groups, applications });
  }
}
