import { assertEvent, assign, setup } from 'xstate';
import { isCurrency } from './currencies';
import { anyLocale, type Localised } from './localised';
import { DEFAULT_PAYMENT_PLAN, paymentPlanProblems, type PlannedTranche } from './payment-plan';
import {
  EFFECTS,
  NO_PARAMS,
  date,
  defineWorkflow,
  filled,
  guardsFor,
  isoAtOrAfter,
  isoBefore,
  money,
  type CascadeParams,
  type Check,
  type Stamp,
  type StateMeta,
} from './kit';

export interface Criterion {
  name: string;
  description: string;
  /** Percent of the total score; the weights of a call sum to 100. */
  weight: number;
}

/** The groups of a community whose joint work the programme funds (the seed's composition rule). */
export const STAKEHOLDER_GROUPS = [
  'local_government',
  'civil_society',
  'religious_organisation',
  'youth_women',
] as const;
export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

/** A yes/no question every applicant answers; a required one must be answered yes to be eligible. */
export interface EligibilityQuestion {
  /** Stable key the answers refer to: `q1`, `registered`... */
  id: string;
  text: Localised;
  required: boolean;
}

/** A group must include members from at least `minimumGroups` of `groups`. */
export interface CompositionRule {
  minimumGroups: number;
  groups: StakeholderGroup[];
}

export interface ScoringScale {
  min: number;
  max: number;
}

export interface ReportDue {
  kind: 'interim' | 'final';
  /** ISO 8601 time. */
  dueAt: string;
}

export interface CallInput {
  title: Localised;
  description: Localised;
  /** ISO 4217 code, e.g. EUR or KGS. */
  currency: string;
  /** Integer minor units (cents, tyiyn). */
  budgetMinor: number;
  maxAwardMinor: number;
  /** ISO 8601 times. */
  opensAt: string;
  closesAt: string;
  /** Where applicants must work; empty: anywhere. */
  municipalities: string[];
  questions: EligibilityQuestion[];
  composition: CompositionRule | null;
  criteria: Criterion[];
  scale: ScoringScale;
  reviewersPerApplication: number;
  /** A payment above this needs a second finance officer's approval. */
  financeThresholdMinor: number;
  reportSchedule: ReportDue[];
  /** How its grants are paid: tranches, each a whole percentage of the award and when it may be requested. */
  paymentPlan: PlannedTranche[];
  /** How many applications one group may have under the call (withdrawn ones do not count). */
  applicationsPerGroup: number;
  /** Reviewers with reviews outstanding are reminded this many days before the review deadline. */
  reviewReminderDays: number;
  /** Which score ranks: the mean of the reviews as given, or of the reviews normalised per reviewer. */
  rankBy: RankBy;
  /** Reviews of one application spreading more than this (standard deviation, in points of 100) are flagged. */
  disagreementThreshold: number;
  /** Below this score (of 100) no application is proposed for funding. */
  minimumScore: number;
  /** At most this many awards per municipality in the funding proposals; null: no limit. */
  maxAwardsPerMunicipality: number | null;
}

export const RANK_BY = ['raw', 'normalised'] as const;
export type RankBy = (typeof RANK_BY)[number];

export interface CallContext extends CallInput {
  /** Sum of the awards confirmed with CONFIRM_DECISIONS. */
  awardedTotalMinor: number;
  cancelReason: string | null;
  /** The committee's deadline for reviews, set when review starts or later; null: none. */
  reviewDueAt: string | null;
  /** When reviewers with reviews outstanding are reminded; null once done, or with no deadline. */
  nextReminderAt: string | null;
  /** When the managers are told which reviews are missing; null once done, or with no deadline. */
  deadlineNoticeAt: string | null;
}

export type CallEvent =
  | ({ type: 'UPDATE'; changes: Partial<CallInput> } & Stamp)
  | ({ type: 'PUBLISH' } & Stamp)
  // The scheduler at opensAt, for a call published before its opening time.
  | ({ type: 'OPEN' } & Stamp)
  | ({ type: 'EXTEND_DEADLINE'; closesAt: string } & Stamp)
  // The scheduler at closesAt, or a manager closing early.
  | ({ type: 'CLOSE' } & Stamp)
  | ({ type: 'START_REVIEW'; reviewDueAt?: string; facts: { unscreenedApplications: number } } & Stamp)
  | ({ type: 'SET_REVIEW_DEADLINE'; reviewDueAt: string } & Stamp)
  // The scheduler, the reminder days before the review deadline and at it.
  | ({ type: 'REMIND_REVIEWERS' } & Stamp)
  | ({ type: 'REVIEW_DEADLINE' } & Stamp)
  | ({ type: 'CONFIRM_DECISIONS'; facts: { awardedTotalMinor: number; undecidedApplications: number } } & Stamp)
  | ({ type: 'ARCHIVE'; facts: { openGrants: number } } & Stamp)
  | ({ type: 'CANCEL'; reason: string } & Stamp);

export type CallEventType = CallEvent['type'];

export const CALL_STATES = [
  'draft',
  'scheduled',
  'open',
  'closed',
  'reviewing',
  'decided',
  'archived',
  'cancelled',
] as const;
export type CallState = (typeof CALL_STATES)[number];

// Applications still open to change when a call is cancelled.
const CANCELLABLE_APPLICATIONS = ['draft', 'submitted', 'more_info', 'eligible'];

const { check, rule, branch } = guardsFor<CallContext, CallEvent>();

const weightsOf = (criteria: Criterion[]) => criteria.reduce((sum, c) => sum + c.weight, 0);
const unique = (items: string[]) => new Set(items).size === items.length;

const PUBLISHABLE: Record<string, Check<CallContext, Extract<CallEvent, { type: 'PUBLISH' }>>> = {
  budgetPositive: (c) => Number.isInteger(c.budgetMinor) && c.budgetMinor > 0,
  maxAwardWithinBudget: (c) =>
    Number.isInteger(c.maxAwardMinor) && c.maxAwardMinor > 0 && c.maxAwardMinor <= c.budgetMinor,
  currencyKnown: (c) => isCurrency(c.currency),
  // A threshold above the largest award would exempt every tranche from the second approval.
  financeThresholdWithinMaxAward: (c) =>
    Number.isInteger(c.financeThresholdMinor) &&
    c.financeThresholdMinor > 0 &&
    c.financeThresholdMinor <= c.maxAwardMinor,
  criteriaNamedAndWeighted: (c) => c.criteria.length > 0 && c.criteria.every((k) => filled(k.name) && k.weight > 0),
  weightsSumTo100: (c) => Math.abs(weightsOf(c.criteria) - 100) < 1e-9,
  opensBeforeCloses: (c) => isoBefore(c.opensAt, c.closesAt),
  closesAfterPublishing: (c, e) => isoBefore(e.at, c.closesAt),
  titled: (c) => anyLocale(c.title),
  described: (c) => anyLocale(c.description),
  questionsWorded: (c) =>
    c.questions.every((q) => filled(q.id) && anyLocale(q.text)) && unique(c.questions.map((q) => q.id)),
  compositionAttainable: (c) =>
    c.composition === null ||
    (Number.isInteger(c.composition.minimumGroups) &&
      c.composition.minimumGroups >= 1 &&
      c.composition.minimumGroups <= new Set(c.composition.groups).size),
  scaleRising: (c) =>
    Number.isInteger(c.scale.min) && Number.isInteger(c.scale.max) && c.scale.min >= 0 && c.scale.min < c.scale.max,
  reviewersAssignable: (c) => Number.isInteger(c.reviewersPerApplication) && c.reviewersPerApplication >= 1,
  applicationsPerGroupPositive: (c) => Number.isInteger(c.applicationsPerGroup) && c.applicationsPerGroup >= 1,
  paymentPlanValid: (c) => paymentPlanProblems(c.paymentPlan).length === 0,
  reviewTermsInRange: (c) =>
    RANK_BY.includes(c.rankBy) &&
    Number.isInteger(c.reviewReminderDays) &&
    c.reviewReminderDays >= 0 &&
    c.disagreementThreshold > 0 &&
    c.disagreementThreshold <= 100 &&
    c.minimumScore >= 0 &&
    c.minimumScore <= 100 &&
    (c.maxAwardsPerMunicipality === null ||
      (Number.isInteger(c.maxAwardsPerMunicipality) && c.maxAwardsPerMunicipality >= 1)),
};

const DAY_MS = 86_400_000;

/** The review deadline and the two timers it sets: the reminder and the notice at the deadline. */
export function reviewSchedule(
  reviewDueAt: string | null,
  reminderDays: number,
): Pick<CallContext, 'reviewDueAt' | 'nextReminderAt' | 'deadlineNoticeAt'> {
  if (reviewDueAt === null) return { reviewDueAt: null, nextReminderAt: null, deadlineNoticeAt: null };
  const remindAt = new Date(new Date(reviewDueAt).getTime() - reminderDays * DAY_MS).toISOString();
  return { reviewDueAt, nextReminderAt: reminderDays > 0 ? remindAt : null, deadlineNoticeAt: reviewDueAt };
}

export const callGuards = {
  // PUBLISH opens the call at once, or schedules it when published ahead of its opening time.
  publishable: rule('PUBLISH', { when: (c, e) => !isoBefore(e.at, c.opensAt), require: PUBLISHABLE }),
  publishableAhead: rule('PUBLISH', { when: (c, e) => isoBefore(e.at, c.opensAt), require: PUBLISHABLE }),
  openingTimeReached: check('OPEN', (c, e) => isoAtOrAfter(e.at, c.opensAt)),
  closesLater: check('EXTEND_DEADLINE', (c, e) => isoBefore(c.closesAt, e.closesAt)),
  closedEarlyByManager: branch('CLOSE', (_, e) => e.actor.role === 'manager'),
  closingTimeReached: check('CLOSE', (c, e) => isoAtOrAfter(e.at, c.closesAt)),
  reviewStartable: rule('START_REVIEW', {
    require: {
      allApplicationsScreened: (_, e) => e.facts.unscreenedApplications === 0,
      reviewDeadlineAhead: (_, e) => e.reviewDueAt === undefined || isoBefore(e.at, e.reviewDueAt),
    },
  }),
  reviewDeadlineAhead: check('SET_REVIEW_DEADLINE', (_, e) => isoBefore(e.at, e.reviewDueAt)),
  reminderTimeReached: check(
    'REMIND_REVIEWERS',
    (c, e) => c.nextReminderAt !== null && isoAtOrAfter(e.at, c.nextReminderAt),
  ),
  deadlineReached: check(
    'REVIEW_DEADLINE',
    (c, e) => c.deadlineNoticeAt !== null && isoAtOrAfter(e.at, c.deadlineNoticeAt),
  ),
  decisionsConfirmable: rule('CONFIRM_DECISIONS', {
    require: {
      awardsWithinBudget: (c, e) => e.facts.awardedTotalMinor <= c.budgetMinor,
      everyApplicationDecided: (_, e) => e.facts.undecidedApplications === 0,
    },
  }),
  everyGrantClosed: check('ARCHIVE', (_, e) => e.facts.openGrants === 0),
  reasonGiven: check('CANCEL', (_, e) => filled(e.reason)),
};

const cascade = (params: CascadeParams) => ({ type: 'cascade', params }) as const;

const cancelCall = {
  guard: 'reasonGiven',
  target: 'cancelled',
  actions: [
    'recordCancelReason',
    {
      type: 'cascade',
      params: ({ context }: { context: CallContext }): CascadeParams => ({
        target: 'children',
        machine: 'application',
        inStates: CANCELLABLE_APPLICATIONS,
        event: { type: 'CALL_CANCELLED', reason: context.cancelReason ?? '' },
      }),
    },
  ],
} as const;

export const callMachine = setup({
  types: {
    context: {} as CallContext,
    events: {} as CallEvent,
    input: {} as CallInput,
    meta: {} as StateMeta,
  },
  guards: callGuards,
  actions: {
    ...EFFECTS,
    applyChanges: assign(({ event }) => {
      assertEvent(event, 'UPDATE');
      return Object.fromEntries(Object.entries(event.changes).filter(([, value]) => value !== undefined));
    }),
    extendDeadline: assign(({ event }) => {
      assertEvent(event, 'EXTEND_DEADLINE');
      return { closesAt: event.closesAt };
    }),
    recordAwardedTotal: assign(({ event }) => {
      assertEvent(event, 'CONFIRM_DECISIONS');
      return { awardedTotalMinor: event.facts.awardedTotalMinor };
    }),
    scheduleReviews: assign(({ context, event }) => {
      assertEvent(event, ['START_REVIEW', 'SET_REVIEW_DEADLINE']);
      return reviewSchedule(event.reviewDueAt ?? null, context.reviewReminderDays);
    }),
    recordReminderSent: assign({ nextReminderAt: null }),
    recordDeadlinePassed: assign({ deadlineNoticeAt: null, nextReminderAt: null }),
    recordCancelReason: assign(({ event }) => {
      assertEvent(event, 'CANCEL');
      return { cancelReason: event.reason };
    }),
  },
}).createMachine({
  id: 'call',
  initial: 'draft',
  context: ({ input }) => ({
    ...input,
    awardedTotalMinor: 0,
    cancelReason: null,
    reviewDueAt: null,
    nextReminderAt: null,
    deadlineNoticeAt: null,
  }),
  states: {
    draft: {
      meta: { publicName: 'being prepared' },
      on: {
        UPDATE: { actions: 'applyChanges' },
        PUBLISH: [
          { guard: 'publishable', target: 'open' },
          { guard: 'publishableAhead', target: 'scheduled' },
        ],
        CANCEL: cancelCall,
      },
    },
    scheduled: {
      meta: { publicName: 'opening soon', timers: [{ event: 'OPEN', at: 'opensAt' }] },
      on: {
        OPEN: { guard: 'openingTimeReached', target: 'open' },
        CANCEL: cancelCall,
      },
    },
    open: {
      meta: { publicName: 'open for proposals', timers: [{ event: 'CLOSE', at: 'closesAt' }] },
      on: {
        EXTEND_DEADLINE: {
          guard: 'closesLater',
          actions: 'extendDeadline',
        },
        // A timer armed for an earlier deadline may still fire after an extension: it must not close.
        CLOSE: [
          { guard: 'closedEarlyByManager', target: 'closed' },
          { guard: 'closingTimeReached', target: 'closed' },
        ],
        CANCEL: cancelCall,
      },
    },
    closed: {
      meta: { publicName: 'closed' },
      on: {
        START_REVIEW: {
          guard: 'reviewStartable',
          target: 'reviewing',
          actions: [
            'scheduleReviews',
            cascade({
              target: 'children',
              machine: 'application',
              inStates: ['eligible'],
              event: { type: 'REVIEW_STARTED' },
            }),
          ],
        },
      },
    },
    reviewing: {
      meta: {
        publicName: 'with the committee',
        timers: [
          { event: 'REMIND_REVIEWERS', at: 'nextReminderAt' },
          { event: 'REVIEW_DEADLINE', at: 'deadlineNoticeAt' },
        ],
      },
      on: {
        SET_REVIEW_DEADLINE: { guard: 'reviewDeadlineAhead', actions: 'scheduleReviews' },
        REMIND_REVIEWERS: { guard: 'reminderTimeReached', actions: 'recordReminderSent' },
        REVIEW_DEADLINE: { guard: 'deadlineReached', actions: 'recordDeadlinePassed' },
        CONFIRM_DECISIONS: {
          guard: 'decisionsConfirmable',
          target: 'decided',
          actions: [
            'recordAwardedTotal',
            cascade({
              target: 'children',
              machine: 'application',
              inStates: ['waitlisted'],
              event: { type: 'DECISIONS_CONFIRMED' },
            }),
          ],
        },
      },
    },
    decided: {
      meta: { publicName: 'decisions made' },
      on: {
        ARCHIVE: { guard: 'everyGrantClosed', target: 'archived' },
      },
    },
    archived: {
      type: 'final',
      meta: { publicName: 'archived' },
    },
    cancelled: {
      type: 'final',
      meta: { publicName: 'cancelled' },
    },
  },
});

/** Version 1 held an English title and weighted criteria only: the rest takes the defaults of a new call. */
function fullTerms(snapshot: Record<string, unknown>): Record<string, unknown> {
  const context = snapshot.context as Record<string, unknown> & {
    title: string;
    maxAwardMinor: number;
    criteria: { name: string; weight: number }[];
  };
  return {
    ...snapshot,
    context: {
      ...context,
      title: { en: context.title },
      description: {},
      municipalities: [],
      questions: [],
      composition: null,
      criteria: context.criteria.map((c) => ({ ...c, description: '' })),
      scale: { min: 0, max: 5 },
      reviewersPerApplication: 3,
      financeThresholdMinor: context.maxAwardMinor,
      reportSchedule: [],
      applicationsPerGroup: 1,
    },
  };
}

/** Version 2 had no review terms: a review with no deadline, ranked by the scores as given. */
function reviewTerms(snapshot: Record<string, unknown>): Record<string, unknown> {
  return {
    ...snapshot,
    context: {
      ...(snapshot.context as Record<string, unknown>),
      ...REVIEW_DEFAULTS,
      reviewDueAt: null,
      nextReminderAt: null,
      deadlineNoticeAt: null,
    },
  };
}

/** Version 3 had no payment plan: its grants are paid in one tranche, on acceptance. */
function paymentPlans(snapshot: Record<string, unknown>): Record<string, unknown> {
  return {
    ...snapshot,
    context: { ...(snapshot.context as Record<string, unknown>), paymentPlan: [...DEFAULT_PAYMENT_PLAN] },
  };
}

/** The review terms of a call that does not set them. */
export const REVIEW_DEFAULTS: Pick<
  CallInput,
  'reviewReminderDays' | 'rankBy' | 'disagreementThreshold' | 'minimumScore' | 'maxAwardsPerMunicipality'
> = {
  reviewReminderDays: 3,
  rankBy: 'raw',
  disagreementThreshold: 15,
  minimumScore: 0,
  maxAwardsPerMunicipality: null,
};

export const callWorkflow = defineWorkflow({
  id: 'call',
  version: 4,
  machine: callMachine,
  senders: {
    UPDATE: ['manager'],
    PUBLISH: ['manager'],
    EXTEND_DEADLINE: ['manager'],
    CLOSE: ['manager'],
    START_REVIEW: ['manager'],
    SET_REVIEW_DEADLINE: ['manager'],
    CONFIRM_DECISIONS: ['manager'],
    ARCHIVE: ['manager'],
    CANCEL: ['manager'],
  },
  migrations: { 1: fullTerms, 2: reviewTerms, 3: paymentPlans },
  explanations: {
    budgetPositive: NO_PARAMS,
    maxAwardWithinBudget: (c: CallContext) => ({
      maxAward: money(c.maxAwardMinor, c.currency),
      budget: money(c.budgetMinor, c.currency),
    }),
    currencyKnown: (c: CallContext) => ({ currency: c.currency }),
    financeThresholdWithinMaxAward: (c: CallContext) => ({
      threshold: money(c.financeThresholdMinor, c.currency),
      maxAward: money(c.maxAwardMinor, c.currency),
    }),
    criteriaNamedAndWeighted: (c: CallContext) => ({ count: c.criteria.length }),
    weightsSumTo100: (c: CallContext) => ({ sum: weightsOf(c.criteria) }),
    opensBeforeCloses: (c: CallContext) => ({ opensAt: date(c.opensAt), closesAt: date(c.closesAt) }),
    closesAfterPublishing: (c: CallContext) => ({ closesAt: date(c.closesAt) }),
    titled: NO_PARAMS,
    described: NO_PARAMS,
    questionsWorded: (c: CallContext) => ({ count: c.questions.length }),
    compositionAttainable: (c: CallContext) => ({
      minimum: c.composition?.minimumGroups ?? 0,
      groups: new Set(c.composition?.groups ?? []).size,
    }),
    scaleRising: (c: CallContext) => ({ min: c.scale.min, max: c.scale.max }),
    reviewersAssignable: (c: CallContext) => ({ count: c.reviewersPerApplication }),
    applicationsPerGroupPositive: (c: CallContext) => ({ count: c.applicationsPerGroup }),
    paymentPlanValid: (c: CallContext) => ({
      problems: { terms: paymentPlanProblems(c.paymentPlan).map((p) => `call.paymentPlan.${p}`) },
    }),
    reviewTermsInRange: NO_PARAMS,
    publishable: NO_PARAMS,
    publishableAhead: NO_PARAMS,
    openingTimeReached: (c: CallContext) => ({ opensAt: date(c.opensAt) }),
    closesLater: (c: CallContext, e: { closesAt: string }) => ({
      closesAt: date(c.closesAt),
      requested: date(e.closesAt),
    }),
    closedEarlyByManager: NO_PARAMS,
    closingTimeReached: (c: CallContext) => ({ closesAt: date(c.closesAt) }),
    allApplicationsScreened: (_: CallContext, e: { facts: { unscreenedApplications: number } }) => ({
      count: e.facts.unscreenedApplications,
    }),
    reviewDeadlineAhead: (_: CallContext, e: { reviewDueAt?: string }) => ({ reviewDueAt: date(e.reviewDueAt) }),
    reminderTimeReached: (c: CallContext) => ({ remindAt: date(c.nextReminderAt) }),
    deadlineReached: (c: CallContext) => ({ reviewDueAt: date(c.deadlineNoticeAt) }),
    awardsWithinBudget: (c: CallContext, e: { facts: { awardedTotalMinor: number } }) => ({
      awarded: money(e.facts.awardedTotalMinor, c.currency),
      budget: money(c.budgetMinor, c.currency),
    }),
    everyApplicationDecided: (_: CallContext, e: { facts: { undecidedApplications: number } }) => ({
      count: e.facts.undecidedApplications,
    }),
    everyGrantClosed: (_: CallContext, e: { facts: { openGrants: number } }) => ({ count: e.facts.openGrants }),
    reasonGiven: NO_PARAMS,
  },
});
