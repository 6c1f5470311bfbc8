import { initialTransition } from 'xstate';
import { reviewMachine, unscored, withChanges, type ReviewContext, type ReviewEvent } from './review.machine';
import { REVIEW_INPUT, REVIEW_SAMPLES } from './fixtures';
import { Fixture, PEOPLE, T0, by, notifyEffect, type Effect, type GuardCase, type Table } from './testing';
import { itHonoursItsTableAndGuards } from './contract.spec-helper';

const INPUT = REVIEW_INPUT;

const EMPTY: ReviewContext = {
  ...INPUT,
  scores: [null, null, null],
  comments: ['', '', ''],
  overallComment: '',
  recommendation: null,
  submittedAt: null,
  reason: null,
};

// A draft ready to submit.
const BASE: ReviewContext = {
  ...EMPTY,
  scores: [4, 3, 5],
  comments: ['A need the village named', 'Two Saturdays is tight', 'Youth plan and build'],
  overallComment: 'Fund it.',
  recommendation: 'fund',
};

const f = new Fixture<ReviewContext, ReviewEvent>(reviewMachine, BASE, { submitted: { submittedAt: T0 } });

const reviewer = by(PEOPLE.committee);
const SAMPLES = REVIEW_SAMPLES;

const TABLE: Table<ReviewEvent> = {
  draft: { SAVE: 'draft', SUBMIT: 'submitted', UNASSIGN: 'unassigned', APPLICATION_WITHDRAWN: 'cancelled' },
  submitted: { REOPEN: 'draft', UNASSIGN: 'unassigned' },
  unassigned: {},
  cancelled: {},
};

const save = (changes: Extract<ReviewEvent, { type: 'SAVE' }>['changes']): ReviewEvent => ({
  type: 'SAVE',
  changes,
  ...reviewer,
});
const toApplication = (type: string, inStates: string[]): Effect => ({
  type: 'cascade',
  params: { target: 'parent', machine: 'application', inStates, event: { type } },
});
const LAST: ReviewEvent = { type: 'SUBMIT', facts: { othersOutstanding: 0 }, ...reviewer };

const GUARD_CASES: GuardCase<ReviewContext, ReviewEvent>[] = [
  { guard: 'draftWellFormed', state: 'draft', event: SAMPLES.SAVE, to: 'draft', effects: [] },
  { guard: 'draftWellFormed', state: 'draft', event: save({ scores: [0, 5, null] }), to: 'draft' },
  { guard: 'draftWellFormed', state: 'draft', event: save({ scores: [6, 3, 3] }), refused: ['scoresOnScale'] },
  { guard: 'draftWellFormed', state: 'draft', event: save({ scores: [2.5, 3, 3] }), refused: ['scoresOnScale'] },
  { guard: 'draftWellFormed', state: 'draft', event: save({ scores: [-1, 3, 3] }), refused: ['scoresOnScale'] },
  { guard: 'draftWellFormed', state: 'draft', event: save({ scores: [3, 3] }), refused: ['onePerCriterion'] },
  { guard: 'draftWellFormed', state: 'draft', event: save({ comments: ['only one'] }), refused: ['onePerCriterion'] },
  {
    guard: 'draftWellFormed',
    state: 'draft',
    context: { scale: { min: 1, max: 10 } },
    event: save({ scores: [0, 10, 10] }),
    refused: ['scoresOnScale'],
  },
  { guard: 'complete', state: 'draft', event: SAMPLES.SUBMIT, to: 'submitted', effects: [] },
  {
    guard: 'complete',
    state: 'draft',
    context: { scores: [4, null, 5] },
    event: SAMPLES.SUBMIT,
    refused: ['everyCriterionScored'],
  },
  {
    guard: 'complete',
    state: 'draft',
    context: { recommendation: null },
    event: SAMPLES.SUBMIT,
    refused: ['recommendationGiven'],
  },
  {
    guard: 'complete',
    state: 'draft',
    context: EMPTY,
    event: SAMPLES.SUBMIT,
    refused: ['everyCriterionScored', 'recommendationGiven'],
  },
  {
    guard: 'completeAndLast',
    state: 'draft',
    event: LAST,
    to: 'submitted',
    effects: [toApplication('REVIEW_SUBMITTED', ['in_review'])],
  },
  {
    guard: 'completeAndLast',
    state: 'draft',
    context: { scores: [null, 3, 5] },
    event: LAST,
    refused: ['everyCriterionScored'],
  },
  {
    guard: 'completeAndLast',
    state: 'draft',
    context: { recommendation: null },
    event: LAST,
    refused: ['recommendationGiven'],
  },
  {
    guard: 'reasonGiven',
    state: 'submitted',
    event: SAMPLES.REOPEN,
    to: 'draft',
    effects: [toApplication('REVIEW_PENDING', ['reviewed']), notifyEffect('review.reopened')],
  },
  {
    guard: 'reasonGiven',
    state: 'submitted',
    event: { type: 'REOPEN', reason: ' ', ...by(PEOPLE.chair) },
    refused: ['reasonGiven'],
  },
  { guard: 'reasonGiven', state: 'draft', event: SAMPLES.UNASSIGN, to: 'unassigned', effects: [] },
  {
    guard: 'reasonGiven',
    state: 'submitted',
    event: { type: 'UNASSIGN', reason: '', ...by(PEOPLE.manager) },
    refused: ['reasonGiven'],
  },
];

describe('review machine', () => {
  it('starts as an empty draft with a place for each criterion, and tells its reviewer', () => {
    const [snapshot, actions] = initialTransition(reviewMachine, INPUT);
    expect(snapshot.value).toBe('draft');
    expect(snapshot.context).toEqual(EMPTY);
    expect(actions).toEqual([]);
  });

  itHonoursItsTableAndGuards(f, SAMPLES, TABLE, GUARD_CASES);

  it('SAVE replaces only the fields given', () => {
    const { snapshot } = f.send(f.at('draft', EMPTY), SAMPLES.SAVE);
    expect(snapshot.context).toEqual({
      ...EMPTY,
      scores: [4, 3, null],
      comments: ['A need the village named', '', ''],
    });
    const next = f.send(
      snapshot,
      save({ recommendation: 'fund_with_changes', overallComment: 'Cut the transport line.' }),
    ).snapshot;
    expect(next.context).toMatchObject({
      scores: [4, 3, null],
      recommendation: 'fund_with_changes',
      overallComment: 'Cut the transport line.',
    });
  });

  it('SUBMIT stamps the time; REOPEN clears it and keeps the chair’s reason', () => {
    const submitted = f.send(f.at('draft'), {
      type: 'SUBMIT',
      facts: { othersOutstanding: 0 },
      ...by(PEOPLE.committee, '2020-05-01T10:00:00.000Z'),
    }).snapshot;
    expect(submitted.context.submittedAt).toBe('2020-05-01T10:00:00.000Z');
    const reopened = f.send(submitted, SAMPLES.REOPEN).snapshot;
    expect(reopened.context).toMatchObject({
      submittedAt: null,
      reason: 'The feasibility score does not match the comment',
      scores: [4, 3, 5],
    });
  });

  it('names the criteria still unscored', () => {
    expect(unscored({ ...BASE, scores: [null, 3, null] })).toEqual([
      'Relevance to the community',
      'Participation of women and youth',
    ]);
    expect(unscored(withChanges(BASE, { scores: [1, 2, 3] }))).toEqual([]);
  });
});
