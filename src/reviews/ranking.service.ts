import { Injectable } from '@nestjs/common';
import { MikroORM, type EntityManager } from '@mikro-orm/core';
import type { ApplicationContext, ApplicationState } from '../../workflows/application.machine';
import { AWARD_HOLDING_STATES } from '../../workflows/application.machine';
import {
  comparePlans,
  planByRank,
  planOptimal,
  type Candidate,
  type Plan,
  type PlanTerms,
} from '../../workflows/award-plan';
import type { RankBy } from '../../workflows/call.machine';
import { ACTIVE_REVIEW_STATES, type ReviewContext } from '../../workflows/review.machine';
import { TIE_BREAK, applicationScores, rank, type SubmittedReview } from '../../workflows/scoring';
import { AccessPolicy } from '../access/access.policy';
import { Call } from '../calls/call.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import { formatAmount } from '../common/money';
import { contextBigint, contextJson, db } from '../common/kysely';
import { sql } from 'kysely';
import { applicationsWithInstance, firstSubmittedAt } from '../applications/application-queries';
import { REVIEWED_STATES, round2 } from './review-data';
import type { PlanView, RankingEntry, RankingView } from './review.views';
import type { AuthenticatedUser } from '../common/authenticated-user';

/** Applications whose money is no longer asked for: what an award to them held is freed. */
const GIVEN_UP: readonly string[] = ['declined', 'withdrawn'] satisfies ApplicationState[];

export interface RankingQuery {
  rankBy?: RankBy;
  minimumScore?: number;
  maxAwardsPerMunicipality?: number | null;
}

/** The call's applications from review on, and those withdrawn since: what the ranking and its money read. */
function rankedRows(em: EntityManager, callId: string) {
  return applicationsWithInstance(em)
    .innerJoin('applicant_group as g', 'g.id', 'a.group_id')
    .select((eb) => [
      'a.id',
      'a.reference',
      'a.title',
      'g.name as group_name',
      'a.municipality',
      'i.state',
      'a.requested_minor',
      contextBigint<ApplicationContext>(eb.ref('i.snapshot'), 'awardedMinor')
        .$castTo<number | string | null>()
        .as('awarded_minor'),
      firstSubmittedAt(eb.ref('i.id')).as('submitted_at'),
    ])
    .where('a.call_id', '=', callId)
    .where('i.state', 'in', [...REVIEWED_STATES, 'withdrawn' satisfies ApplicationState])
    .orderBy('a.reference')
    .$narrowType<{ state: ApplicationState }>()
    .execute();
}

/** The call's standing reviews, each with its scores as its machine holds them. */
function reviewRows(em: EntityManager, callId: string) {
  return db(em)
    .selectFrom('review as r')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('review')).onRef('i.subject_id', '=', 'r.id'),
    )
    .select((eb) => [
      'r.application_id',
      'r.reviewer_id',
      'r.state',
      contextJson<ReviewContext, 'scores'>(eb.ref('i.snapshot'), 'scores').as('scores'),
    ])
    .where('r.call_id', '=', callId)
    .where('r.state', 'in', ACTIVE_REVIEW_STATES)
    .execute();
}

type Row = Awaited<ReturnType<typeof rankedRows>>[number];

/** The committee's scores put together: the ranking, the two funding proposals, the money left. */
@Injectable()
export class RankingService {
  constructor(
    private readonly orm: MikroORM,
    private readonly policy: AccessPolicy,
  ) {}

  /**
   * For the programme's managers; for a committee member once they have submitted all their
   * reviews (and, where the chair keeps scores hidden, once every review is in). Applications a
   * member declared a conflict with show only their place.
   */
  async ranking(callId: string, user: AuthenticatedUser, query: RankingQuery): Promise<RankingView> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/ranking');
    const em = this.orm.em.fork();
    const call = await em.findOneOrFail(Call, { id: callId });
    const reviews = await reviewRows(em, callId);
    mayReadRanking(user, call, reviews);
    const rows = await rankedRows(em, callId);
    const scores = scoresOf(call, reviews);
    const rankBy = query.rankBy ?? call.rankBy;
    const ranked = rankRows(rows, scores, rankBy);
    const planTerms: PlanTerms = {
      budgetMinor: call.budgetMinor,
      minimumScore: query.minimumScore ?? call.minimumScore,
      maxPerMunicipality:
        query.maxAwardsPerMunicipality === undefined ? call.maxAwardsPerMunicipality : query.maxAwardsPerMunicipality,
    };
    const plans = proposalsFor(ranked, planTerms, call.currency);
    const money = (minor: number) => formatAmount(minor, call.currency);
    const budget = moneyOf(rows, call.budgetMinor);
    const withheld = user.role === 'committee' ? await this.conflictsOf(callId, user.id) : new Set<string>();
    const shown = new Withholding(withheld, plans.candidates, money);
    const assigned = new Map<string, number>();
    for (const r of reviews) assigned.set(r.application_id, (assigned.get(r.application_id) ?? 0) + 1);
    const proposed = { byRank: new Set(plans.byRank.applicationIds), optimal: new Set(plans.optimal?.applicationIds) };
    const waitlisted = ranked.filter((e) => e.row.state === 'waitlisted');
    return {
      callId,
      currency: call.currency,
      budget: money(call.budgetMinor),
      rankBy,
      minimumScore: planTerms.minimumScore,
      maxAwardsPerMunicipality: planTerms.maxPerMunicipality,
      disagreementThreshold: call.disagreementThreshold,
      tieBreak: TIE_BREAK,
      entries: ranked.map((e) =>
        withheld.has(e.applicationId)
          ? { rank: e.rank, withheld: true }
          : entryOf(e, scores.get(e.applicationId), assigned.get(e.applicationId) ?? 0, proposed, money),
      ),
      proposals: {
        byRank: shown.plan(plans.byRank),
        optimal: plans.optimal && shown.plan(plans.optimal),
        difference: shown.difference(plans.difference),
      },
      money: {
        awarded: money(budget.awardedMinor),
        awardedMinor: budget.awardedMinor,
        freed: money(budget.freedMinor),
        freedMinor: budget.freedMinor,
        left: money(budget.leftMinor),
        leftMinor: budget.leftMinor,
      },
      waitlist: {
        applicationIds: shown.ids(waitlisted.map((e) => e.applicationId)),
        nextFundable: shown.id(
          waitlisted.find((e) => Number(e.row.requested_minor) <= budget.leftMinor)?.applicationId,
        ),
      },
    };
  }

  private async conflictsOf(callId: string, memberId: string): Promise<Set<string>> {
    const rows = await db(this.orm.em.fork())
      .selectFrom('conflict_declaration as d')
      .innerJoin('application as a', 'a.id', 'd.application_id')
      .select('d.application_id')
      .where('a.call_id', '=', callId)
      .where('d.user_id', '=', memberId)
      .where((eb) => eb.ref('d.conflicted'))
      .execute();
    return new Set(rows.map((r) => r.application_id));
  }
}

type Scores = Map<string, ReturnType<typeof applicationScores>[number]>;
type RankedRow = ReturnType<typeof rankRows>[number];
type ReviewRow = Awaited<ReturnType<typeof reviewRows>>[number];

/** A committee member reads the ranking once their own reviews are in, and where scores are hidden, everyone's. */
function mayReadRanking(user: AuthenticatedUser, call: Call, reviews: ReviewRow[]): void {
  if (user.role !== 'manager' && user.role !== 'committee')
    throw DomainError.because(ErrorCode.Forbidden, [{ key: 'ranking.committeeAndManagers', params: {} }]);
  if (user.role !== 'committee') return;
  const outstanding = reviews.filter((r) => r.reviewer_id === user.id && r.state === 'draft').length;
  if (outstanding > 0)
    throw DomainError.because(ErrorCode.Forbidden, [
      { key: 'ranking.outstandingReviews', params: { count: outstanding } },
    ]);
  if (call.scoresHiddenUntilComplete && reviews.some((r) => r.state === 'draft'))
    throw DomainError.because(ErrorCode.Forbidden, [{ key: 'ranking.hiddenUntilComplete', params: {} }]);
}

/** Each application's score from its submitted reviews, by the call's criteria and scale. */
function scoresOf(call: Call, reviews: ReviewRow[]): Scores {
  const scored: SubmittedReview[] = reviews
    .filter((r) => r.state === 'submitted')
    .map((r) => ({ reviewerId: r.reviewer_id, applicationId: r.application_id, scores: r.scores as number[] }));
  const terms = { criteria: call.criteria, scale: call.scale };
  const options = { disagreementThreshold: call.disagreementThreshold };
  return new Map(applicationScores(scored, terms, options).map((s) => [s.applicationId, s]));
}

/** The applications in rank order by the chosen score; withdrawn ones stay in the money's account, not here. */
function rankRows(rows: Row[], scores: Scores, rankBy: RankBy) {
  return rank(
    rows
      .filter((r) => r.state !== 'withdrawn')
      .map((r) => {
        const s = scores.get(r.id);
        return {
          row: r,
          applicationId: r.id,
          score: s ? (rankBy === 'normalised' ? s.normalised : s.raw) : null,
          lowest: s?.lowest ?? null,
          submittedAt: r.submitted_at ? new Date(r.submitted_at).toISOString() : '',
        };
      }),
  );
}

/** The two funding proposals, by rank and the optimal set, and how they differ. */
function proposalsFor(ranked: RankedRow[], terms: PlanTerms, currency: string) {
  const candidates: Candidate[] = ranked
    .filter((e) => e.score !== null && !GIVEN_UP.includes(e.row.state))
    .map((e) => ({
      applicationId: e.applicationId,
      rank: e.rank,
      score: round2(e.score as number),
      amountMinor: Number(e.row.requested_minor),
      municipality: e.row.municipality,
      label: `${e.row.reference} ${e.row.title}`,
    }));
  const byRank = planByRank(candidates, terms);
  const optimal = optimalOrNull(candidates, terms);
  const difference = optimal
    ? comparePlans(byRank, optimal, candidates, currency)
    : {
        onlyByRank: [],
        onlyOptimal: [],
        explanation:
          'The optimal set could not be proven within the search limit for these amounts and scores; only the proposal by rank is shown.',
      };
  return { candidates, byRank, optimal, difference };
}

/** The call's money: held by awards, freed by those given up, and what is left of the budget. */
function moneyOf(rows: Row[], budgetMinor: number) {
  const awardOf = (r: Row) => (r.awarded_minor === null ? 0 : Number(r.awarded_minor));
  const awardedMinor = rows
    .filter((r) => AWARD_HOLDING_STATES.includes(r.state))
    .reduce((sum, r) => sum + awardOf(r), 0);
  const freedMinor = rows.filter((r) => GIVEN_UP.includes(r.state)).reduce((sum, r) => sum + awardOf(r), 0);
  return { awardedMinor, freedMinor, leftMinor: budgetMinor - awardedMinor };
}

/** One application's line of the ranking. */
function entryOf(
  e: RankedRow,
  s: ReturnType<typeof applicationScores>[number] | undefined,
  assigned: number,
  proposed: { byRank: Set<string>; optimal: Set<string> },
  money: (minor: number) => string,
): RankingEntry {
  const awarded = e.row.awarded_minor === null ? null : Number(e.row.awarded_minor);
  return {
    rank: e.rank,
    applicationId: e.applicationId,
    reference: e.row.reference,
    title: e.row.title,
    group: e.row.group_name,
    municipality: e.row.municipality,
    state: e.row.state,
    requested: money(Number(e.row.requested_minor)),
    requestedMinor: Number(e.row.requested_minor),
    awarded: awarded === null ? null : money(awarded),
    reviews: { submitted: s?.reviews ?? 0, assigned },
    rawScore: s ? round2(s.raw) : null,
    normalisedScore: s ? round2(s.normalised) : null,
    score: e.score === null ? null : round2(e.score),
    lowestReview: s ? round2(s.lowest) : null,
    spread: s ? round2(s.spread) : null,
    disagreement: s?.disagreement ?? false,
    submittedAt: e.submittedAt,
    proposedByRank: proposed.byRank.has(e.applicationId),
    proposedOptimal: proposed.optimal.has(e.applicationId),
  };
}

/** What a committee member sees of applications they declared a conflict with: their place, nothing more. */
class Withholding {
  private readonly labels: string[];

  constructor(
    private readonly withheld: Set<string>,
    candidates: Candidate[],
    private readonly money: (minor: number) => string,
  ) {
    this.labels = candidates.filter((c) => withheld.has(c.applicationId)).map((c) => c.label as string);
  }

  ids(ids: string[]): string[] {
    return ids.filter((id) => !this.withheld.has(id));
  }

  id(id: string | undefined): string | null {
    return id && !this.withheld.has(id) ? id : null;
  }

  plan(plan: Plan): PlanView {
    return {
      ...plan,
      total: this.money(plan.totalMinor),
      left: this.money(plan.leftMinor),
      applicationIds: this.ids(plan.applicationIds),
      totalScore: plan.applicationIds.some((id) => this.withheld.has(id)) ? null : plan.totalScore,
    };
  }

  /** The explanation names applications by reference and title: withheld whole if it names one withheld. */
  difference<D extends { onlyByRank: string[]; onlyOptimal: string[]; explanation: string }>(difference: D) {
    const touches =
      [...difference.onlyByRank, ...difference.onlyOptimal].some((id) => this.withheld.has(id)) ||
      this.labels.some((l) => difference.explanation.includes(l));
    if (!touches) return difference;
    return {
      onlyByRank: this.ids(difference.onlyByRank),
      onlyOptimal: this.ids(difference.onlyOptimal),
      explanation:
        'The proposals differ on an application you declared a conflict with: their difference is withheld from you.',
    };
  }
}

/** The optimal plan, or null when its exact search gives up (it throws RangeError past its limit). */
function optimalOrNull(candidates: Candidate[], terms: PlanTerms): Plan | null {
  try {
    return planOptimal(candidates, terms);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}
