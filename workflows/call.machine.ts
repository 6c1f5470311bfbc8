import { assertEvent, assign, setup } from 'xstate';
import { isCurrency } from './currencies';
import {
  EFFECTS,
  defineWorkflow,
  filled,
  guardsFor,
  isoAtOrAfter,
  isoBefore,
  type CascadeParams,
  type Stamp,
  type StateMeta,
} from './kit';

export interface Criterion {
  name: string;
  /** Percent of the total score; the weights of a call sum to 100. */
  weight: number;
}

export interface CallInput {
  title: string;
  /** ISO 4217 code, e.g. EUR or KGS. */
  currency: string;
  /** Integer minor units (cents, tyiyn). */
  budgetMinor: number;
  maxAwardMinor: number;
  /** ISO 8601 times. */
  opensAt: string;
  closesAt: string;
  criteria: Criterion[];
}

export interface CallContext extends CallInput {
  /** Sum of the awards confirmed with CONFIRM_DECISIONS. */
  awardedTotalMinor: number;
  cancelReason: string | null;
}

export type CallEvent =
  | ({ type: 'UPDATE'; changes: Partial<CallInput> } & Stamp)
  | ({ type: 'PUBLISH' } & Stamp)
  | ({ type: 'EXTEND_DEADLINE'; closesAt: string } & Stamp)
  // The scheduler at closesAt, or a manager closing early.
  | ({ type: 'CLOSE' } & Stamp)
  | ({ type: 'START_REVIEW'; facts: { unscreenedApplications: number } } & Stamp)
  | ({ type: 'CONFIRM_DECISIONS'; facts: { awardedTotalMinor: number; undecidedApplications: number } } & Stamp)
  | ({ type: 'ARCHIVE'; facts: { openGrants: number } } & Stamp)
  | ({ type: 'CANCEL'; reason: string } & Stamp);

export type CallEventType = CallEvent['type'];

export const CALL_STATES = ['draft', 'open', 'closed', 'reviewing', 'decided', 'archived', 'cancelled'] as const;
export type CallState = (typeof CALL_STATES)[number];

// Applications still open to change when a call is cancelled.
const CANCELLABLE_APPLICATIONS = ['draft', 'submitted', 'more_info', 'eligible'];

const { check, rule, branch } = guardsFor<CallContext, CallEvent>();

const weightsOf = (criteria: Criterion[]) => criteria.reduce((sum, c) => sum + c.weight, 0);

export const callGuards = {
  publishable: rule('PUBLISH', {
    require: {
      budgetPositive: (c) => Number.isInteger(c.budgetMinor) && c.budgetMinor > 0,
      maxAwardWithinBudget: (c) =>
        Number.isInteger(c.maxAwardMinor) && c.maxAwardMinor > 0 && c.maxAwardMinor <= c.budgetMinor,
      currencyKnown: (c) => isCurrency(c.currency),
      criteriaNamedAndWeighted: (c) =>
        c.criteria.length > 0 && c.criteria.every((k) => filled(k.name) && k.weight > 0),
      weightsSumTo100: (c) => Math.abs(weightsOf(c.criteria) - 100) < 1e-9,
      opensBeforeCloses: (c) => isoBefore(c.opensAt, c.closesAt),
      closesAfterPublishing: (c, e) => isoBefore(e.at, c.closesAt),
    },
  }),
  closesLater: check('EXTEND_DEADLINE', (c, e) => isoBefore(c.closesAt, e.closesAt)),
  closedEarlyByManager: branch('CLOSE', (_, e) => e.actor.role === 'manager'),
  closingTimeReached: check('CLOSE', (c, e) => isoAtOrAfter(e.at, c.closesAt)),
  allApplicationsScreened: check('START_REVIEW', (_, e) => e.facts.unscreenedApplications === 0),
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
    applyChanges: assign(({ context, event }) => {
      assertEvent(event, 'UPDATE');
      const { changes } = event;
      return {
        title: changes.title ?? context.title,
        currency: changes.currency ?? context.currency,
        budgetMinor: changes.budgetMinor ?? context.budgetMinor,
        maxAwardMinor: changes.maxAwardMinor ?? context.maxAwardMinor,
        opensAt: changes.opensAt ?? context.opensAt,
        closesAt: changes.closesAt ?? context.closesAt,
        criteria: changes.criteria ?? context.criteria,
      };
    }),
    extendDeadline: assign(({ event }) => {
      assertEvent(event, 'EXTEND_DEADLINE');
      return { closesAt: event.closesAt };
    }),
    recordAwardedTotal: assign(({ event }) => {
      assertEvent(event, 'CONFIRM_DECISIONS');
      return { awardedTotalMinor: event.facts.awardedTotalMinor };
    }),
    recordCancelReason: assign(({ event }) => {
      assertEvent(event, 'CANCEL');
      return { cancelReason: event.reason };
    }),
  },
}).createMachine({
  id: 'call',
  initial: 'draft',
  context: ({ input }) => ({ ...input, awardedTotalMinor: 0, cancelReason: null }),
  states: {
    draft: {
      meta: { publicName: 'being prepared' },
      on: {
        UPDATE: { actions: 'applyChanges' },
        PUBLISH: { guard: 'publishable', target: 'open' },
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
          guard: 'allApplicationsScreened',
          target: 'reviewing',
          actions: cascade({
            target: 'children',
            machine: 'application',
            inStates: ['eligible'],
            event: { type: 'REVIEW_STARTED' },
          }),
        },
      },
    },
    reviewing: {
      meta: { publicName: 'with the committee' },
      on: {
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

export const callWorkflow = defineWorkflow({
  id: 'call',
  version: 1,
  machine: callMachine,
  senders: {
    UPDATE: ['manager'],
    PUBLISH: ['manager'],
    EXTEND_DEADLINE: ['manager'],
    CLOSE: ['manager'],
    START_REVIEW: ['manager'],
    CONFIRM_DECISIONS: ['manager'],
    ARCHIVE: ['manager'],
    CANCEL: ['manager'],
  },
  migrations: {},
});
