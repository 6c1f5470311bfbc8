import { initialTransition } from 'xstate';
import { callMachine, type CallContext, type CallEvent } from './call.machine';
import { CALL_CONTEXT, CALL_INPUT, CALL_SAMPLES, REVIEW_DUE_AT } from './fixtures';
import { Fixture, PEOPLE, T0, by, daysAfterT0, notifyEffect, type GuardCase, type Table } from './testing';
import { itHonoursItsTableAndGuards } from './contract.spec-helper';

const INPUT = CALL_INPUT;

const BASE: CallContext = CALL_CONTEXT;

const f = new Fixture<CallContext, CallEvent>(callMachine, BASE);

const manager = by(PEOPLE.manager);

const SAMPLES = CALL_SAMPLES;

const TABLE: Table<CallEvent> = {
  draft: { UPDATE: 'draft', PUBLISH: 'open', CANCEL: 'cancelled' },
  scheduled: { OPEN: 'open', CANCEL: 'cancelled' },
  open: { EXTEND_DEADLINE: 'open', CLOSE: 'closed', CANCEL: 'cancelled' },
  closed: { START_REVIEW: 'reviewing' },
  reviewing: {
    SET_REVIEW_DEADLINE: 'reviewing',
    REMIND_REVIEWERS: 'reviewing',
    REVIEW_DEADLINE: 'reviewing',
    CONFIRM_DECISIONS: 'decided',
  },
  decided: { ARCHIVE: 'archived' },
  archived: {},
  cancelled: {},
};

const publish = SAMPLES.PUBLISH;
const systemClose = (at: string): CallEvent => ({ type: 'CLOSE', ...by(PEOPLE.system, at) });
const confirm = (awardedTotalMinor: number, undecidedApplications: number): CallEvent => ({
  type: 'CONFIRM_DECISIONS',
  facts: { awardedTotalMinor, undecidedApplications },
  ...manager,
});

const GUARD_CASES: GuardCase<CallContext, CallEvent>[] = [
  { guard: 'publishable', state: 'draft', event: publish, to: 'open', effects: [] },
  {
    guard: 'publishable',
    state: 'draft',
    context: { currency: 'KGS', budgetMinor: 20_000_000 },
    event: publish,
    to: 'open',
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { budgetMinor: 0 },
    event: publish,
    refused: ['budgetPositive', 'maxAwardWithinBudget'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { maxAwardMinor: 2_000_000 },
    event: publish,
    refused: ['maxAwardWithinBudget'],
  },
  { guard: 'publishable', state: 'draft', context: { financeThresholdMinor: 300_000 }, event: publish, to: 'open' },
  {
    guard: 'publishable',
    state: 'draft',
    context: { financeThresholdMinor: 300_001 },
    event: publish,
    refused: ['financeThresholdWithinMaxAward'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { financeThresholdMinor: 0 },
    event: publish,
    refused: ['financeThresholdWithinMaxAward'],
  },
  { guard: 'publishable', state: 'draft', context: { currency: 'eur' }, event: publish, refused: ['currencyKnown'] },
  { guard: 'publishable', state: 'draft', context: { currency: 'XYZ' }, event: publish, refused: ['currencyKnown'] },
  {
    guard: 'publishable',
    state: 'draft',
    context: { criteria: [{ name: ' ', description: '', weight: 100 }] },
    event: publish,
    refused: ['criteriaNamedAndWeighted'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: {
      criteria: [
        { name: 'Relevance', description: '', weight: 60 },
        { name: 'Cost', description: '', weight: 30 },
      ],
    },
    event: publish,
    refused: ['weightsSumTo100'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { criteria: [] },
    event: publish,
    refused: ['criteriaNamedAndWeighted', 'weightsSumTo100'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { opensAt: daysAfterT0(31) },
    event: publish,
    refused: ['opensBeforeCloses'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    event: { type: 'PUBLISH', ...by(PEOPLE.manager, daysAfterT0(30)) },
    refused: ['closesAfterPublishing'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { title: { ky: ' ' }, description: {} },
    event: publish,
    refused: ['titled', 'described'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { title: { ky: 'Жамааттык демилгелер' } },
    event: publish,
    to: 'open',
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: {
      questions: [
        { id: 'q', text: { en: 'Registered?' }, required: true },
        { id: 'q', text: { ru: 'Ещё раз?' }, required: false },
      ],
    },
    event: publish,
    refused: ['questionsWorded'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { questions: [{ id: 'q', text: {}, required: true }] },
    event: publish,
    refused: ['questionsWorded'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { composition: { minimumGroups: 3, groups: ['civil_society', 'civil_society', 'youth_women'] } },
    event: publish,
    refused: ['compositionAttainable'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { composition: null, questions: [], municipalities: [] },
    event: publish,
    to: 'open',
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { scale: { min: 5, max: 5 } },
    event: publish,
    refused: ['scaleRising'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { reviewersPerApplication: 0, applicationsPerGroup: 0 },
    event: publish,
    refused: ['reviewersAssignable', 'applicationsPerGroupPositive'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: {
      paymentPlan: [
        { sharePercent: 70, release: 'on_acceptance' },
        { sharePercent: 20, release: 'interim_report_accepted' },
      ],
    },
    event: publish,
    refused: ['paymentPlanValid'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { paymentPlan: [{ sharePercent: 100, release: 'final_report_accepted' }] },
    event: publish,
    to: 'open',
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { rankBy: 'normalised', minimumScore: 60, maxAwardsPerMunicipality: 2 },
    event: publish,
    to: 'open',
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { disagreementThreshold: 0 },
    event: publish,
    refused: ['reviewTermsInRange'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { minimumScore: 101 },
    event: publish,
    refused: ['reviewTermsInRange'],
  },
  {
    guard: 'publishable',
    state: 'draft',
    context: { maxAwardsPerMunicipality: 0 },
    event: publish,
    refused: ['reviewTermsInRange'],
  },
  {
    guard: 'publishableAhead',
    state: 'draft',
    context: { opensAt: daysAfterT0(5) },
    event: publish,
    to: 'scheduled',
  },
  {
    guard: 'publishableAhead',
    state: 'draft',
    context: { opensAt: daysAfterT0(40), closesAt: daysAfterT0(35), financeThresholdMinor: 9_999_900 },
    event: { type: 'PUBLISH', ...by(PEOPLE.manager, daysAfterT0(36)) },
    refused: ['financeThresholdWithinMaxAward', 'opensBeforeCloses', 'closesAfterPublishing'],
  },
  {
    guard: 'openingTimeReached',
    state: 'scheduled',
    context: { opensAt: daysAfterT0(5) },
    event: { type: 'OPEN', ...by(PEOPLE.system, daysAfterT0(5)) },
    to: 'open',
  },
  {
    guard: 'openingTimeReached',
    state: 'scheduled',
    context: { opensAt: daysAfterT0(5) },
    event: { type: 'OPEN', ...by(PEOPLE.system, daysAfterT0(4)) },
    refused: ['openingTimeReached'],
  },
  {
    guard: 'closesLater',
    state: 'open',
    event: SAMPLES.EXTEND_DEADLINE,
    to: 'open',
    effects: [],
  },
  {
    guard: 'closesLater',
    state: 'open',
    event: { type: 'EXTEND_DEADLINE', closesAt: daysAfterT0(20), ...manager },
    refused: ['closesLater'],
  },
  { guard: 'closedEarlyByManager', state: 'open', event: SAMPLES.CLOSE, to: 'closed', effects: [] },
  { guard: 'closedEarlyByManager', state: 'open', event: systemClose(T0), refused: ['closingTimeReached'] },
  { guard: 'closingTimeReached', state: 'open', event: systemClose(daysAfterT0(30)), to: 'closed' },
  { guard: 'closingTimeReached', state: 'open', event: systemClose(daysAfterT0(29)), refused: ['closingTimeReached'] },
  {
    guard: 'reviewStartable',
    state: 'closed',
    event: SAMPLES.START_REVIEW,
    to: 'reviewing',
    effects: [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'application',
          inStates: ['eligible'],
          event: { type: 'REVIEW_STARTED' },
        },
      },
      notifyEffect('call.review_started'),
    ],
  },
  {
    guard: 'reviewStartable',
    state: 'closed',
    event: { type: 'START_REVIEW', facts: { unscreenedApplications: 2 }, ...manager },
    refused: ['allApplicationsScreened'],
  },
  {
    guard: 'reviewStartable',
    state: 'closed',
    event: { type: 'START_REVIEW', reviewDueAt: T0, facts: { unscreenedApplications: 0 }, ...manager },
    refused: ['reviewDeadlineAhead'],
  },
  {
    guard: 'reviewDeadlineAhead',
    state: 'reviewing',
    event: SAMPLES.SET_REVIEW_DEADLINE,
    to: 'reviewing',
    effects: [],
  },
  {
    guard: 'reviewDeadlineAhead',
    state: 'reviewing',
    event: { type: 'SET_REVIEW_DEADLINE', reviewDueAt: daysAfterT0(-1), ...manager },
    refused: ['reviewDeadlineAhead'],
  },
  {
    guard: 'reminderTimeReached',
    state: 'reviewing',
    event: SAMPLES.REMIND_REVIEWERS,
    to: 'reviewing',
    effects: [notifyEffect('call.review_reminder')],
  },
  {
    guard: 'reminderTimeReached',
    state: 'reviewing',
    event: { type: 'REMIND_REVIEWERS', ...by(PEOPLE.system, daysAfterT0(56)) },
    refused: ['reminderTimeReached'],
  },
  {
    guard: 'reminderTimeReached',
    state: 'reviewing',
    context: { nextReminderAt: null },
    event: SAMPLES.REMIND_REVIEWERS,
    refused: ['reminderTimeReached'],
  },
  {
    guard: 'deadlineReached',
    state: 'reviewing',
    event: SAMPLES.REVIEW_DEADLINE,
    to: 'reviewing',
    effects: [notifyEffect('call.review_deadline_passed')],
  },
  {
    guard: 'deadlineReached',
    state: 'reviewing',
    event: { type: 'REVIEW_DEADLINE', ...by(PEOPLE.system, daysAfterT0(59)) },
    refused: ['deadlineReached'],
  },
  {
    guard: 'decisionsConfirmable',
    state: 'reviewing',
    event: confirm(1_250_000, 0),
    to: 'decided',
    effects: [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'application',
          inStates: ['waitlisted'],
          event: { type: 'DECISIONS_CONFIRMED' },
        },
      },
    ],
  },
  { guard: 'decisionsConfirmable', state: 'reviewing', event: confirm(1_250_001, 0), refused: ['awardsWithinBudget'] },
  {
    guard: 'decisionsConfirmable',
    state: 'reviewing',
    event: confirm(1_000_000, 1),
    refused: ['everyApplicationDecided'],
  },
  { guard: 'everyGrantClosed', state: 'decided', event: SAMPLES.ARCHIVE, to: 'archived', effects: [] },
  {
    guard: 'everyGrantClosed',
    state: 'decided',
    event: { type: 'ARCHIVE', facts: { openGrants: 1 }, ...manager },
    refused: ['everyGrantClosed'],
  },
  {
    guard: 'reasonGiven',
    state: 'open',
    event: SAMPLES.CANCEL,
    to: 'cancelled',
    effects: [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'application',
          inStates: ['draft', 'submitted', 'more_info', 'eligible'],
          event: { type: 'CALL_CANCELLED', reason: 'The co-funding was withdrawn' },
        },
      },
    ],
  },
  {
    guard: 'reasonGiven',
    state: 'draft',
    event: { type: 'CANCEL', reason: '  ', ...manager },
    refused: ['reasonGiven'],
  },
];

// Publishing ahead of the opening time checks the same conditions: each refusal, once more ahead.
GUARD_CASES.push(
  ...GUARD_CASES.filter(
    (c) => c.guard === 'publishable' && c.refused && c.event === publish && !c.context?.opensAt,
  ).map((c) => ({
    ...c,
    guard: 'publishableAhead',
    context: { ...c.context, opensAt: daysAfterT0(5) },
  })),
);

describe('call machine', () => {
  it('starts in draft with nothing awarded', () => {
    const [snapshot, actions] = initialTransition(callMachine, INPUT);
    expect(snapshot.value).toBe('draft');
    expect(snapshot.context).toEqual({ ...BASE, reviewDueAt: null, nextReminderAt: null, deadlineNoticeAt: null });
    expect(actions).toEqual([]);
  });

  itHonoursItsTableAndGuards(f, SAMPLES, TABLE, GUARD_CASES);

  it('UPDATE changes only the fields given', () => {
    const { snapshot } = f.send(f.at('draft'), { type: 'UPDATE', changes: { budgetMinor: 2_000_000 }, ...manager });
    expect(snapshot.context).toEqual({ ...BASE, budgetMinor: 2_000_000 });
  });

  it('EXTEND_DEADLINE moves closesAt, which the CLOSE timer reads', () => {
    const { snapshot } = f.send(f.at('open'), SAMPLES.EXTEND_DEADLINE);
    expect(snapshot.context.closesAt).toBe(daysAfterT0(45));
    expect(snapshot.getMeta()['call.open']).toEqual({
      publicName: 'open for proposals',
      timers: [{ event: 'CLOSE', at: 'closesAt' }],
    });
  });

  it('a scheduled call waits for its opening time, then closes at its closing time', () => {
    const { snapshot } = f.send(f.at('draft', { opensAt: daysAfterT0(5) }), publish);
    expect(snapshot.getMeta()['call.scheduled']).toEqual({
      publicName: 'opening soon',
      timers: [{ event: 'OPEN', at: 'opensAt' }],
    });
  });

  it('START_REVIEW sets the review deadline and its two timers: the reminder days before, the notice at it', () => {
    const { snapshot } = f.send(
      f.at('closed', { reviewDueAt: null, nextReminderAt: null, deadlineNoticeAt: null }),
      SAMPLES.START_REVIEW,
    );
    expect(snapshot.context).toMatchObject({
      reviewDueAt: REVIEW_DUE_AT,
      nextReminderAt: daysAfterT0(57),
      deadlineNoticeAt: REVIEW_DUE_AT,
    });
    expect(snapshot.getMeta()['call.reviewing'].timers).toEqual([
      { event: 'REMIND_REVIEWERS', at: 'nextReminderAt' },
      { event: 'REVIEW_DEADLINE', at: 'deadlineNoticeAt' },
    ]);
    const without = f.send(f.at('closed'), { type: 'START_REVIEW', facts: { unscreenedApplications: 0 }, ...manager });
    expect(without.snapshot.context).toMatchObject({ reviewDueAt: null, nextReminderAt: null, deadlineNoticeAt: null });
  });

  it('each review timer fires once: the reminder and the notice clear the time they were armed for', () => {
    const reminded = f.send(f.at('reviewing'), SAMPLES.REMIND_REVIEWERS).snapshot;
    expect(reminded.context).toMatchObject({ nextReminderAt: null, deadlineNoticeAt: REVIEW_DUE_AT });
    const passed = f.send(f.at('reviewing'), SAMPLES.REVIEW_DEADLINE).snapshot;
    expect(passed.context).toMatchObject({ nextReminderAt: null, deadlineNoticeAt: null, reviewDueAt: REVIEW_DUE_AT });
    // A new deadline arms both again; with no reminder days, only the notice.
    const moved = f.send(
      f.at('reviewing', { nextReminderAt: null, deadlineNoticeAt: null }),
      SAMPLES.SET_REVIEW_DEADLINE,
    ).snapshot;
    expect(moved.context).toMatchObject({
      reviewDueAt: daysAfterT0(70),
      nextReminderAt: daysAfterT0(67),
      deadlineNoticeAt: daysAfterT0(70),
    });
    const noReminder = f.send(f.at('reviewing', { reviewReminderDays: 0 }), SAMPLES.SET_REVIEW_DEADLINE).snapshot;
    expect(noReminder.context).toMatchObject({ nextReminderAt: null, deadlineNoticeAt: daysAfterT0(70) });
  });

  it('CONFIRM_DECISIONS records the awarded total', () => {
    const { snapshot } = f.send(f.at('reviewing'), confirm(1_200_000, 0));
    expect(snapshot.context.awardedTotalMinor).toBe(1_200_000);
  });
});
