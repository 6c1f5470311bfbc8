import { MikroORM } from '@mikro-orm/core';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { AccessPolicy, seesRecipients } from '../access/access.policy';
import { APPLICATION_EVENTS } from '../applications/applications.events';
import { ApplicationsService } from '../applications/applications.service';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { Optional } from '../common/dto';
import { validateAs } from '../common/validation';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import type { ApplicationContext } from '../../workflows/application.machine';
import { byField, formErrors, formFields, refusalOf, type FormError } from './form-errors';
import { Pages, type PageLocals } from './pages';
import { TranchePages } from './finance/tranche-pages';
import { takesBankDetails } from './award/award-forms';

export class AnswerForm {
  @IsString({ message: 'web.status.answer.missing' })
  @Matches(/\S/, { message: 'web.status.answer.missing' })
  @MaxLength(4000, { message: 'web.status.answer.tooLong' })
  answer!: string;
}

export class WithdrawForm {
  @IsString({ message: 'web.status.withdraw.reasonMissing' })
  @Matches(/\S/, { message: 'web.status.withdraw.reasonMissing' })
  @MaxLength(2000, { message: 'web.status.reasonTooLong' })
  reason!: string;
}

export class DeclineForm {
  @Optional()
  @IsString({ message: 'web.status.reasonTooLong' })
  @MaxLength(2000, { message: 'web.status.reasonTooLong' })
  reason?: string;
}

/** The status page's forms: validated like the API's bodies, but not part of the API. */
export const STATUS_FORMS = [AnswerForm, WithdrawForm, DeclineForm];

/** What the success banner on the status page may say, by the `done` flag of the redirect to it. */
const DONE = ['submitted', 'resubmitted', 'withdrawn', 'accepted', 'declined', 'bankDetails'] as const;

/** The confirmation pages: each asks before one event that cannot be undone. */
const CONFIRM = {
  withdraw: { event: 'WITHDRAW', form: WithdrawForm, done: 'withdrawn' },
  decline: { event: 'DECLINE_AWARD', form: DeclineForm, done: 'declined' },
} as const;
type Confirmed = keyof typeof CONFIRM;

interface Extra {
  values?: Record<string, string>;
  errors?: FormError[];
  done?: string | null;
  confirm?: Confirmed;
}

/**
 * The page every email about an application links to, and what its group may do there: answer the
 * programme's questions and resubmit, withdraw, or decline an award (it is accepted on the award's page,
 * src/web/award, with the agreement and the bank account). Each action is an event
 * sent the way POST /applications/{id}/events sends it, so the access rules, the roles and every
 * guard of the machine apply; a refusal is shown in the error summary, in the reader's language.
 */
@ApiExcludeController()
@Controller('my-applications')
export class StatusPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly orm: MikroORM,
    private readonly applications: ApplicationsService,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    private readonly tranches: TranchePages,
  ) {}

  /** Its state in plain words, what the group may do now, its timeline and its emails. */
  @Get(':id')
  async status(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render('status.njk', id, user, req, res, { done: DONE.find((d) => d === done) ?? null });
  }

  /** The answers to the programme's questions, one field each, and the application submitted again. */
  @Post(':id/resubmit')
  @Roles('applicant')
  async resubmit(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { questions } = await this.context(id, user);
    const names = questions.map((_, i) => `answer-${i}`);
    const values = formFields(body, names);
    const errors: FormError[] = [];
    for (const field of names) {
      await validateAs(AnswerForm, { answer: values[field] }).catch((error: unknown) =>
        errors.push(...formErrors(error).map((e) => ({ ...e, field }))),
      );
    }
    if (errors.length > 0) return this.render('status.njk', id, user, req, res, { values, errors }, 422);
    const answers = names.map((field) => values[field]);
    await this.sendThen(id, user, req, res, { type: 'RESUBMIT', answers }, 'resubmitted', { values, field: 'actions' });
  }

  /** Asks before withdrawing: a reason is needed, and a withdrawn application cannot come back. */
  @Get(':id/withdraw')
  @Roles('applicant')
  async withdrawPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render('status-confirm.njk', id, user, req, res, { confirm: 'withdraw' });
  }

  @Post(':id/withdraw')
  @Roles('applicant')
  async withdraw(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.confirmed('withdraw', id, body, user, req, res);
  }

  /** Asks before declining an award, with a reason if the group wishes to give one. */
  @Get(':id/decline')
  @Roles('applicant')
  async declinePage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.render('status-confirm.njk', id, user, req, res, { confirm: 'decline' });
  }

  @Post(':id/decline')
  @Roles('applicant')
  async decline(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.confirmed('decline', id, body, user, req, res);
  }

  /** A confirmation page's form: its reason checked as the page words it, then its event sent. */
  private async confirmed(
    confirm: Confirmed,
    id: string,
    body: unknown,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
  ): Promise<void> {
    const { event, form, done } = CONFIRM[confirm];
    const values = formFields(body, ['reason'] as const);
    const reason = values.reason === '' && form === DeclineForm ? {} : { reason: values.reason };
    try {
      await validateAs<object>(form, reason);
    } catch (error) {
      const errors = formErrors(error);
      return this.render('status-confirm.njk', id, user, req, res, { confirm, values, errors }, 422);
    }
    await this.sendThen(id, user, req, res, { type: event, ...reason }, done, { confirm, values, field: 'reason' });
  }

  /**
   * Sends one event as the API does, then back to the status page with its banner; on a refusal
   * the page the form was on shows it, linked to `field`.
   */
  private async sendThen(
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    event: { type: string } & Record<string, unknown>,
    done: (typeof DONE)[number],
    form: { field: string; values: Record<string, string>; confirm?: Confirmed },
  ): Promise<void> {
    try {
      await this.resources.send(APPLICATION_EVENTS, id, event, user);
    } catch (error) {
      const { errors, status } = refusalOf(error, (res.locals as PageLocals).locale, form.field);
      const view = form.confirm ? 'status-confirm.njk' : 'status.njk';
      return this.render(view, id, user, req, res, { confirm: form.confirm, values: form.values, errors }, status);
    }
    res.redirect(303, `/my-applications/${id}?done=${done}`);
  }

  /**
   * What the machine holds that the page shows (the programme's questions, the award), and the
   * events the reader may send now: none for one who may only read the application.
   */
  private async context(id: string, user: AuthenticatedUser) {
    const { related } = await this.policy.see('application', id, user, 'GET /applications/:id/status');
    const loaded = await this.resources.load(this.orm.em.fork(), 'application', id);
    const context = loaded.snapshot.context as ApplicationContext;
    const { allowedEvents } = this.resources.viewOf('applications', id, loaded, related ? user.role : null);
    return {
      questions: context.questions,
      award: context.awardedMinor === null ? null : { minor: context.awardedMinor, currency: context.currency },
      allowed: Object.fromEntries(allowedEvents.map((e) => [e, true])),
    };
  }

  /** A page about the application: the status page, or a confirmation page (`confirm`). */
  private async render(
    view: 'status.njk' | 'status-confirm.njk',
    id: string,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    extra: Extra,
    code = 200,
  ): Promise<void> {
    const machine = await this.context(id, user);
    const { locale } = res.locals as PageLocals;
    const status = await this.applications.status(id, locale, seesRecipients(user.role));
    // The grant's payments, planned and paid: shown to those who see its money.
    const payments = view === 'status.njk' ? await this.tranches.forStatus(id, user) : [];
    // The award's page (agreement, bank account, acceptance): the group's, from the award while the grant runs.
    const awardPage = user.role === 'applicant' && takesBankDetails(status.state.code);
    const context = { status, ...machine, payments, awardPage, values: {}, ...extra, problems: byField(extra.errors) };
    this.pages.send(req, res, view, context, code);
  }
}
