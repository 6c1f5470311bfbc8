import { assertEvent, assign, setup } from 'xstate';
import type { CallState, EligibilityQuestion } from './call.machine';
import { isCurrency, paymentUnitMinor } from './currencies';
import { UNPAID_TRANCHE_STATES, type DisbursementInput } from './disbursement.machine';
import {
  EFFECTS,
  NO_PARAMS,
  date,
  defineWorkflow,
  filled,
  guardsFor,
  isoBefore,
  money,
  type CascadeParams,
  type Stamp,
  type StartParams,
  type StateMeta,
} from './kit';
import { REAPPROVAL_STATES } from './bank-details';
import type { Locale } from './localised';
import { splitAward, type PlannedTranche } from './payment-plan';
import { EMPTY_PROPOSAL, budgetTotalMinor, missingFields, type Proposal } from './proposal';

export interface ApplicationInput {
  callId: string;
  groupId: string;
  title: string;
  currency: string;
  /** The call's maximum award: its terms do not change once it is published. */
  maxAwardMinor: number;
  proposal: Proposal;
}

export interface ApplicationContext extends ApplicationInput {
  /** What the group asks for: the total of its budget, in integer minor units of the call's currency. */
  requestedMinor: number;
  /** Open questions from the last REQUEST_INFO, and the applicant's answers. */
  questions: string[];
  answers: string[];
  awardedMinor: number | null;
  /** The reason given with the last refusal, withdrawal, termination or cancellation. */
  reason: string | null;
}

/** Fields of the proposal replaced by an edit; the budget total follows from the budget. */
export type DraftChanges = { title?: string } & Partial<Proposal>;

export interface SubmitFacts {
  callState: CallState;
  callClosesAt: string;
  /** When the call was closed (its CLOSE, by its timer or its manager); null while it has not been. */
  callClosedAt: string | null;
  /** The call's eligibility questions: each must be answered. */
  questions: EligibilityQuestion[];
}

/** What accepting an award starts the grant's tranches from: the call's plan and threshold, read when it arrives. */
export interface AcceptFacts {
  /** The application the tranches pay: the instance's subject. */
  applicationId: string;
  paymentPlan: PlannedTranche[];
  financeThresholdMinor: number;
  /** Whether the group has given the account the grant is paid into. */
  bankDetailsGiven: boolean;
  /**
   * SHA-256 (hex) of the agreement as served in each language when it is accepted: the log row
   * carries it, so what was accepted can be proven later against the document.
   */
  agreementSha256: Record<Locale, string>;
}

export interface CloseFacts {
  finalReportAccepted: boolean;
  /** Tranches neither paid nor cancelled. */
  unsettledTranches: number;
  unspentReconciled: boolean;
  /** What the grant's paid tranches hold: the part of the award the closure keeps, the rest is freed. */
  paidMinor: number;
}

/** What ending a grant early reads: the part of the award already paid stays, the rest is freed. */
export interface TerminateFacts {
  paidMinor: number;
}

export type ApplicationEvent =
  | ({ type: 'UPDATE_DRAFT'; changes: DraftChanges } & Stamp)
  | ({ type: 'SUBMIT'; facts: SubmitFacts } & Stamp)
  | ({ type: 'REQUEST_INFO'; questions: string[] } & Stamp)
  | ({ type: 'RESUBMIT'; answers: string[] } & Stamp)
  | ({ type: 'SCREEN'; decision: 'eligible' | 'ineligible'; reason?: string } & Stamp)
  | ({ type: 'REVIEW_STARTED' } & Stamp)
  // The last of its reviews submitted (the count checks it), or one of them open again.
  | ({ type: 'REVIEW_SUBMITTED'; facts: { outstandingReviews: number } } & Stamp)
  | ({ type: 'REVIEW_PENDING' } & Stamp)
  // Less than requested only with a reason.
  | ({ type: 'AWARD'; amountMinor: number; reason?: string; facts: { budgetLeftMinor: number } } & Stamp)
  // `reason`: the committee's summary, if the manager writes one.
  | ({ type: 'REJECT'; reason?: string } & Stamp)
  | ({ type: 'WAITLIST' } & Stamp)
  | ({ type: 'DECISIONS_CONFIRMED' } & Stamp)
  | ({ type: 'ACCEPT_AWARD'; facts: AcceptFacts } & Stamp)
  | ({ type: 'DECLINE_AWARD'; reason?: string } & Stamp)
  // The group's new bank account once the grant runs: sent by PUT /applications/{id}/bank-details.
  | ({ type: 'CHANGE_BANK_DETAILS'; reason: string } & Stamp)
  | ({ type: 'FINAL_REPORT_DUE' } & Stamp)
  | ({ type: 'CLOSE'; facts: CloseFacts } & Stamp)
  | ({ type: 'TERMINATE'; reason: string; facts: TerminateFacts } & Stamp)
  | ({ type: 'WITHDRAW'; reason: string } & Stamp)
  | ({ type: 'CALL_CANCELLED'; reason: string } & Stamp);

export type ApplicationEventType = ApplicationEvent['type'];

export const APPLICATION_STATES = [
  'draft',
  'submitted',
  'more_info',
  'eligible',
  'ineligible',
  'in_review',
  'reviewed',
  'awarded',
  'waitlisted',
  'rejected',
  'declined',
  'active',
  'reporting',
  'closed',
  'terminated',
  'withdrawn',
  'cancelled',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

/** Applications holding an award that counts against the call's budget. */
export const AWARD_HOLDING_STATES: readonly ApplicationState[] = ['awarded', 'active', 'reporting', 'closed'];
/** Grants awarded and still running. */
export const OPEN_GRANT_STATES: readonly ApplicationState[] = ['awarded', 'active', 'reporting'];
/** From the start of review on: the applications the committee looks at. */
export const REVIEWED_STATES: readonly ApplicationState[] = [
  'in_review',
  'reviewed',
  'awarded',
  'waitlisted',
  'rejected',
  'declined',
  'active',
  'reporting',
  'closed',
  'terminated',
];
/** Where reviewers may still be assigned. */
export const ASSIGNABLE_STATES: readonly ApplicationState[] = ['in_review', 'reviewed'];

const { check, rule, branch } = guardsFor<ApplicationContext, ApplicationEvent>();

const positiveInteger = (n: number) => Number.isInteger(n) && n > 0;

type SubmitEvent = Extract<ApplicationEvent, { type: 'SUBMIT' }>;
type AwardEvent = Extract<ApplicationEvent, { type: 'AWARD' }>;

/** Names of the fields a SUBMIT still lacks. */
export const missingAtSubmission = (c: ApplicationContext, e: SubmitEvent) =>
  missingFields(c.title, c.proposal, e.facts);

export const applicationGuards = {
  budgetWithinMaxAward: check(
    'UPDATE_DRAFT',
    (c, e) => budgetTotalMinor(e.changes.budget ?? c.proposal.budget) <= c.maxAwardMinor,
  ),
  submissionComplete: rule('SUBMIT', {
    require: {
      callOpen: (_, e) => e.facts.callState === 'open',
      beforeClosingTime: (_, e) => isoBefore(e.at, e.facts.callClosesAt),
      requiredFieldsComplete: (c, e) => missingAtSubmission(c, e).length === 0,
      amountWithinMaxAward: (c) => c.requestedMinor <= c.maxAwardMinor,
    },
  }),
  questionsGiven: check('REQUEST_INFO', (_, e) => e.questions.length > 0 && e.questions.every(filled)),
  everyQuestionAnswered: check(
    'RESUBMIT',
    (c, e) => e.answers.length === c.questions.length && e.answers.every(filled),
  ),
  screenedEligible: branch('SCREEN', (_, e) => e.decision === 'eligible'),
  screenedIneligibleWithReason: rule('SCREEN', {
    when: (_, e) => e.decision === 'ineligible',
    require: { reasonGiven: (_, e) => filled(e.reason) },
  }),
  awardWithinLimits: rule('AWARD', {
    require: {
      amountPositive: (_, e) => positiveInteger(e.amountMinor),
      amountWithinRequest: (c, e) => e.amountMinor <= c.requestedMinor,
      withinCallBudget: (_, e) => e.amountMinor <= e.facts.budgetLeftMinor,
      reasonForLessThanRequested: (c, e) => e.amountMinor >= c.requestedMinor || filled(e.reason),
    },
  }),
  allReviewsIn: check('REVIEW_SUBMITTED', (_, e) => e.facts.outstandingReviews === 0),
  bankDetailsGiven: check('ACCEPT_AWARD', (_, e) => e.facts.bankDetailsGiven),
  bankChangeReasonGiven: check('CHANGE_BANK_DETAILS', (_, e) => filled(e.reason)),
  reasonGiven: check(['TERMINATE', 'WITHDRAW'], (_, e) => filled(e.reason)),
  grantSettled: rule('CLOSE', {
    require: {
      finalReportAccepted: (_, e) => e.facts.finalReportAccepted,
      noUnsettledTranches: (_, e) => e.facts.unsettledTranches === 0,
      unspentReconciled: (_, e) => e.facts.unspentReconciled,
    },
  }),
};

const cascade = (params: CascadeParams) => ({ type: 'cascade', params }) as const;

const withdraw = {
  guard: 'reasonGiven',
  target: 'withdrawn',
  actions: [
    'recordReason',
    cascade({ target: 'children', machine: 'review', inStates: ['draft'], event: { type: 'APPLICATION_WITHDRAWN' } }),
  ],
} as const;

// The committee's decision, once review has started: with all its reviews in or not.
const decisions = {
  AWARD: { guard: 'awardWithinLimits', target: 'awarded', actions: 'recordAward' },
  REJECT: { target: 'rejected', actions: 'recordReason' },
  WAITLIST: 'waitlisted',
  WITHDRAW: withdraw,
} as const;

const callCancelled = { target: 'cancelled', actions: 'recordReason' } as const;

// Ending a grant early cancels every tranche of it not yet paid, in the same transaction.
const terminate = {
  guard: 'reasonGiven',
  target: 'terminated',
  actions: [
    'recordReason',
    {
      type: 'cascade',
      params: ({ context }: { context: ApplicationContext }): CascadeParams => ({
        target: 'children',
        machine: 'disbursement',
        inStates: [...UNPAID_TRANCHE_STATES],
        event: { type: 'CANCEL', reason: context.reason ?? '' },
      }),
    },
  ],
} as const;

const close = { guard: 'grantSettled', target: 'closed' } as const;

// A new account once the grant runs is how payments are redirected: it takes a reason, and every
// tranche approved against the old account but not yet paid goes back to be approved again.
const changeBankDetails = {
  guard: 'bankChangeReasonGiven',
  actions: [
    'recordReason',
    {
      type: 'cascade',
      params: ({ event }: { event: ApplicationEvent }): CascadeParams => ({
        target: 'children',
        machine: 'disbursement',
        inStates: [...REAPPROVAL_STATES],
        event: { type: 'BANK_DETAILS_CHANGED', reason: 'reason' in event ? String(event.reason) : '' },
      }),
    },
  ],
} as const;

/**
 * The grant's tranches as the disbursement machine starts them: the plan's shares of the award, in
 * order, split to the cent (whole soms in KGS); a share that comes to nothing is left out.
 */
export function grantTranches(c: ApplicationContext, facts: AcceptFacts): DisbursementInput[] {
  const award = c.awardedMinor ?? 0;
  const unit = isCurrency(c.currency) ? paymentUnitMinor(c.currency) : 1;
  const amounts = splitAward(
    award,
    facts.paymentPlan.map((t) => t.sharePercent),
    unit,
  );
  return facts.paymentPlan
    .map((t, i) => ({
      applicationId: facts.applicationId,
      amountMinor: amounts[i],
      currency: c.currency,
      grantAmountMinor: award,
      approvalThresholdMinor: facts.financeThresholdMinor,
      release: t.release,
    }))
    .filter((t) => t.amountMinor > 0);
}

// Accepting the award starts its tranches, in the same transaction as the acceptance.
const startTranches = {
  type: 'start',
  params: ({ context, event }: { context: ApplicationContext; event: ApplicationEvent }): StartParams => {
    assertEvent(event, 'ACCEPT_AWARD');
    return {
      machine: 'disbursement',
      subjectType: 'tranche',
      inputs: grantTranches(context, event.facts) as unknown as Record<string, unknown>[],
    };
  },
} as const;

export const applicationMachine = setup({
  types: {
    context: {} as ApplicationContext,
    events: {} as ApplicationEvent,
    input: {} as ApplicationInput,
    meta: {} as StateMeta,
  },
  guards: applicationGuards,
  actions: {
    ...EFFECTS,
    applyDraftChanges: assign(({ context, event }) => {
      assertEvent(event, 'UPDATE_DRAFT');
      const { title, ...changes } = event.changes;
      const proposal = {
        ...context.proposal,
        ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
      };
      return { title: title ?? context.title, proposal, requestedMinor: budgetTotalMinor(proposal.budget) };
    }),
    recordQuestions: assign(({ event }) => {
      assertEvent(event, 'REQUEST_INFO');
      return { questions: event.questions, answers: [] };
    }),
    recordAnswers: assign(({ event }) => {
      assertEvent(event, 'RESUBMIT');
      return { answers: event.answers };
    }),
    recordAward: assign(({ event }) => {
      assertEvent(event, 'AWARD');
      return { awardedMinor: event.amountMinor, reason: filled(event.reason) ? (event.reason as string) : null };
    }),
    recordReason: assign(({ event }) => ({ reason: 'reason' in event && filled(event.reason) ? event.reason : null })),
  },
}).createMachine({
  id: 'application',
  initial: 'draft',
  context: ({ input }) => ({
    ...input,
    requestedMinor: budgetTotalMinor(input.proposal.budget),
    questions: [],
    answers: [],
    awardedMinor: null,
    reason: null,
  }),
  states: {
    draft: {
      meta: { publicName: 'draft' },
      on: {
        UPDATE_DRAFT: { guard: 'budgetWithinMaxAward', actions: 'applyDraftChanges' },
        SUBMIT: { guard: 'submissionComplete', target: 'submitted' },
        WITHDRAW: withdraw,
        CALL_CANCELLED: callCancelled,
      },
    },
    submitted: {
      meta: { publicName: 'received' },
      on: {
        REQUEST_INFO: { guard: 'questionsGiven', target: 'more_info', actions: 'recordQuestions' },
        SCREEN: [
          { guard: 'screenedEligible', target: 'eligible' },
          { guard: 'screenedIneligibleWithReason', target: 'ineligible', actions: 'recordReason' },
        ],
        WITHDRAW: withdraw,
        CALL_CANCELLED: callCancelled,
      },
    },
    more_info: {
      meta: { publicName: 'needs your answer' },
      on: {
        UPDATE_DRAFT: { guard: 'budgetWithinMaxAward', actions: 'applyDraftChanges' },
        RESUBMIT: {
          guard: 'everyQuestionAnswered',
          target: 'submitted',
          actions: 'recordAnswers',
        },
        // An applicant who never answers must not hold up the call's review.
        SCREEN: [
          { guard: 'screenedEligible', target: 'eligible' },
          { guard: 'screenedIneligibleWithReason', target: 'ineligible', actions: 'recordReason' },
        ],
        WITHDRAW: withdraw,
        CALL_CANCELLED: callCancelled,
      },
    },
    eligible: {
      meta: { publicName: 'eligible' },
      on: {
        REVIEW_STARTED: 'in_review',
        WITHDRAW: withdraw,
        CALL_CANCELLED: callCancelled,
      },
    },
    ineligible: {
      type: 'final',
      meta: { publicName: 'not eligible' },
    },
    in_review: {
      meta: { publicName: 'with the committee' },
      on: {
        // Sent by the last of its reviews to be submitted.
        REVIEW_SUBMITTED: { guard: 'allReviewsIn', target: 'reviewed' },
        ...decisions,
      },
    },
    reviewed: {
      meta: { publicName: 'scored by the committee' },
      on: {
        REVIEW_PENDING: 'in_review',
        ...decisions,
      },
    },
    waitlisted: {
      meta: { publicName: 'on the waiting list' },
      on: {
        AWARD: { guard: 'awardWithinLimits', target: 'awarded', actions: 'recordAward' },
        DECISIONS_CONFIRMED: 'rejected',
        WITHDRAW: withdraw,
      },
    },
    awarded: {
      meta: { publicName: 'funded' },
      on: {
        ACCEPT_AWARD: { guard: 'bankDetailsGiven', target: 'active', actions: startTranches },
        DECLINE_AWARD: { target: 'declined', actions: 'recordReason' },
        WITHDRAW: withdraw,
      },
    },
    rejected: {
      type: 'final',
      meta: { publicName: 'not funded' },
    },
    declined: {
      type: 'final',
      meta: { publicName: 'award declined' },
    },
    active: {
      meta: { publicName: 'project under way' },
      on: {
        CHANGE_BANK_DETAILS: changeBankDetails,
        FINAL_REPORT_DUE: 'reporting',
        // A final report accepted before it fell due closes the grant from here.
        CLOSE: close,
        TERMINATE: terminate,
      },
    },
    reporting: {
      meta: { publicName: 'final report due' },
      on: {
        CHANGE_BANK_DETAILS: changeBankDetails,
        CLOSE: close,
        TERMINATE: terminate,
      },
    },
    closed: {
      type: 'final',
      meta: { publicName: 'completed' },
    },
    terminated: {
      type: 'final',
      meta: { publicName: 'grant ended early' },
    },
    withdrawn: {
      type: 'final',
      meta: { publicName: 'withdrawn' },
    },
    cancelled: {
      type: 'final',
      meta: { publicName: 'call cancelled' },
    },
  },
});

/**
 * Version 1 held a title and an amount: the amount becomes a one-line budget, and the maximum award,
 * known only once submitted, is otherwise the amount asked.
 */
function withProposal(snapshot: Record<string, unknown>): Record<string, unknown> {
  const context = snapshot.context as Record<string, unknown> & {
    requestedMinor: number;
    maxAwardMinor: number | null;
  };
  const budget =
    context.requestedMinor > 0
      ? [{ category: 'Total', description: 'Amount requested', quantity: 1, unitCostMinor: context.requestedMinor }]
      : [];
  return {
    ...snapshot,
    context: {
      ...context,
      maxAwardMinor: context.maxAwardMinor ?? context.requestedMinor,
      proposal: { ...EMPTY_PROPOSAL, budget },
    },
  };
}

/** States in which the group may still change its proposal, and so its attachments: those that take UPDATE_DRAFT. */
export const EDITABLE_STATES: readonly ApplicationState[] = APPLICATION_STATES.filter(
  (s) => 'UPDATE_DRAFT' in applicationMachine.states[s].on,
);

export const applicationWorkflow = defineWorkflow({
  id: 'application',
  version: 2,
  machine: applicationMachine,
  senders: {
    UPDATE_DRAFT: ['applicant'],
    SUBMIT: ['applicant'],
    REQUEST_INFO: ['manager'],
    RESUBMIT: ['applicant'],
    SCREEN: ['manager'],
    AWARD: ['manager'],
    REJECT: ['manager'],
    WAITLIST: ['manager'],
    ACCEPT_AWARD: ['applicant'],
    DECLINE_AWARD: ['applicant'],
    FINAL_REPORT_DUE: ['manager'],
    CLOSE: ['manager'],
    TERMINATE: ['manager'],
    WITHDRAW: ['applicant'],
  },
  migrations: { 1: withProposal },
  explanations: {
    budgetWithinMaxAward: (c: ApplicationContext, e: Extract<ApplicationEvent, { type: 'UPDATE_DRAFT' }>) => ({
      total: money(budgetTotalMinor(e.changes.budget ?? c.proposal.budget), c.currency),
      maxAward: money(c.maxAwardMinor, c.currency),
    }),
    // Before it opens, or after: a call in draft or scheduled has not taken proposals yet; one
    // closed before its deadline was closed early by its manager.
    callOpen: (_: ApplicationContext, e: SubmitEvent) => ({
      phase:
        e.facts.callState === 'draft' || e.facts.callState === 'scheduled'
          ? 'notYet'
          : e.facts.callClosedAt !== null && isoBefore(e.facts.callClosedAt, e.facts.callClosesAt)
            ? 'early'
            : 'over',
      callState: { term: `call.state.${e.facts.callState}` },
      closesAt: date(e.facts.callClosesAt),
    }),
    beforeClosingTime: (_: ApplicationContext, e: SubmitEvent) => ({ closesAt: date(e.facts.callClosesAt) }),
    requiredFieldsComplete: (c: ApplicationContext, e: SubmitEvent) => ({
      missing: { terms: missingAtSubmission(c, e).map((field) => `application.field.${field}`) },
    }),
    amountWithinMaxAward: (c: ApplicationContext) => ({
      requested: money(c.requestedMinor, c.currency),
      maxAward: money(c.maxAwardMinor, c.currency),
    }),
    questionsGiven: NO_PARAMS,
    everyQuestionAnswered: (c: ApplicationContext) => ({ count: c.questions.length }),
    screenedEligible: NO_PARAMS,
    screenedIneligibleWithReason: NO_PARAMS,
    reasonGiven: (_: ApplicationContext, e: ApplicationEvent) => ({ action: e.type }),
    amountPositive: NO_PARAMS,
    amountWithinRequest: (c: ApplicationContext, e: AwardEvent) => ({
      amount: money(e.amountMinor, c.currency),
      requested: money(c.requestedMinor, c.currency),
    }),
    withinCallBudget: (c: ApplicationContext, e: AwardEvent) => ({
      amount: money(e.amountMinor, c.currency),
      left: money(Math.max(0, e.facts.budgetLeftMinor), c.currency),
    }),
    reasonForLessThanRequested: (c: ApplicationContext, e: AwardEvent) => ({
      amount: money(e.amountMinor, c.currency),
      requested: money(c.requestedMinor, c.currency),
    }),
    allReviewsIn: (_: ApplicationContext, e: { facts: { outstandingReviews: number } }) => ({
      count: e.facts.outstandingReviews,
    }),
    bankDetailsGiven: NO_PARAMS,
    bankChangeReasonGiven: NO_PARAMS,
    finalReportAccepted: NO_PARAMS,
    noUnsettledTranches: (_: ApplicationContext, e: { facts: CloseFacts }) => ({ count: e.facts.unsettledTranches }),
    unspentReconciled: NO_PARAMS,
  },
});
