import { MikroORM } from '@mikro-orm/core';
import { Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APPLICATION_STATES } from '../../workflows/application.machine';
import { CALL_STATES } from '../../workflows/call.machine';
import { inLocale, type Locale } from '../../workflows/localised';
import { AccessPolicy } from '../access/access.policy';
import { ApplicationListService, LIST_SORTS } from '../applications/application-list.service';
import { CallsService } from '../calls/calls.service';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { parseAmount } from '../common/money';
import { validateAs } from '../common/validation';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { NOTIFICATION_STATUSES } from '../notifications/notification.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { byField, formErrors, refusalOf, type FormError } from './form-errors';
import { ApplicationFilters, OutboxFilters, queryFields, statesOf, trailOf } from './manage-forms';
import { moneyTotals, programmeCallTitles, programmeCalls, type CallSummary } from './manage-summary';
import { Pages, type PageLocals } from './pages';

/** How many applications one page of the list shows. */
const PAGE_SIZE = 25;
const OUTBOX_PAGE_SIZE = 50;
/** What the success banner on the outbox may say, by the `done` flag of the redirect to it. */
const DONE = ['retried'] as const;
/** What the call page's banner may say: the deadline pages go back to it (src/web/call-deadline.controller.ts). */
const CALL_DONE = ['extended', 'closed'] as const;

const FILTER_FIELDS = ['callId', 'municipality', 'q', 'sort', 'order', 'cursor', 'back'] as const;

/** A call's summary as its pages show it: the title in the reader's language, amounts as money. */
function shownCall(c: CallSummary, locale: Locale) {
  const money = (minor: number) => ({ minor, currency: c.currency });
  return {
    ...c,
    title: inLocale(c.title, locale),
    budget: money(c.budgetMinor),
    awarded: money(c.awardedMinor),
    left: money(c.budgetMinor - c.awardedMinor),
  };
}

/**
 * A programme manager's pages: the dashboard of their programme, one call's hub with links to the
 * pages where each of its steps is done, the applications list, and the email outbox. They read
 * through the same services and the same access rules as GET /calls/{id}, GET /applications and
 * the /notifications routes; only managers of the programme reach them.
 */
@ApiExcludeController()
@Controller()
export class ManagePagesController {
  constructor(
    private readonly pages: Pages,
    private readonly orm: MikroORM,
    private readonly policy: AccessPolicy,
    private readonly calls: CallsService,
    private readonly lists: ApplicationListService,
    private readonly notifications: NotificationsService,
  ) {}

  /** The programme at a glance: its calls by state, their money, and what waits for the manager. */
  @Get('manage')
  @Roles('manager')
  async dashboard(@CurrentUser() user: AuthenticatedUser, @Req() req: Request, @Res() res: Response): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const summaries = user.programmeId ? await programmeCalls(this.orm.em.fork(), user.programmeId, new Date()) : [];
    const calls = summaries.map((c) => shownCall(c, locale));
    const byState = CALL_STATES.map((state) => ({ state, calls: calls.filter((c) => c.state === state) })).filter(
      (g) => g.calls.length > 0,
    );
    const waiting = calls.flatMap((c) =>
      [
        { what: 'toScreen', count: c.counts.newlySubmitted, href: `/manage/calls/${c.id}/screening` },
        { what: 'answered', count: c.counts.answered, href: `/manage/calls/${c.id}/screening` },
        { what: 'overdue', count: c.counts.reviewsOverdue, href: `/manage/calls/${c.id}/committee` },
      ]
        .filter((w) => w.count > 0)
        .map((w) => ({ ...w, call: c.title })),
    );
    const totals = moneyTotals(summaries).map((t) => ({
      currency: t.currency,
      budget: { minor: t.budgetMinor, currency: t.currency },
      awarded: { minor: t.awardedMinor, currency: t.currency },
      left: { minor: t.leftMinor, currency: t.currency },
    }));
    this.pages.send(req, res, 'manage-dashboard.njk', { byState, waiting, totals, callCount: calls.length });
  }

  /** One call for its manager: where it is, its dates, money and counts, and the pages for each step. */
  @Get('manage/calls/:id')
  @Roles('manager')
  async call(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    // GET /calls/{id} shows a published call to anyone; its hub, with its applications' counts and
    // money, is its programme's own, as the CSV of its applications is.
    await this.policy.act('call', id, user, 'GET /calls/:id');
    const { locale } = res.locals as PageLocals;
    const view = await this.calls.get(id, user.role);
    const [summary] = await programmeCalls(this.orm.em.fork(), user.programmeId as string, new Date(), id);
    this.pages.send(req, res, 'manage-call.njk', {
      call: shownCall(summary, locale),
      maxAward: { minor: parseAmount(view.maxAward, view.currency), currency: view.currency },
      municipalities: view.municipalities,
      done: CALL_DONE.find((d) => d === done) ?? null,
      mayExtend: view.allowedEvents.includes('EXTEND_DEADLINE'),
      mayClose: view.allowedEvents.includes('CLOSE'),
    });
  }

  /** The programme's applications, filtered, sorted and paged as GET /applications does it. */
  @Get('manage/applications')
  @Roles('manager')
  async applications(
    @Query() query: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const fields = queryFields(query, FILTER_FIELDS);
    const state = statesOf(query);
    const values = { ...fields, state: state ?? [] };
    const options = user.programmeId ? await programmeCallTitles(this.orm.em.fork(), user.programmeId) : [];
    const callTitles = new Map(options.map((c) => [c.id, inLocale(c.title, locale)]));
    const context = {
      values,
      calls: options.map((c) => ({ id: c.id, title: callTitles.get(c.id) })),
      states: APPLICATION_STATES,
      sorts: LIST_SORTS,
      problems: {},
    };
    let filters: ApplicationFilters;
    try {
      filters = await validateAs(ApplicationFilters, { ...fields, ...(state && { state }) });
    } catch (error) {
      return this.refused(req, res, 'manage-applications.njk', context, formErrors(error), 422);
    }
    let page;
    try {
      const { callId, state, municipality, q, sort, order, cursor } = filters;
      page = await this.lists.list(user, {
        callId,
        states: state,
        municipality,
        q,
        sort,
        order,
        cursor,
        limit: PAGE_SIZE,
      });
    } catch (error) {
      // A cursor from another sort, or one this list never gave out.
      const { errors, status } = refusalOf(error, locale, 'results');
      return this.refused(req, res, 'manage-applications.njk', context, errors, status === 400 ? 422 : status);
    }
    const items = page.items.map((a) => ({
      ...a,
      call: callTitles.get(a.callId) ?? '',
      requested: { minor: parseAmount(a.requestedAmount, a.currency), currency: a.currency },
    }));
    const trail = trailOf(filters.cursor, filters.back, page.nextCursor);
    this.pages.send(req, res, 'manage-applications.njk', {
      ...context,
      items,
      pagination: this.pagination(req, trail, 'cursor'),
    });
  }

  /** The emails about the programme, newest first; those that gave up can be sent again. */
  @Get('manage/outbox')
  @Roles('manager')
  async outbox(
    @Query() query: unknown,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.showOutbox(query, user, req, res, { done: DONE.find((d) => d === done) ?? null });
  }

  /** Sends a dead or failed email again, as POST /notifications/{id}/retry does. */
  @Post('manage/outbox/:id/retry')
  @Roles('manager')
  async retry(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('notification', id, user, 'POST /notifications/:id/retry');
    try {
      await this.notifications.retry(id);
    } catch (error) {
      const { errors, status } = refusalOf(error, (res.locals as PageLocals).locale, `retry-${id}`);
      return this.showOutbox({}, user, req, res, { errors }, status);
    }
    res.redirect(303, '/manage/outbox?done=retried');
  }

  private async showOutbox(
    query: unknown,
    user: AuthenticatedUser,
    req: Request,
    res: Response,
    extra: { done?: string | null; errors?: FormError[] },
    status = 200,
  ): Promise<void> {
    const { locale } = res.locals as PageLocals;
    const fields = queryFields(query, ['status', 'before', 'back'] as const);
    const context = { values: fields, statuses: NOTIFICATION_STATUSES, problems: {}, ...extra };
    let filters: OutboxFilters;
    try {
      filters = await validateAs(OutboxFilters, fields);
    } catch (error) {
      return this.refused(req, res, 'manage-outbox.njk', context, formErrors(error), 422);
    }
    let page;
    try {
      const { status: shown, before } = filters;
      page = await this.notifications.list({ status: shown, before, limit: OUTBOX_PAGE_SIZE }, user.programmeId);
    } catch (error) {
      const { errors, status: refused } = refusalOf(error, locale, 'results');
      return this.refused(req, res, 'manage-outbox.njk', context, errors, refused === 400 ? 422 : refused);
    }
    // An email not sent yet has no subject line of its own: it is shown as it renders now.
    const items = await Promise.all(
      page.items.map(async (n) =>
        n.subject ? n : { ...n, subject: (await this.notifications.get(n.id)).content.subject },
      ),
    );
    const trail = trailOf(filters.before, filters.back, page.next);
    this.pages.send(
      req,
      res,
      'manage-outbox.njk',
      {
        ...context,
        problems: byField(extra.errors),
        items,
        pagination: this.pagination(req, trail, 'before'),
      },
      status,
    );
  }

  /** A list page whose filters are refused: the form as it was sent, the problems, no rows. */
  private refused(
    req: Request,
    res: Response,
    view: string,
    context: Record<string, unknown>,
    errors: FormError[],
    status: number,
  ): void {
    // A page's place in the list has no field of its own: its problem points at the results.
    const shown = errors.map((e) =>
      e.field === 'cursor' || e.field === 'back' || e.field === 'before' ? { ...e, field: 'results' } : e,
    );
    this.pages.send(
      req,
      res,
      view,
      { ...context, errors: shown, problems: byField(shown), items: [], refusedList: true },
      status,
    );
  }

  /** GOV.UK pagination's previous and next links: the same address with the page's cursor and trail. */
  private pagination(req: Request, trail: ReturnType<typeof trailOf>, cursorName: string) {
    const href = (cursor: string | null, back: string | null) => {
      const params = new URLSearchParams();
      for (const [name, value] of new URL(req.originalUrl, 'http://page').searchParams) {
        if (name !== cursorName && name !== 'back' && name !== 'done' && value !== '') params.append(name, value);
      }
      if (cursor) params.set(cursorName, cursor);
      if (back) params.set('back', back);
      const search = params.toString();
      return `${req.path}${search ? `?${search}` : ''}`;
    };
    return {
      number: trail.number,
      previous: trail.previous && { href: href(trail.previous.cursor, trail.previous.back) },
      next: trail.next && { href: href(trail.next.cursor, trail.next.back) },
    };
  }
}
