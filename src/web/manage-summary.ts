import type { EntityManager } from '@mikro-orm/core';
import { sql, type Expression } from 'kysely';
import {
  AWARD_HOLDING_STATES,
  type ApplicationContext,
  type ApplicationEventType,
  type ApplicationState,
} from '../../workflows/application.machine';
import type { CallState } from '../../workflows/call.machine';
import type { Localised } from '../../workflows/localised';
import type { ReviewState } from '../../workflows/review.machine';
import { applicationsWithInstance } from '../applications/application-queries';
import { contextBigint, db } from '../common/kysely';

// What a programme's manager needs at a glance, in three aggregate queries whatever the number of
// applications: the calls, their applications counted by what they wait for, and reviews overdue.

/** Applications waiting for the manager's screening: just in, or back with the group's answers. */
const TO_SCREEN: ApplicationState[] = ['submitted', 'more_info'];
const IN_REVIEW: ApplicationState[] = ['in_review', 'reviewed'];
const DRAFTING: ReviewState = 'draft';

export interface CallCounts {
  drafts: number;
  /** Submitted at least once, whatever happened after. */
  submitted: number;
  /** Submitted or waiting for the group's answers: the call cannot go to its committee before they are screened. */
  toScreen: number;
  /** Just in, never asked anything: waiting for the manager. */
  newlySubmitted: number;
  /** Submitted again with the answers to the manager's questions: waiting for the manager. */
  answered: number;
  inReview: number;
  awarded: number;
  /** Reviews still in draft after the call's review deadline. */
  reviewsOverdue: number;
}

export interface CallSummary {
  id: string;
  title: Localised;
  state: CallState;
  currency: string;
  budgetMinor: number;
  awardedMinor: number;
  opensAt: string;
  closesAt: string;
  reviewDueAt: string | null;
  counts: CallCounts;
}

const NO_COUNTS: CallCounts = {
  drafts: 0,
  submitted: 0,
  toScreen: 0,
  newlySubmitted: 0,
  answered: 0,
  inReview: 0,
  awarded: 0,
  reviewsOverdue: 0,
};

/** How many answers to the manager's questions an application's snapshot holds. */
const answers = (snapshot: Expression<unknown>) =>
  sql<number>`coalesce(jsonb_array_length(${snapshot}->'context'->${sql.lit('answers' satisfies keyof ApplicationContext)}), 0)`;

const iso = (at: Date | string) => new Date(at).toISOString();

/** The programme's calls (or the one call asked for), newest first, with their counts and money. */
export async function programmeCalls(
  em: EntityManager,
  programmeId: string,
  now: Date,
  callId?: string,
): Promise<CallSummary[]> {
  const k = db(em);
  let calls = k
    .selectFrom('call as c')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('call')).onRef('i.subject_id', '=', 'c.id'),
    )
    .select([
      'c.id',
      'c.title',
      'i.state',
      'c.currency',
      'c.budget_minor',
      'c.opens_at',
      'c.closes_at',
      'c.review_due_at',
    ])
    .where('c.programme_id', '=', programmeId);
  let applications = applicationsWithInstance(em)
    .select((eb) => [
      'a.call_id',
      eb.fn.countAll().filterWhere('i.state', '=', 'draft').as('drafts'),
      eb.fn
        .countAll()
        .filterWhere((f) =>
          f.exists(
            f
              .selectFrom('transition_log as l')
              .select(sql.lit(1).as('one'))
              .whereRef('l.instance_id', '=', 'i.id')
              .where('l.event_type', '=', sql.lit('SUBMIT' satisfies ApplicationEventType)),
          ),
        )
        .as('submitted'),
      eb.fn.countAll().filterWhere('i.state', 'in', TO_SCREEN).as('to_screen'),
      eb.fn
        .countAll()
        .filterWhere((f) => f.and([f('i.state', '=', 'submitted'), sql<boolean>`${answers(f.ref('i.snapshot'))} = 0`]))
        .as('newly_submitted'),
      eb.fn
        .countAll()
        .filterWhere((f) => f.and([f('i.state', '=', 'submitted'), sql<boolean>`${answers(f.ref('i.snapshot'))} > 0`]))
        .as('answered'),
      eb.fn.countAll().filterWhere('i.state', 'in', IN_REVIEW).as('in_review'),
      eb.fn.countAll().filterWhere('i.state', 'in', AWARD_HOLDING_STATES).as('awarded'),
      eb.fn
        .coalesce(
          eb.fn
            .sum(contextBigint<ApplicationContext>(eb.ref('i.snapshot'), 'awardedMinor'))
            .filterWhere('i.state', 'in', AWARD_HOLDING_STATES),
          sql.lit(0),
        )
        .as('awarded_minor'),
    ])
    .where('a.programme_id', '=', programmeId)
    .groupBy('a.call_id');
  // A review still in draft counts while its application waits for it: not once it is decided.
  let overdue = k
    .selectFrom('review as r')
    .innerJoin('call as c', 'c.id', 'r.call_id')
    .innerJoin('workflow_instance as ai', (join) =>
      join.on('ai.subject_type', '=', sql.lit('application')).onRef('ai.subject_id', '=', 'r.application_id'),
    )
    .select((eb) => ['r.call_id', eb.fn.countAll().as('overdue')])
    .where('c.programme_id', '=', programmeId)
    .where('r.state', '=', DRAFTING)
    .where('ai.state', 'in', IN_REVIEW)
    .where('c.review_due_at', '<', now)
    .groupBy('r.call_id');
  if (callId) {
    calls = calls.where('c.id', '=', callId);
    applications = applications.where('a.call_id', '=', callId);
    overdue = overdue.where('r.call_id', '=', callId);
  }
  const [callRows, countRows, overdueRows] = await Promise.all([
    calls.orderBy('c.created_at', 'desc').orderBy('c.id').execute(),
    applications.execute(),
    overdue.execute(),
  ]);
  const counts = new Map(countRows.map((r) => [r.call_id, r]));
  const late = new Map(overdueRows.map((r) => [r.call_id, Number(r.overdue)]));
  return callRows.map((c) => {
    const n = counts.get(c.id);
    return {
      id: c.id,
      title: c.title,
      state: c.state as CallState,
      currency: c.currency,
      budgetMinor: Number(c.budget_minor),
      awardedMinor: Number(n?.awarded_minor ?? 0),
      opensAt: iso(c.opens_at),
      closesAt: iso(c.closes_at),
      reviewDueAt: c.review_due_at ? iso(c.review_due_at) : null,
      counts: n
        ? {
            drafts: Number(n.drafts),
            submitted: Number(n.submitted),
            toScreen: Number(n.to_screen),
            newlySubmitted: Number(n.newly_submitted),
            answered: Number(n.answered),
            inReview: Number(n.in_review),
            awarded: Number(n.awarded),
            reviewsOverdue: late.get(c.id) ?? 0,
          }
        : { ...NO_COUNTS, reviewsOverdue: late.get(c.id) ?? 0 },
    };
  });
}

/** The programme's calls' titles, newest first: the choice of call in the applications list's filters. */
export async function programmeCallTitles(
  em: EntityManager,
  programmeId: string,
): Promise<{ id: string; title: Localised }[]> {
  return db(em)
    .selectFrom('call')
    .select(['id', 'title'])
    .where('programme_id', '=', programmeId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export interface MoneyTotal {
  currency: string;
  budgetMinor: number;
  awardedMinor: number;
  leftMinor: number;
}

/** The money of several calls added up, one total per currency (a programme may run calls in several). */
export function moneyTotals(calls: readonly CallSummary[]): MoneyTotal[] {
  const totals = new Map<string, MoneyTotal>();
  for (const c of calls) {
    if (c.state === 'cancelled' || c.state === 'draft') continue;
    const t = totals.get(c.currency) ?? { currency: c.currency, budgetMinor: 0, awardedMinor: 0, leftMinor: 0 };
    t.budgetMinor += c.budgetMinor;
    t.awardedMinor += c.awardedMinor;
    t.leftMinor = t.budgetMinor - t.awardedMinor;
    totals.set(c.currency, t);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}
