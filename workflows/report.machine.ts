import { assertEvent, assign, setup } from 'xstate';
import {
  EFFECTS,
  NO_PARAMS,
  date,
  defineWorkflow,
  filled,
  guardsFor,
  isoAtOrAfter,
  type Stamp,
  type StateMeta,
} from './kit';

export type ReportKind = 'interim' | 'final';

export interface ReportInput {
  applicationId: string;
  kind: ReportKind;
  /** ISO times: when the report falls due, and when a missing report counts as late. */
  dueAt: string;
  overdueAt: string;
}

export interface ReportContext extends ReportInput {
  /** The manager's comments with the last REQUEST_REVISION. */
  comments: string[];
  submittedAt: string | null;
}

export type ReportEvent =
  | ({ type: 'DUE' } & Stamp)
  | ({ type: 'MARK_OVERDUE' } & Stamp)
  // `missingSections`: required sections (activities, participants, spending...) still empty.
  | ({ type: 'SUBMIT'; facts: { missingSections: string[] } } & Stamp)
  | ({ type: 'ACCEPT' } & Stamp)
  | ({ type: 'REQUEST_REVISION'; comments: string[] } & Stamp);

export type ReportEventType = ReportEvent['type'];

export const REPORT_STATES = ['scheduled', 'due', 'overdue', 'submitted', 'revision_requested', 'accepted'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

const { check, rule } = guardsFor<ReportContext, ReportEvent>();

export const reportGuards = {
  // A timer armed for an older date must not fire early: the time is checked again.
  finalReportDue: rule('DUE', {
    when: (c) => c.kind === 'final',
    require: { dueTimeReached: (c, e) => isoAtOrAfter(e.at, c.dueAt) },
  }),
  interimReportDue: rule('DUE', {
    when: (c) => c.kind === 'interim',
    require: { dueTimeReached: (c, e) => isoAtOrAfter(e.at, c.dueAt) },
  }),
  overdueTimeReached: check('MARK_OVERDUE', (c, e) => isoAtOrAfter(e.at, c.overdueAt)),
  reportComplete: check('SUBMIT', (_, e) => e.facts.missingSections.length === 0),
  commentsGiven: check('REQUEST_REVISION', (_, e) => e.comments.length > 0 && e.comments.every(filled)),
};

const submit = { guard: 'reportComplete', target: 'submitted', actions: 'recordSubmission' } as const;

export const reportMachine = setup({
  types: {
    context: {} as ReportContext,
    events: {} as ReportEvent,
    input: {} as ReportInput,
    meta: {} as StateMeta,
  },
  guards: reportGuards,
  actions: {
    ...EFFECTS,
    recordSubmission: assign(({ event }) => ({ submittedAt: event.at })),
    recordComments: assign(({ event }) => {
      assertEvent(event, 'REQUEST_REVISION');
      return { comments: event.comments };
    }),
  },
}).createMachine({
  id: 'report',
  initial: 'scheduled',
  context: ({ input }) => ({ ...input, comments: [], submittedAt: null }),
  states: {
    scheduled: {
      meta: { publicName: 'not yet due', timers: [{ event: 'DUE', at: 'dueAt' }] },
      on: {
        DUE: [
          {
            guard: 'finalReportDue',
            target: 'due',
            // The grant moves to its reporting stage; only an active grant takes the event.
            actions: {
              type: 'cascade',
              params: {
                target: 'parent',
                machine: 'application',
                inStates: ['active'],
                event: { type: 'FINAL_REPORT_DUE' },
              },
            },
          },
          { guard: 'interimReportDue', target: 'due' },
        ],
        // Groups that finish early may report early.
        SUBMIT: submit,
      },
    },
    due: {
      meta: { publicName: 'due', timers: [{ event: 'MARK_OVERDUE', at: 'overdueAt' }] },
      on: {
        MARK_OVERDUE: { guard: 'overdueTimeReached', target: 'overdue' },
        SUBMIT: submit,
      },
    },
    overdue: {
      meta: { publicName: 'late' },
      on: { SUBMIT: submit },
    },
    submitted: {
      meta: { publicName: 'being checked' },
      on: {
        ACCEPT: 'accepted',
        REQUEST_REVISION: { guard: 'commentsGiven', target: 'revision_requested', actions: 'recordComments' },
      },
    },
    revision_requested: {
      meta: { publicName: 'changes requested' },
      on: { SUBMIT: submit },
    },
    accepted: {
      type: 'final',
      meta: { publicName: 'accepted' },
    },
  },
});

export const reportWorkflow = defineWorkflow({
  id: 'report',
  version: 1,
  machine: reportMachine,
  senders: {
    SUBMIT: ['applicant'],
    ACCEPT: ['manager'],
    REQUEST_REVISION: ['manager'],
  },
  migrations: {},
  explanations: {
    dueTimeReached: (c: ReportContext) => ({ dueAt: date(c.dueAt) }),
    finalReportDue: NO_PARAMS,
    interimReportDue: NO_PARAMS,
    overdueTimeReached: (c: ReportContext) => ({ overdueAt: date(c.overdueAt) }),
    reportComplete: (_: ReportContext, e: { facts: { missingSections: string[] } }) => ({
      sections: { list: e.facts.missingSections },
    }),
    commentsGiven: NO_PARAMS,
  },
});
