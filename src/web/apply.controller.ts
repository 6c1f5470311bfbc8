import {
  Body,
  Controller,
  Get,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { inLocale, type Locale } from '../../workflows/localised';
import { STAKEHOLDER_GROUPS } from '../../workflows/call.machine';
import { AccessPolicy } from '../access/access.policy';
import type { ApplicationView } from '../applications/application.views';
import { APPLICATION_EVENTS } from '../applications/applications.events';
import { ApplicationsService } from '../applications/applications.service';
import { AttachmentsService, type Upload } from '../applications/attachments.service';
import { CallsService } from '../calls/calls.service';
import type { CallView } from '../calls/call.views';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { DomainError, ErrorCode, type Reason } from '../common/domain-error';
import type { FieldProblem } from '../common/validation';
import { parseAmount } from '../common/money';
import { AppConfig } from '../config/config';
import { translate } from '../i18n/translate';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import {
  TASKS,
  budgetTotals,
  parseTask,
  rowAction,
  taskOfField,
  taskStatus,
  text,
  titleProblems,
  valuesOf,
  withRowAction,
  type CallTerms,
  type FieldError,
  type FormTask,
  type Task,
} from './apply-forms';
import { Pages, type PageLocals } from './pages';

/** Whether the call's deadline has passed: its pages then say so and offer no submit. */
const isPast = (iso: string) => Date.parse(iso) <= Date.now();

/** One line of a page's error summary: already in the reader's language, linked to what fixes it. */
interface Problem {
  text: string;
  href: string;
}

const REPEATING: readonly FormTask[] = ['activities', 'budget', 'coFunding'];

/** The machine's SUBMIT conditions, and the task page that fixes each; the call's own dates fix none. */
const CONDITION_TASKS: Record<string, Task | null> = {
  'application.amountWithinMaxAward': 'budget',
  'application.budgetWithinMaxAward': 'budget',
  'application.callOpen': null,
  'application.beforeClosingTime': null,
};

/**
 * Applying for a grant: a draft started from a call's page, filled in through a task list of short
 * pages, checked, then submitted. Every save is the API's UPDATE_DRAFT and the submission its
 * SUBMIT, through the same WorkflowResources.send, so every rule of the machine applies here too.
 */
@ApiExcludeController()
@Controller()
@Roles('applicant')
export class ApplyPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly calls: CallsService,
    private readonly applications: ApplicationsService,
    private readonly attachments: AttachmentsService,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** The first question, the project's title: the draft starts with it. */
  @Get('open-calls/:callId/apply')
  async startPage(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const call = await this.callFor(callId, user);
    this.pages.send(req, res, 'apply-start.njk', this.startContext(res, call, '', []));
  }

  /**
   * The call page's Apply button posts here without a title: the page asks for it. With one, the
   * draft is started (as POST /calls/{id}/applications) and the task list follows.
   */
  @Post('open-calls/:callId/apply')
  async start(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const call = await this.callFor(callId, user);
    if (body.title === undefined)
      return this.pages.send(req, res, 'apply-start.njk', this.startContext(res, call, '', []));
    const title = text(body, 'title');
    const errors = titleProblems(title);
    if (errors.length) {
      return this.pages.send(
        req,
        res,
        'apply-start.njk',
        this.startContext(res, call, title, this.word(res, errors)),
        422,
      );
    }
    try {
      await this.policy.see('call', callId, user, 'POST /calls/:callId/applications');
      const id = await this.applications.create(callId, { title: title.trim() }, user);
      res.redirect(303, `/my-applications/${id}/tasks`);
    } catch (error) {
      const problems = this.refusal(res, error, '#title');
      this.pages.send(req, res, 'apply-start.njk', this.startContext(res, call, title, problems), 422);
    }
  }

  @Get('my-applications/:id/tasks')
  async taskList(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const draft = await this.draft(id, user, res);
    if (!draft) return;
    const terms = this.termsOf(draft.call);
    const tasks = this.tasksOf(draft.call).map((task) => ({ task, status: taskStatus(task, draft.view, terms) }));
    this.pages.send(req, res, 'apply-tasks.njk', { ...this.common(res, draft), tasks });
  }

  @Get('my-applications/:id/tasks/:task')
  async taskPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('task') task: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const known = this.taskNamed(task);
    const draft = await this.draft(id, user, res);
    if (!draft) return;
    if (known === 'attachments') return this.attachmentsPage(req, res, draft, [], 200);
    this.taskView(req, res, draft, known, valuesOf(known, draft.view), [], 200);
  }

  /** Saves the page (UPDATE_DRAFT) and goes back to the task list; `add` and `remove-N` only change the rows shown. */
  @Post('my-applications/:id/tasks/:task')
  async saveTask(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('task') task: string,
    @Body() body: Record<string, unknown>,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const known = this.taskNamed(task);
    if (known === 'attachments') throw DomainError.notFound('page', task);
    const draft = await this.draft(id, user, res);
    if (!draft) return;
    const action = rowAction(body);
    if (REPEATING.includes(known) && action.kind !== 'save') {
      return this.taskView(req, res, draft, known, { rows: withRowAction(known, body, action) }, [], 200);
    }
    const parsed = parseTask(known, body, this.termsOf(draft.call));
    if (parsed.errors.length)
      return this.taskView(req, res, draft, known, parsed.values, this.word(res, parsed.errors), 422);
    try {
      await this.resources.send(APPLICATION_EVENTS, id, { type: 'UPDATE_DRAFT', ...parsed.changes }, user);
    } catch (error) {
      return this.taskView(req, res, draft, known, parsed.values, this.refusal(res, error, `#${known}`), 422);
    }
    res.redirect(303, `/my-applications/${id}/tasks`);
  }

  /**
   * Adds a file through the API's own attachment rules and limits. The form's token rides in the
   * address: the page's middleware checks it before the multipart body is read.
   */
  @Post('my-applications/:id/attachments')
  @UseInterceptors(FileInterceptor('file'))
  async upload(
    @Param('id', new ParseUUIDPipe()) id: string,
    @UploadedFile() file: Upload | undefined,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const draft = await this.draft(id, user, res);
    if (!draft) return;
    try {
      await this.policy.act('application', id, user, 'POST /applications/:id/attachments');
      // A form sent with no file chosen has an empty part: it is no file at all.
      await this.attachments.add(id, file && file.size > 0 ? file : undefined, user);
    } catch (error) {
      return this.attachmentsPage(req, res, draft, this.refusal(res, error, '#file'), 422);
    }
    res.redirect(303, `/my-applications/${id}/tasks/attachments`);
  }

  @Post('my-applications/:id/attachments/:attachmentId/remove')
  async removeAttachment(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('attachmentId', new ParseUUIDPipe()) attachmentId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('application', id, user, 'DELETE /applications/:id/attachments/:attachmentId');
    await this.attachments.remove(id, attachmentId);
    res.redirect(303, `/my-applications/${id}/tasks/attachments`);
  }

  /** Check your answers: every answer with a link to change it, and the button that submits. */
  @Get('my-applications/:id/check')
  async check(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const draft = await this.draft(id, user, res);
    if (!draft) return;
    this.checkView(req, res, draft, [], 200);
  }

  /** SUBMIT, as POST /applications/{id}/events: a refusal's reasons are listed, each linked to the page that fixes it. */
  @Post('my-applications/:id/submit')
  async submit(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const draft = await this.draft(id, user, res);
    if (!draft) return;
    try {
      await this.resources.send(APPLICATION_EVENTS, id, { type: 'SUBMIT' }, user);
    } catch (error) {
      return this.checkView(req, res, draft, this.submitRefusal(res, error, draft), 422);
    }
    // The status page greets the group with a success banner by this flag.
    res.redirect(303, `/my-applications/${id}?done=submitted`);
  }

  private taskNamed(task: string): Task {
    if (!(TASKS as readonly string[]).includes(task)) throw DomainError.notFound('page', task.slice(0, 40));
    return task as Task;
  }

  /** The call, if it is published and the applicant may see it, as the API's create route checks. */
  private async callFor(callId: string, user: AuthenticatedUser): Promise<CallView> {
    await this.policy.see('call', callId, user, 'POST /calls/:callId/applications');
    return this.calls.get(callId, null);
  }

  /**
   * The application with its call, for a member of its group; 404 for anyone else, as the API. One
   * that is no longer a draft is not filled in here: its status page says where it is.
   */
  private async draft(
    id: string,
    user: AuthenticatedUser,
    res: Response,
  ): Promise<{ view: ApplicationView; call: CallView } | null> {
    const { related } = await this.policy.see('application', id, user, 'GET /applications/:id');
    const view = await this.applications.get(id, related ? user.role : null);
    if (view.state !== 'draft') {
      res.redirect(303, `/my-applications/${id}`);
      return null;
    }
    return { view, call: await this.calls.get(view.callId, null) };
  }

  private termsOf(call: CallView): CallTerms {
    return { questions: call.questions, municipalities: call.municipalities, currency: call.currency };
  }

  /** The eligibility questions are a task only under a call that asks any. */
  private tasksOf(call: CallView): Task[] {
    return TASKS.filter((t) => t !== 'eligibility' || call.questions.length > 0);
  }

  private locale(res: Response): Locale {
    return (res.locals as PageLocals).locale;
  }

  private word(res: Response, errors: FieldError[]): Problem[] {
    const locale = this.locale(res);
    const seen = new Set<string>();
    return errors.flatMap((e) => {
      if (seen.has(e.field)) return [];
      seen.add(e.field);
      return [{ href: `#${e.field}`, text: translate(locale, e.key) }];
    });
  }

  /**
   * A service's refusal of a page: the API's validation names its fields (`budget.0.unitCost`, the
   * page's `budget-0-unitCost`); any other refusal's sentences, in the reader's language, point at
   * `anchor`. A record not found is the error page's.
   */
  private refusal(res: Response, error: unknown, anchor: string): Problem[] {
    if (!(error instanceof DomainError) || error.code === ErrorCode.NotFound) throw error;
    const worded = error.inLocale(this.locale(res), this.config.PROGRAMME_TIME_ZONE);
    if (error.code === ErrorCode.ValidationFailed) {
      const fields = (worded.details.fields ?? []) as FieldProblem[];
      if (fields.length)
        return fields.map((f) => ({ href: `#${f.field.replace(/\./g, '-')}`, text: f.problems.join(' ') }));
    }
    const reasons = (worded.details.reasons ?? []) as { message: string }[];
    return (reasons.length ? reasons : [{ message: worded.message }]).map((r) => ({ href: anchor, text: r.message }));
  }

  /** The machine's reasons for refusing SUBMIT, each linked to the task page that fixes it. */
  private submitRefusal(res: Response, error: unknown, draft: { view: ApplicationView; call: CallView }): Problem[] {
    if (!(error instanceof DomainError) || error.code !== ErrorCode.GuardFailed)
      return this.refusal(res, error, '#submit');
    const locale = this.locale(res);
    const worded = error.inLocale(locale, this.config.PROGRAMME_TIME_ZONE);
    const reasons = (worded.details.reasons ?? []) as (Reason & { message: string })[];
    const taskHref = (task: Task) => `/my-applications/${draft.view.id}/tasks/${task}`;
    return reasons.flatMap((r) => {
      if (r.key === 'application.requiredFieldsComplete') {
        const missing = (r.params.missing as { terms: string[] } | undefined)?.terms ?? [];
        return missing.map((term) => ({
          href: taskHref(taskOfField(term.replace(/^application\.field\./, ''))),
          text: translate(locale, 'web.apply.error.missing', { field: { term } }),
        }));
      }
      const task = CONDITION_TASKS[r.key];
      return [{ href: task ? taskHref(task) : `/open-calls/${draft.call.id}`, text: r.message }];
    });
  }

  private startContext(res: Response, call: CallView, title: string, problems: Problem[]): Record<string, unknown> {
    return {
      call: {
        id: call.id,
        title: inLocale(call.title, this.locale(res)),
        closesAt: call.closesAt,
        closed: isPast(call.closesAt),
      },
      values: { title },
      problems,
      fieldErrors: this.fieldErrors(res, problems),
    };
  }

  /** The problems by field id, for the message above each field. */
  private fieldErrors(
    res: Response,
    problems: Problem[],
  ): Record<string, { text: string; visuallyHiddenText: string }> {
    const hidden = translate(this.locale(res), 'web.errorPrefix');
    return Object.fromEntries(
      problems
        .filter((p) => p.href.startsWith('#'))
        .map((p) => [p.href.slice(1), { text: p.text, visuallyHiddenText: hidden }]),
    );
  }

  /** What every page of a draft shows: its title and reference, its call, and whether the deadline has passed. */
  private common(res: Response, draft: { view: ApplicationView; call: CallView }): Record<string, unknown> {
    const { view, call } = draft;
    return {
      application: { id: view.id, reference: view.reference, title: view.title },
      call: {
        id: call.id,
        title: inLocale(call.title, this.locale(res)),
        closesAt: call.closesAt,
        closed: isPast(call.closesAt),
        maxAward: { minor: parseAmount(call.maxAward, call.currency), currency: call.currency },
      },
    };
  }

  private taskView(
    req: Request,
    res: Response,
    draft: { view: ApplicationView; call: CallView },
    task: FormTask,
    values: Record<string, unknown>,
    problems: Problem[],
    status: number,
  ): void {
    const { call } = draft;
    const locale = this.locale(res);
    const extra: Record<string, unknown> = { groups: STAKEHOLDER_GROUPS };
    if (task === 'budget') {
      const totals = budgetTotals(values.rows as Record<string, string>[], call.currency);
      extra.totals = {
        lines: totals.lines.map((minor) => (minor === null ? null : { minor, currency: call.currency })),
        total: { minor: totals.total, currency: call.currency },
      };
    }
    if (task === 'eligibility') {
      extra.questions = call.questions.map((q) => ({ id: q.id, text: inLocale(q.text, locale), required: q.required }));
    }
    if (task === 'about') extra.municipalities = call.municipalities;
    this.pages.send(
      req,
      res,
      `apply-${task}.njk`,
      { ...this.common(res, draft), task, values, problems, fieldErrors: this.fieldErrors(res, problems), ...extra },
      status,
    );
  }

  private attachmentsPage(
    req: Request,
    res: Response,
    draft: { view: ApplicationView; call: CallView },
    problems: Problem[],
    status: number,
  ): void {
    this.pages.send(
      req,
      res,
      'apply-attachments.njk',
      {
        ...this.common(res, draft),
        task: 'attachments',
        files: draft.view.attachments,
        maxMb: this.config.ATTACHMENT_MAX_MB,
        maxFiles: this.config.ATTACHMENTS_PER_APPLICATION,
        problems,
        fieldErrors: this.fieldErrors(res, problems),
      },
      status,
    );
  }

  private checkView(
    req: Request,
    res: Response,
    draft: { view: ApplicationView; call: CallView },
    problems: Problem[],
    status: number,
  ): void {
    const { view, call } = draft;
    const locale = this.locale(res);
    const money = (amount: string) => ({ minor: parseAmount(amount, view.currency), currency: view.currency });
    const p = view.proposal;
    this.pages.send(
      req,
      res,
      'apply-check.njk',
      {
        ...this.common(res, draft),
        tasks: this.tasksOf(call),
        proposal: {
          ...p,
          budget: p.budget.map((l) => ({ ...l, unitCost: money(l.unitCost), total: money(l.total) })),
          budgetTotal: money(p.budgetTotal),
          coFunding: p.coFunding.map((c) => ({ ...c, amount: money(c.amount) })),
        },
        groups: STAKEHOLDER_GROUPS,
        questions: call.questions.map((q) => ({
          id: q.id,
          text: inLocale(q.text, locale),
          answer: p.eligibilityAnswers[q.id],
        })),
        files: view.attachments,
        problems,
      },
      status,
    );
  }
}
