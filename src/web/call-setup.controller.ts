import { MikroORM } from '@mikro-orm/core';
import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { STAKEHOLDER_GROUPS } from '../../workflows/call.machine';
import { inLocale, type Locale } from '../../workflows/localised';
import { AccessPolicy } from '../access/access.policy';
import { CALL_EVENTS } from '../calls/calls.events';
import { CallsService } from '../calls/calls.service';
import type { CallView } from '../calls/call.views';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { DomainError, ErrorCode, statusOf, type Reason } from '../common/domain-error';
import type { FieldProblem } from '../common/validation';
import { AppConfig } from '../config/config';
import { translate } from '../i18n/translate';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import {
  SETUP_TASKS,
  isRowTask,
  parseTask,
  rowAction,
  valuesOf,
  weightSum,
  withRowAction,
  wordedProblems,
  type SetupError,
  type SetupTask,
  type Values,
} from './call-setup-forms';
import { CONDITION_TASKS, notReady, notReadyLines, taskStatuses } from './call-setup-terms';
import { LANGUAGE_NAMES, PAGE_LOCALES, taskHints, termsOf } from './call-setup-view';
import { Pages, type PageLocals } from './pages';

/** One line of a page's error summary: already in the reader's language, linked to what fixes it. */
interface Problem {
  text: string;
  href: string;
}

/** What the setup page's success banner may say, by the `done` flag of the redirect to it. */
const DONE = ['created', 'published', 'cancelled', ...SETUP_TASKS] as const;

/** The route whose access rule every page of a call's setup applies: they are its forms. */
const EVENTS_ROUTE = 'POST /calls/:id/events';

/** A call started here has its title only: the rest are set on the task pages, and PUBLISH refuses it until then. */
function startingTerms(title: Record<string, string>, now: Date) {
  const at = now.toISOString();
  return { title, currency: 'KGS', budget: '0.00', maxAward: '0.00', opensAt: at, closesAt: at, criteria: [] };
}

/**
 * A programme manager sets up a call: started with its title, its terms filled in through a task
 * list of short pages (each an UPDATE, as POST /calls/{id}/events sends it), then published or
 * cancelled. Every page is the call's programme's managers' only, with the API's own access rule.
 */
@ApiExcludeController()
@Controller('manage/calls')
@Roles('manager')
export class CallSetupPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly orm: MikroORM,
    private readonly calls: CallsService,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Get('new')
  newCall(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(
      req,
      res,
      'setup-new.njk',
      this.withErrors(res, { values: {}, locales: PAGE_LOCALES, languageNames: LANGUAGE_NAMES }, []),
    );
  }

  /** Starts a draft with its title in the languages given, as POST /calls, in the manager's own programme. */
  @Post('new')
  async create(
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const parsed = parseTask('texts', body, this.setupTerms({ currency: 'KGS', maxAward: '0.00' }));
    const values = parsed.values;
    const show = (problems: Problem[], status: number) =>
      this.pages.send(
        req,
        res,
        'setup-new.njk',
        this.withErrors(res, { values, locales: PAGE_LOCALES, languageNames: LANGUAGE_NAMES }, problems),
        status,
      );
    if (parsed.errors.length) return show(this.word(res, parsed.errors), 422);
    try {
      const id = await this.calls.create(
        startingTerms(parsed.changes.title as Record<string, string>, new Date()),
        user,
      );
      res.redirect(303, `/manage/calls/${id}/setup?done=created`);
    } catch (error) {
      show(this.refusal(res, error, '#title-ky'), statusOf(errorCode(error)));
    }
  }

  /** The task list while the call is a draft; its terms, read-only, once it is published or cancelled. */
  @Get(':id/setup')
  async setup(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { call, missing } = await this.load(id, user);
    const locale = this.locale(res);
    const statuses = taskStatuses(missing);
    const hints = taskHints(call, locale, this.config.PROGRAMME_TIME_ZONE);
    this.pages.send(req, res, 'setup-tasks.njk', {
      ...this.common(res, call),
      done: DONE.find((d) => d === done) ?? null,
      tasks: SETUP_TASKS.map((task) => ({ task, status: statuses[task], hint: hints[task] })),
      ready: missing.length === 0,
    });
  }

  @Get(':id/setup/:task')
  async taskPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('task') task: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const known = taskNamed(task);
    const { call } = await this.load(id, user);
    if (call.state !== 'draft') return res.redirect(303, `/manage/calls/${id}/setup`);
    this.taskView(req, res, call, known, valuesOf(known, call), [], 200);
  }

  /** Saves the page (UPDATE) and goes back to the task list; `add` and `remove-N` only change the lines shown. */
  @Post(':id/setup/:task')
  async saveTask(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('task') task: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const known = taskNamed(task);
    const { call } = await this.load(id, user);
    const action = rowAction(body);
    if (isRowTask(known) && action.kind !== 'save')
      return this.taskView(req, res, call, known, { rows: withRowAction(known, body, action) }, [], 200);
    const parsed = parseTask(known, body, this.setupTerms(call));
    if (parsed.errors.length)
      return this.taskView(req, res, call, known, parsed.values, this.word(res, parsed.errors), 422);
    try {
      await this.resources.send(CALL_EVENTS, id, { type: 'UPDATE', ...parsed.changes }, user);
    } catch (error) {
      const problems = this.refusal(res, error, '#save');
      return this.taskView(req, res, call, known, parsed.values, problems, statusOf(errorCode(error)));
    }
    res.redirect(303, `/manage/calls/${id}/setup?done=${known}`);
  }

  /** Every term, with what PUBLISH would refuse now, each linked to its task page; then the button. */
  @Get(':id/publish')
  async publishPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { call, missing } = await this.load(id, user);
    if (call.state !== 'draft') return res.redirect(303, `/manage/calls/${id}/setup`);
    const locale = this.locale(res);
    const timeZone = this.config.PROGRAMME_TIME_ZONE;
    const words = notReadyLines(missing, call).map((w) => ({
      text: translate(locale, w.key, w.params, { timeZone }),
      href: taskHref(id, w.task),
    }));
    this.publishView(req, res, call, words, [], 200);
  }

  /** PUBLISH, as POST /calls/{id}/events: the machine's reasons for a refusal, each linked to the page that fixes it. */
  @Post(':id/publish')
  async publish(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.resources.send(CALL_EVENTS, id, { type: 'PUBLISH' }, user);
    } catch (error) {
      const { call } = await this.load(id, user);
      return this.publishView(req, res, call, [], this.publishRefusal(res, error, id), statusOf(errorCode(error)));
    }
    res.redirect(303, `/manage/calls/${id}/setup?done=published`);
  }

  /** Asks before cancelling: a reason is needed, and a cancelled call cannot come back. */
  @Get(':id/cancel')
  async cancelPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { call } = await this.load(id, user);
    if (!call.allowedEvents.includes('CANCEL')) return res.redirect(303, `/manage/calls/${id}/setup`);
    this.cancelView(req, res, call, { reason: '' }, [], 200);
  }

  /** CANCEL with the reason, as POST /calls/{id}/events: the call's open applications are cancelled with it. */
  @Post(':id/cancel')
  async cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { call } = await this.load(id, user);
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    const errors: SetupError[] = [];
    if (reason === '') errors.push({ field: 'reason', key: 'web.setup.cancel.reasonMissing' });
    if (reason.length > 2000) errors.push({ field: 'reason', key: 'web.setup.error.tooLong', params: { max: 2000 } });
    if (errors.length) return this.cancelView(req, res, call, { reason }, this.word(res, errors), 422);
    try {
      await this.resources.send(CALL_EVENTS, id, { type: 'CANCEL', reason }, user);
    } catch (error) {
      return this.cancelView(
        req,
        res,
        call,
        { reason },
        this.refusal(res, error, '#reason'),
        statusOf(errorCode(error)),
      );
    }
    res.redirect(303, `/manage/calls/${id}/setup?done=cancelled`);
  }

  /**
   * The call for its programme's manager, as the API's events route checks (404 when hidden, 403
   * when only readable), with what PUBLISH would refuse now when it is a draft.
   */
  private async load(id: string, user: AuthenticatedUser) {
    await this.policy.act('call', id, user, EVENTS_ROUTE);
    const call = await this.calls.get(id, user.role);
    if (call.state !== 'draft') return { call, missing: [] };
    const { snapshot } = await this.resources.load(this.orm.em.fork(), 'call', id);
    return { call, missing: notReady(snapshot, { id: user.id, role: user.role }, new Date()) };
  }

  private setupTerms(call: Pick<CallView, 'currency' | 'maxAward'>) {
    return {
      currency: call.currency,
      maxAward: call.maxAward,
      timeZone: this.config.PROGRAMME_TIME_ZONE,
      now: new Date(),
    };
  }

  private locale(res: Response): Locale {
    return (res.locals as PageLocals).locale;
  }

  /** What every page of a call's setup shows: its title, its state and its terms. */
  private common(res: Response, call: CallView): Record<string, unknown> {
    return {
      call: {
        id: call.id,
        title: inLocale(call.title, this.locale(res)),
        state: call.state,
        draft: call.state === 'draft',
      },
      terms: termsOf(call),
      groups: STAKEHOLDER_GROUPS,
      locales: PAGE_LOCALES,
      languageNames: LANGUAGE_NAMES,
      mayCancel: call.allowedEvents.includes('CANCEL'),
    };
  }

  private taskView(
    req: Request,
    res: Response,
    call: CallView,
    task: SetupTask,
    values: Values,
    problems: Problem[],
    status: number,
  ): void {
    const extra: Record<string, unknown> = {};
    if (task === 'criteria') extra.sum = weightSum(values.rows as Record<string, string>[]);
    this.pages.send(
      req,
      res,
      `setup-${task}.njk`,
      this.withErrors(res, { ...this.common(res, call), task, values, ...extra }, problems),
      status,
    );
  }

  private publishView(
    req: Request,
    res: Response,
    call: CallView,
    missing: Problem[],
    problems: Problem[],
    status: number,
  ): void {
    this.pages.send(
      req,
      res,
      'setup-publish.njk',
      this.withErrors(res, { ...this.common(res, call), missing }, problems),
      status,
    );
  }

  private cancelView(
    req: Request,
    res: Response,
    call: CallView,
    values: { reason: string },
    problems: Problem[],
    status: number,
  ): void {
    this.pages.send(
      req,
      res,
      'setup-cancel.njk',
      this.withErrors(res, { ...this.common(res, call), values }, problems),
      status,
    );
  }

  /** The page's problems for the error summary, and by field id for the message above each field. */
  private withErrors(res: Response, context: Record<string, unknown>, problems: Problem[]): Record<string, unknown> {
    const hidden = translate(this.locale(res), 'web.errorPrefix');
    const fieldErrors = Object.fromEntries(
      [...problems]
        .reverse()
        .filter((p) => p.href.startsWith('#'))
        .map((p) => [p.href.slice(1), { text: p.text, visuallyHiddenText: hidden }]),
    );
    return { ...context, problems, fieldErrors };
  }

  private word(res: Response, errors: SetupError[]): Problem[] {
    return wordedProblems(errors, this.locale(res));
  }

  /**
   * A service's or the machine's refusal of a page, in the reader's language: the API's validation
   * names its field; any other refusal's sentences point at `anchor`. A record not found is the error page's.
   */
  private refusal(res: Response, error: unknown, anchor: string): Problem[] {
    if (!(error instanceof DomainError) || error.code === ErrorCode.NotFound) throw error;
    const worded = error.inLocale(this.locale(res), this.config.PROGRAMME_TIME_ZONE);
    const fields = (worded.details.fields ?? []) as FieldProblem[];
    const reasons = (worded.details.reasons ?? []) as { message: string }[];
    if (error.code === ErrorCode.ValidationFailed && fields.length)
      return fields.map((f) => ({ href: anchor, text: f.problems.join(' ') }));
    return (reasons.length ? reasons : [{ message: worded.message }]).map((r) => ({ href: anchor, text: r.message }));
  }

  /** The machine's reasons for refusing PUBLISH, each linked to the task page that fixes it. */
  private publishRefusal(res: Response, error: unknown, id: string): Problem[] {
    if (!(error instanceof DomainError) || error.code !== ErrorCode.GuardFailed)
      return this.refusal(res, error, '#publish');
    const worded = error.inLocale(this.locale(res), this.config.PROGRAMME_TIME_ZONE);
    const reasons = (worded.details.reasons ?? []) as (Reason & { message: string })[];
    return reasons.map((r) => {
      const task = CONDITION_TASKS[r.key.replace(/^call\./, '')];
      return { href: task ? taskHref(id, task) : '#publish', text: r.message };
    });
  }
}

function taskNamed(task: string): SetupTask {
  if (!(SETUP_TASKS as readonly string[]).includes(task)) throw DomainError.notFound('page', task.slice(0, 40));
  return task as SetupTask;
}

const taskHref = (id: string, task: SetupTask) => `/manage/calls/${id}/setup/${task}`;

const errorCode = (error: unknown) => (error instanceof DomainError ? error.code : ErrorCode.Internal);
