import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AWARD_HOLDING_STATES } from '../../workflows/application.machine';
import { inLocale, type Locale } from '../../workflows/localised';
import { AccessPolicy } from '../access/access.policy';
import { DecisionBatchDto } from '../applications/dto/application.dto';
import { ScreeningService } from '../applications/screening.service';
import { APPLICATION_EVENTS } from '../applications/applications.events';
import { CALL_EVENTS } from '../calls/calls.events';
import { CallsService } from '../calls/calls.service';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { DomainError, ErrorCode } from '../common/domain-error';
import { parseAmount } from '../common/money';
import { validateAs } from '../common/validation';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { translate } from '../i18n/translate';
import { RankingService } from '../reviews/ranking.service';
import type { RankingEntry } from '../reviews/review.views';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import {
  DECIDABLE,
  decisionItems,
  differenceOf,
  lineFields,
  prefilled,
  rankingTerms,
  termsQuery,
  type Proposal,
} from './decisions-form';
import { byField, formFields, refusalOf, type FormError, type Refusal } from './form-errors';
import { Pages, type PageLocals } from './pages';

/** What the success banner on the ranking page may say, by the `done` flag of the redirect to it. */
const DONE = ['recorded', 'confirmed'] as const;

const PROPOSALS: readonly Proposal[] = ['byRank', 'optimal'];

/**
 * The ranking and the award decisions, for the programme's managers: the ranking with both funding
 * proposals side by side (GET /calls/{id}/ranking), the decisions recorded as POST
 * /calls/{id}/decisions records them, and the round closed with the call's CONFIRM_DECISIONS.
 */
@ApiExcludeController()
@Controller('manage/calls/:id')
export class DecisionPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly ranking: RankingService,
    private readonly calls: CallsService,
    private readonly screenings: ScreeningService,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
  ) {}

  /** The ranking, the two proposals side by side and the terms that change them. */
  @Get('decisions')
  @Roles('manager')
  async rankingPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: unknown,
    @Query('done') done: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const terms = await rankingTerms(query);
    const page = await this.load(id, user, res, terms.query);
    const context = {
      ...page,
      terms: terms.values,
      termsQuery: termsQuery(terms.values),
      errors: terms.errors,
      problems: byField(terms.errors),
      done: DONE.find((d) => d === done) ?? null,
    };
    this.pages.send(req, res, 'decisions-ranking.njk', context, terms.errors.length > 0 ? 422 : 200);
  }

  /** The decision form, started from a proposal (`from`) made on the terms given, or blank. */
  @Get('decisions/record')
  @Roles('manager')
  async recordPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: unknown,
    @Query('from') from: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const terms = await rankingTerms(query);
    const page = await this.load(id, user, res, terms.query);
    const proposal = PROPOSALS.find((p) => p === from) ?? null;
    const plan = proposal ? page.ranking.proposals[proposal] : null;
    const values = prefilled(page.decidable, plan);
    this.pages.send(req, res, 'decisions-record.njk', { ...page, proposal, values, problems: {} });
  }

  /**
   * The decisions, checked whole before any is sent: a line refused, or awards more than the money
   * left, and none is recorded. Then each is sent as POST /calls/{id}/decisions sends it.
   */
  @Post('decisions/record')
  @Roles('manager')
  async record(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: unknown,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.policy.act('call', id, user, 'POST /calls/:callId/decisions');
    const { locale } = res.locals as PageLocals;
    const page = await this.load(id, user, res, {});
    const form = await decisionItems(body, page.decidable, page.ranking.currency, locale);
    const show = (errors: FormError[], status: number, shown = page) =>
      this.pages.send(
        req,
        res,
        'decisions-record.njk',
        { ...shown, proposal: null, values: form.values, errors, problems: byField(errors) },
        status,
      );
    const refusal = refusalBeforeSending(body, form, page, locale);
    if (refusal) return show(refusal.errors, refusal.status);
    const dto = await validateAs(DecisionBatchDto, { items: form.items });
    const outcomes = await this.screenings.sendBatch(id, dto.items, user, APPLICATION_EVENTS);
    const refused = outcomes.filter((o) => !o.ok);
    // Refused meanwhile (another manager's award spent the money): what was recorded stays, the rest is shown.
    if (refused.length > 0)
      return show(
        refused.map((o) => ({ field: lineFields(o.applicationId).decision, key: '', text: o.error?.message ?? '' })),
        409,
        await this.load(id, user, res, {}),
      );
    res.redirect(303, `/manage/calls/${id}/decisions?done=recorded`);
  }

  /** Asks before closing the round: what is awarded, and the waiting list that becomes rejections. */
  @Get('decisions/confirm')
  @Roles('manager')
  async confirmPage(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    this.pages.send(req, res, 'decisions-confirm.njk', await this.load(id, user, res, {}));
  }

  /** The call's CONFIRM_DECISIONS, sent as POST /calls/{id}/events sends it. */
  @Post('decisions/confirm')
  @Roles('manager')
  async confirm(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    try {
      await this.resources.send(CALL_EVENTS, id, { type: 'CONFIRM_DECISIONS' }, user);
    } catch (error) {
      const { errors, status } = refusalOf(error, (res.locals as PageLocals).locale, 'confirm');
      const page = await this.load(id, user, res, {});
      return this.pages.send(req, res, 'decisions-confirm.njk', { ...page, errors, problems: byField(errors) }, status);
    }
    res.redirect(303, `/manage/calls/${id}/decisions?done=confirmed`);
  }

  /** The ranking on the terms given (as GET /calls/{id}/ranking answers it), and the call it ranks. */
  private async load(
    id: string,
    user: AuthenticatedUser,
    res: Response,
    query: Parameters<RankingService['ranking']>[2],
  ) {
    const ranking = await this.ranking.ranking(id, user, query);
    const call = await this.calls.get(id, user.role);
    const { locale } = res.locals as PageLocals;
    const entries = ranking.entries.filter((e): e is RankingEntry => !('withheld' in e));
    const names = new Map(entries.map((e) => [e.applicationId, `${e.reference} ${e.title}`]));
    const byId = new Map(entries.map((e) => [e.applicationId, e]));
    const plan = (proposal: Proposal) => {
      const view = ranking.proposals[proposal];
      return view && { ...view, entries: view.applicationIds.map((a) => byId.get(a) as RankingEntry) };
    };
    const decidable = entries.filter((e) => DECIDABLE.includes(e.state));
    return {
      call: { id, title: inLocale(call.title, locale), state: call.state, currency: call.currency },
      mayConfirm: call.allowedEvents.includes('CONFIRM_DECISIONS'),
      ranking,
      entries,
      plans: { byRank: plan('byRank'), optimal: plan('optimal') },
      difference: differenceOf(ranking, names),
      decidable,
      decided: entries
        .filter((e) => !DECIDABLE.includes(e.state))
        .map((e) => ({ ...e, awardedMinor: e.awarded === null ? null : parseAmount(e.awarded, ranking.currency) })),
      budgetMinor: ranking.proposals.byRank.totalMinor + ranking.proposals.byRank.leftMinor,
      counts: countsOf(entries),
    };
  }
}

type DecisionPage = Awaited<ReturnType<DecisionPagesController['load']>>;

/**
 * Why the posted decisions cannot all be recorded, before any is sent: a decision on an application
 * decided since the form was opened, a line the form refuses, none chosen, or awards together past
 * the money left (the machine's own refusal, worded for the whole form). Null when all can be sent.
 */
function refusalBeforeSending(
  body: unknown,
  form: Awaited<ReturnType<typeof decisionItems>>,
  page: DecisionPage,
  locale: Locale,
): Refusal | null {
  const posted = formFields(
    body,
    page.decided.map((e) => lineFields(e.applicationId).decision),
  );
  const stale = page.decided.filter((e) => posted[lineFields(e.applicationId).decision] !== '');
  if (stale.length > 0) {
    const worded = (e: RankingEntry) =>
      translate(locale, 'web.decisions.record.alreadyDecided', {
        reference: e.reference,
        state: { term: `application.state.${e.state}` },
      });
    return { errors: stale.map((e) => ({ field: 'decided', key: '', text: worded(e) })), status: 409 };
  }
  if (form.errors.length > 0) return { errors: form.errors, status: 422 };
  const first = lineFields(page.decidable[0]?.applicationId ?? '').decision;
  if (form.items.length === 0)
    return { errors: [{ field: first, key: 'web.decisions.record.nothingChosen' }], status: 422 };
  const { currency, money } = page.ranking;
  if (form.awardedMinor <= money.leftMinor) return null;
  const refusal = DomainError.because(ErrorCode.GuardFailed, [
    {
      key: 'application.withinCallBudget',
      params: {
        amount: { money: form.awardedMinor, currency },
        left: { money: Math.max(0, money.leftMinor), currency },
      },
    },
  ]);
  const awarded = form.items.find((i) => i.type === 'AWARD');
  return refusalOf(refusal, locale, lineFields(awarded?.applicationId ?? '').amount);
}

/** What confirming does: the awards it confirms, the waiting list it turns into rejections, what is still undecided. */
function countsOf(entries: RankingEntry[]) {
  const count = (states: readonly string[]) => entries.filter((e) => states.includes(e.state)).length;
  return {
    awarded: count(AWARD_HOLDING_STATES),
    waitlisted: count(['waitlisted']),
    rejected: count(['rejected']),
    undecided: count(['in_review', 'reviewed']),
  };
}
