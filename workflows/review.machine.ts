import { assertEvent, assign, setup } from 'xstate';
import type { ScoringScale } from './call.machine';
import {
  EFFECTS,
  NO_PARAMS,
  defineWorkflow,
  filled,
  guardsFor,
  type CascadeParams,
  type Check,
  type Stamp,
  type StateMeta,
} from './kit';

export const RECOMMENDATIONS = ['fund', 'do_not_fund', 'fund_with_changes'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];

export interface ReviewInput {
  callId: string;
  applicationId: string;
  /** The committee member who writes it. */
  reviewerId: string;
  /** The call's criteria and scale as the review was assigned: the call's terms are fixed once published. */
  criteria: { name: string; weight: number }[];
  scale: ScoringScale;
}

export interface ReviewContext extends ReviewInput {
  /** One score per criterion, in the call's order; null until given. */
  scores: (number | null)[];
  /** One comment per criterion, in the call's order. */
  comments: string[];
  overallComment: string;
  recommendation: Recommendation | null;
  submittedAt: string | null;
  /** Why the chair last reopened it, or why it was taken from the reviewer. */
  reason: string | null;
}

/** What a reviewer writes into a draft: the fields given replace the draft's. */
export interface ReviewChanges {
  scores?: (number | null)[];
  comments?: string[];
  overallComment?: string;
  recommendation?: Recommendation | null;
}

export type ReviewEvent =
  | ({ type: 'SAVE'; changes: ReviewChanges } & Stamp)
  // `othersOutstanding`: the application's other reviews not yet submitted.
  | ({ type: 'SUBMIT'; facts: { othersOutstanding: number } } & Stamp)
  // The committee's chair, with a reason: the review returns to its reviewer as a draft.
  | ({ type: 'REOPEN'; reason: string } & Stamp)
  // The manager reassigning it, or its reviewer declaring a conflict of interest.
  | ({ type: 'UNASSIGN'; reason: string } & Stamp)
  | ({ type: 'APPLICATION_WITHDRAWN' } & Stamp);

export type ReviewEventType = ReviewEvent['type'];

export const REVIEW_STATES = ['draft', 'submitted', 'unassigned', 'cancelled'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** Reviews that count toward an application's reviewers: neither taken away nor cancelled. */
export const ACTIVE_REVIEW_STATES: readonly ReviewState[] = ['draft', 'submitted'];

const { check, rule } = guardsFor<ReviewContext, ReviewEvent>();

type SubmitEvent = Extract<ReviewEvent, { type: 'SUBMIT' }>;

const onScale = (score: number | null, scale: ScoringScale) =>
  score === null || (Number.isInteger(score) && score >= scale.min && score <= scale.max);

/** The draft a SAVE would leave. */
export function withChanges(c: ReviewContext, changes: ReviewChanges): ReviewContext {
  const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  return { ...c, ...given };
}

/** Criteria (by name) with no score yet. */
export const unscored = (c: ReviewContext): string[] =>
  c.criteria.filter((_, i) => c.scores[i] === null || c.scores[i] === undefined).map((k) => k.name);

const COMPLETE: Record<string, Check<ReviewContext, SubmitEvent>> = {
  everyCriterionScored: (c) => unscored(c).length === 0,
  recommendationGiven: (c) => c.recommendation !== null,
};

export const reviewGuards = {
  draftWellFormed: rule('SAVE', {
    require: {
      scoresOnScale: (c, e) => (e.changes.scores ?? c.scores).every((s) => onScale(s, c.scale)),
      onePerCriterion: (c, e) =>
        (e.changes.scores ?? c.scores).length === c.criteria.length &&
        (e.changes.comments ?? c.comments).length === c.criteria.length,
    },
  }),
  // The last of an application's reviews to come in marks the application reviewed.
  completeAndLast: rule('SUBMIT', { when: (_, e) => e.facts.othersOutstanding === 0, require: COMPLETE }),
  complete: rule('SUBMIT', { when: (_, e) => e.facts.othersOutstanding > 0, require: COMPLETE }),
  reasonGiven: check(['REOPEN', 'UNASSIGN'], (_, e) => filled(e.reason)),
};

const cascadeToApplication = (event: 'REVIEW_SUBMITTED' | 'REVIEW_PENDING', inStates: string[]) => {
  const params: CascadeParams = { target: 'parent', machine: 'application', inStates, event: { type: event } };
  return { type: 'cascade', params } as const;
};

const unassign = { guard: 'reasonGiven', target: 'unassigned', actions: 'recordReason' } as const;

export const reviewMachine = setup({
  types: {
    context: {} as ReviewContext,
    events: {} as ReviewEvent,
    input: {} as ReviewInput,
    meta: {} as StateMeta,
  },
  guards: reviewGuards,
  actions: {
    ...EFFECTS,
    applyChanges: assign(({ context, event }) => {
      assertEvent(event, 'SAVE');
      return withChanges(context, event.changes);
    }),
    recordSubmission: assign(({ event }) => {
      assertEvent(event, 'SUBMIT');
      return { submittedAt: event.at };
    }),
    recordReopening: assign(({ event }) => {
      assertEvent(event, 'REOPEN');
      return { submittedAt: null, reason: event.reason };
    }),
    recordReason: assign(({ event }) => {
      assertEvent(event, 'UNASSIGN');
      return { reason: event.reason };
    }),
    recordWithdrawal: assign({ reason: 'the application was withdrawn' }),
  },
}).createMachine({
  id: 'review',
  initial: 'draft',
  context: ({ input }) => ({
    ...input,
    scores: input.criteria.map(() => null),
    comments: input.criteria.map(() => ''),
    overallComment: '',
    recommendation: null,
    submittedAt: null,
    reason: null,
  }),
  states: {
    draft: {
      meta: { publicName: 'being written' },
      on: {
        SAVE: { guard: 'draftWellFormed', actions: 'applyChanges' },
        SUBMIT: [
          {
            guard: 'completeAndLast',
            target: 'submitted',
            actions: ['recordSubmission', cascadeToApplication('REVIEW_SUBMITTED', ['in_review'])],
          },
          { guard: 'complete', target: 'submitted', actions: 'recordSubmission' },
        ],
        UNASSIGN: unassign,
        APPLICATION_WITHDRAWN: { target: 'cancelled', actions: 'recordWithdrawal' },
      },
    },
    submitted: {
      meta: { publicName: 'submitted' },
      on: {
        REOPEN: {
          guard: 'reasonGiven',
          target: 'draft',
          actions: ['recordReopening', cascadeToApplication('REVIEW_PENDING', ['reviewed'])],
        },
        // Only for a conflict of interest found late: the review no longer counts.
        UNASSIGN: unassign,
      },
    },
    unassigned: {
      type: 'final',
      meta: { publicName: 'taken from the reviewer' },
    },
    cancelled: {
      type: 'final',
      meta: { publicName: 'application withdrawn' },
    },
  },
});

export const reviewWorkflow = defineWorkflow({
  id: 'review',
  version: 1,
  machine: reviewMachine,
  // REOPEN (the chair) and UNASSIGN (reassignment, conflicts) come through their own routes, which
  // check the relation a role alone does not tell.
  senders: {
    SAVE: ['committee'],
    SUBMIT: ['committee'],
  },
  migrations: {},
  explanations: {
    scoresOnScale: (c: ReviewContext) => ({ min: c.scale.min, max: c.scale.max }),
    onePerCriterion: (c: ReviewContext) => ({ count: c.criteria.length }),
    everyCriterionScored: (c: ReviewContext) => ({ criteria: { list: unscored(c) } }),
    recommendationGiven: NO_PARAMS,
    completeAndLast: NO_PARAMS,
    complete: NO_PARAMS,
    reasonGiven: (_: ReviewContext, e: ReviewEvent) => ({ action: e.type }),
  },
});
