import { assertEvent, assign, setup } from 'xstate';
import { EFFECTS, NO_PARAMS, defineWorkflow, filled, money, guardsFor, type Stamp, type StateMeta } from './kit';
import { RELEASING_REPORT, released, type ReleaseCondition } from './payment-plan';
import type { ReportKind } from './report.machine';

export interface DisbursementInput {
  applicationId: string;
  /** Integer minor units of the award's currency. */
  amountMinor: number;
  currency: string;
  /** The award the tranche pays part of: four-eyes approval is judged on it, not on the tranche. */
  grantAmountMinor: number;
  /** The call's finance threshold: every tranche of a grant at or above it needs two different finance officers. */
  approvalThresholdMinor: number;
  /** When the tranche may be requested; omitted: once the award is accepted. */
  release?: ReleaseCondition;
}

export interface DisbursementContext {
  applicationId: string;
  amountMinor: number;
  currency: string;
  grantAmountMinor: number;
  approvalThresholdMinor: number;
  release: ReleaseCondition;
  /** The programme manager who asked for the payment; they may never approve it. */
  requestedBy: string | null;
  /** Finance officers who approved the current request, in order. */
  approvedBy: string[];
  reason: string | null;
  paymentReference: string | null;
  /** ISO date (YYYY-MM-DD) the money left the account. */
  paidOn: string | null;
}

export interface RequestFacts {
  /** The kinds of the grant's reports accepted when the request arrives: the release condition is read from them. */
  acceptedReports: ReportKind[];
  /** The award minus every other tranche requested, approved or paid. */
  awardLeftMinor: number;
}

export type DisbursementEvent =
  | ({ type: 'REQUEST'; facts: RequestFacts } & Stamp)
  | ({ type: 'APPROVE' } & Stamp)
  | ({ type: 'REJECT'; reason: string } & Stamp)
  | ({ type: 'AMEND_AND_REQUEST'; amountMinor?: number; facts: { awardLeftMinor: number } } & Stamp)
  // The amount the bank moved: a payment is recorded only for the whole tranche.
  | ({ type: 'RECORD_PAYMENT'; amountMinor: number; reference: string; paidOn: string } & Stamp)
  | ({ type: 'PAYMENT_FAILED'; reason: string } & Stamp)
  // The bank sent a recorded payment back (account closed, details wrong): the tranche is paid again.
  | ({ type: 'RETURN'; reason: string } & Stamp)
  // The group changed its bank details: approvals given against the old account no longer hold.
  | ({ type: 'BANK_DETAILS_CHANGED'; reason: string } & Stamp)
  | ({ type: 'CANCEL'; reason: string } & Stamp);

export type DisbursementEventType = DisbursementEvent['type'];

export const DISBURSEMENT_STATES = [
  'scheduled',
  'requested',
  'partly_approved',
  'approved',
  'rejected',
  'payment_failed',
  'paid',
  'returned',
  'cancelled',
] as const;
export type DisbursementState = (typeof DISBURSEMENT_STATES)[number];

/**
 * Tranches whose money is spoken for against the award: every one not cancelled. A planned tranche
 * holds its share until it is cancelled, so no tranche added by hand can take it.
 */
export const COMMITTED_TRANCHE_STATES: readonly DisbursementState[] = [
  'scheduled',
  'rejected',
  'requested',
  'partly_approved',
  'approved',
  'payment_failed',
  'paid',
  'returned',
];
/** Tranches with nothing left to do: paid, or cancelled before payment. */
export const SETTLED_TRANCHE_STATES: readonly DisbursementState[] = ['paid', 'cancelled'];
/** Tranches not paid and not cancelled: ending the grant early cancels them. */
export const UNPAID_TRANCHE_STATES: readonly DisbursementState[] = DISBURSEMENT_STATES.filter(
  (s) => !SETTLED_TRANCHE_STATES.includes(s),
);

const { check, rule } = guardsFor<DisbursementContext, DisbursementEvent>();

const amountAfter = (c: DisbursementContext, e: { amountMinor?: number }) => e.amountMinor ?? c.amountMinor;

const affordable = (amount: number, left: number) => Number.isInteger(amount) && amount > 0 && amount <= left;

// Judged on the grant, so that splitting a large award into small tranches cannot avoid the second officer.
const needsTwoApprovals = (c: DisbursementContext) =>
  Math.max(c.grantAmountMinor, c.amountMinor) >= c.approvalThresholdMinor;

/** The different finance officers a tranche needs: two for a grant at or above the threshold, one below it. */
export const approvalsNeeded = (c: DisbursementContext): 1 | 2 => (needsTwoApprovals(c) ? 2 : 1);

const approvalsComplete = (c: DisbursementContext) => c.approvedBy.length >= approvalsNeeded(c);

/** What a tranche waits for: a person's step, or the report its condition names; null once it is settled. */
export type TrancheWait = 'interim_report' | 'final_report' | 'request' | 'approval' | 'second_approval' | 'payment';
export const TRANCHE_WAITS: readonly TrancheWait[] = [
  'interim_report',
  'final_report',
  'request',
  'approval',
  'second_approval',
  'payment',
];

export function waitingFor(
  state: DisbursementState,
  c: DisbursementContext,
  acceptedReports: readonly ReportKind[],
): TrancheWait | null {
  switch (state) {
    case 'scheduled':
    case 'rejected': {
      if (released(c.release, acceptedReports)) return 'request';
      return RELEASING_REPORT[c.release] === 'final' ? 'final_report' : 'interim_report';
    }
    case 'requested':
      return 'approval';
    case 'partly_approved':
      return 'second_approval';
    case 'approved':
    case 'payment_failed':
    case 'returned':
      return 'payment';
    default:
      return null;
  }
}

const approverIsNotRequester = (c: DisbursementContext, e: Stamp) => e.actor.id !== c.requestedBy;

// Time zones run up to 14 hours ahead of UTC: "today" there may already be tomorrow in UTC.
const LATEST_OFFSET_MS = 14 * 3600 * 1000;

// A real calendar date, not later than the day the payment is recorded.
const paidOnValid = (paidOn: string, at: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(paidOn) &&
  !Number.isNaN(Date.parse(paidOn)) &&
  new Date(paidOn).toISOString().slice(0, 10) === paidOn &&
  Date.parse(paidOn) <= Date.parse(at) + LATEST_OFFSET_MS;

export const disbursementGuards = {
  trancheRequestable: rule('REQUEST', {
    require: {
      trancheConditionMet: (c, e) => released(c.release, e.facts.acceptedReports),
      withinRemainingAward: (c, e) => affordable(c.amountMinor, e.facts.awardLeftMinor),
    },
  }),
  withinRemainingAward: check('AMEND_AND_REQUEST', (c, e) => affordable(amountAfter(c, e), e.facts.awardLeftMinor)),
  approvalBelowThreshold: rule('APPROVE', {
    when: (c) => !needsTwoApprovals(c),
    require: { approverIsNotRequester },
  }),
  firstOfTwoApprovals: rule('APPROVE', {
    when: needsTwoApprovals,
    require: { approverIsNotRequester },
  }),
  secondApproval: rule('APPROVE', {
    require: {
      approverIsNotRequester,
      approverIsNotFirstApprover: (c, e) => !c.approvedBy.includes(e.actor.id),
    },
  }),
  paymentRecordable: rule('RECORD_PAYMENT', {
    require: {
      approvalsComplete,
      paymentIsTheTranche: (c, e) => e.amountMinor === c.amountMinor,
      paymentReferenceGiven: (_, e) => filled(e.reference),
      paidOnValidDate: (_, e) => paidOnValid(e.paidOn, e.at),
    },
  }),
  reasonGiven: check(['REJECT', 'PAYMENT_FAILED', 'RETURN', 'CANCEL'], (_, e) => filled(e.reason)),
};

const cancel = { guard: 'reasonGiven', target: 'cancelled', actions: 'recordReason' } as const;

// Sent by the grant when the group changes its bank details (see REAPPROVAL_STATES, bank-details.ts).
const bankDetailsChanged = { target: 'requested', actions: 'clearApprovals' } as const;

export const disbursementMachine = setup({
  types: {
    context: {} as DisbursementContext,
    events: {} as DisbursementEvent,
    input: {} as DisbursementInput,
    meta: {} as StateMeta,
  },
  guards: disbursementGuards,
  actions: {
    ...EFFECTS,
    recordRequest: assign(({ context, event }) => {
      assertEvent(event, ['REQUEST', 'AMEND_AND_REQUEST']);
      return {
        amountMinor: event.type === 'AMEND_AND_REQUEST' ? amountAfter(context, event) : context.amountMinor,
        requestedBy: event.actor.id,
        approvedBy: [],
        reason: null,
      };
    }),
    recordApproval: assign(({ context, event }) => ({ approvedBy: [...context.approvedBy, event.actor.id] })),
    // The request stands, so its requester still may not approve it; every approval is given again.
    clearApprovals: assign(({ event }) => {
      assertEvent(event, 'BANK_DETAILS_CHANGED');
      return { approvedBy: [], reason: event.reason };
    }),
    recordPayment: assign(({ event }) => {
      assertEvent(event, 'RECORD_PAYMENT');
      return { paymentReference: event.reference.trim(), paidOn: event.paidOn };
    }),
    recordReason: assign(({ event }) => ({ reason: 'reason' in event ? event.reason : null })),
  },
}).createMachine({
  id: 'disbursement',
  initial: 'scheduled',
  context: ({ input }) => ({
    applicationId: input.applicationId,
    amountMinor: input.amountMinor,
    currency: input.currency,
    grantAmountMinor: input.grantAmountMinor,
    approvalThresholdMinor: input.approvalThresholdMinor,
    release: input.release ?? 'on_acceptance',
    requestedBy: null,
    approvedBy: [],
    reason: null,
    paymentReference: null,
    paidOn: null,
  }),
  states: {
    scheduled: {
      meta: { publicName: 'planned' },
      on: {
        REQUEST: { guard: 'trancheRequestable', target: 'requested', actions: 'recordRequest' },
        CANCEL: cancel,
      },
    },
    requested: {
      meta: { publicName: 'waiting for approval' },
      on: {
        APPROVE: [
          { guard: 'approvalBelowThreshold', target: 'approved', actions: 'recordApproval' },
          { guard: 'firstOfTwoApprovals', target: 'partly_approved', actions: 'recordApproval' },
        ],
        REJECT: { guard: 'reasonGiven', target: 'rejected', actions: 'recordReason' },
        CANCEL: cancel,
      },
    },
    partly_approved: {
      meta: { publicName: 'waiting for a second approval' },
      on: {
        BANK_DETAILS_CHANGED: bankDetailsChanged,
        APPROVE: { guard: 'secondApproval', target: 'approved', actions: 'recordApproval' },
        REJECT: { guard: 'reasonGiven', target: 'rejected', actions: 'recordReason' },
        CANCEL: cancel,
      },
    },
    approved: {
      meta: { publicName: 'approved for payment' },
      on: {
        BANK_DETAILS_CHANGED: bankDetailsChanged,
        RECORD_PAYMENT: { guard: 'paymentRecordable', target: 'paid', actions: 'recordPayment' },
        PAYMENT_FAILED: { guard: 'reasonGiven', target: 'payment_failed', actions: 'recordReason' },
        CANCEL: cancel,
      },
    },
    rejected: {
      meta: { publicName: 'returned for changes' },
      on: {
        AMEND_AND_REQUEST: { guard: 'withinRemainingAward', target: 'requested', actions: 'recordRequest' },
        CANCEL: cancel,
      },
    },
    payment_failed: {
      meta: { publicName: 'payment problem' },
      on: {
        BANK_DETAILS_CHANGED: bankDetailsChanged,
        RECORD_PAYMENT: { guard: 'paymentRecordable', target: 'paid', actions: 'recordPayment' },
        CANCEL: cancel,
      },
    },
    paid: {
      meta: { publicName: 'paid' },
      on: {
        RETURN: { guard: 'reasonGiven', target: 'returned', actions: 'recordReason' },
      },
    },
    returned: {
      meta: { publicName: 'payment returned by the bank' },
      on: {
        BANK_DETAILS_CHANGED: bankDetailsChanged,
        RECORD_PAYMENT: { guard: 'paymentRecordable', target: 'paid', actions: 'recordPayment' },
        CANCEL: cancel,
      },
    },
    cancelled: {
      type: 'final',
      meta: { publicName: 'cancelled' },
    },
  },
});

export const disbursementWorkflow = defineWorkflow({
  id: 'disbursement',
  version: 2,
  machine: disbursementMachine,
  senders: {
    REQUEST: ['manager'],
    APPROVE: ['finance'],
    REJECT: ['finance'],
    AMEND_AND_REQUEST: ['manager'],
    RECORD_PAYMENT: ['finance'],
    PAYMENT_FAILED: ['finance'],
    RETURN: ['finance'],
    CANCEL: ['manager'],
  },
  migrations: { 1: releaseConditions },
  explanations: {
    trancheConditionMet: (c: DisbursementContext) => ({
      report: { term: `report.kind.${RELEASING_REPORT[c.release] ?? 'interim'}` },
    }),
    withinRemainingAward: (c: DisbursementContext, e: { amountMinor?: number; facts: { awardLeftMinor: number } }) => ({
      amount: money(amountAfter(c, e), c.currency),
      left: money(Math.max(0, e.facts.awardLeftMinor), c.currency),
    }),
    approverIsNotRequester: NO_PARAMS,
    approverIsNotFirstApprover: NO_PARAMS,
    approvalBelowThreshold: NO_PARAMS,
    firstOfTwoApprovals: NO_PARAMS,
    approvalsComplete: (c: DisbursementContext) => ({
      needed: needsTwoApprovals(c) ? 2 : 1,
      given: c.approvedBy.length,
      threshold: money(c.approvalThresholdMinor, c.currency),
      grant: money(Math.max(c.grantAmountMinor, c.amountMinor), c.currency),
    }),
    paymentIsTheTranche: (c: DisbursementContext, e: { amountMinor?: number }) => ({
      paid: money(Number.isInteger(e.amountMinor) ? (e.amountMinor as number) : 0, c.currency),
      amount: money(c.amountMinor, c.currency),
    }),
    paymentReferenceGiven: NO_PARAMS,
    paidOnValidDate: (_: DisbursementContext, e: { paidOn: string }) => ({ paidOn: String(e.paidOn ?? '') }),
    reasonGiven: (_: DisbursementContext, e: DisbursementEvent) => ({ action: e.type }),
  },
});

/**
 * Version 1 held a flag fixed when the tranche was made ("its condition is met"), which nothing
 * ever set afterwards, and judged four-eyes on the tranche alone: a met flag is a tranche paid on
 * acceptance, an unmet one waits for the interim report, and the grant is taken as the tranche.
 */
function releaseConditions(snapshot: Record<string, unknown>): Record<string, unknown> {
  const { conditionMet, ...context } = snapshot.context as Record<string, unknown> & {
    conditionMet?: boolean;
    amountMinor: number;
  };
  return {
    ...snapshot,
    context: {
      ...context,
      grantAmountMinor: context.amountMinor,
      release: conditionMet === false ? 'interim_report_accepted' : 'on_acceptance',
    },
  };
}
