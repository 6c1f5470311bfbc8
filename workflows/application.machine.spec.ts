import { initialTransition } from 'xstate';
import {
  EDITABLE_STATES,
  applicationMachine,
  applicationWorkflow,
  grantTranches,
  type ApplicationContext,
  type ApplicationEvent,
  type CloseFacts,
  type SubmitFacts,
} from './application.machine';
import {
  APPLICATION_INPUT,
  APPLICATION_SAMPLES,
  CALL_INPUT,
  PROPOSAL,
  QUESTION,
  SETTLED,
  SUBMIT_FACTS,
} from './fixtures';
import { Fixture, PEOPLE, T0, by, daysAfterT0, notifyEffect, type Effect, type GuardCase, type Table } from './testing';
import { itHonoursItsTableAndGuards } from './contract.spec-helper';
import { UNPAID_TRANCHE_STATES } from './disbursement.machine';
import { REAPPROVAL_STATES } from './bank-details';

const INPUT = APPLICATION_INPUT;

const line = (quantity: number, unitCostMinor: number) => ({
  category: 'Materials',
  description: 'Paint',
  quantity,
  unitCostMinor,
});

const BASE: ApplicationContext = {
  ...INPUT,
  requestedMinor: 250_000,
  questions: [],
  answers: [],
  awardedMinor: null,
  reason: null,
};

const f = new Fixture<ApplicationContext, ApplicationEvent>(applicationMachine, BASE, {
  more_info: { questions: [QUESTION] },
  awarded: { awardedMinor: 250_000 },
});

const manager = by(PEOPLE.manager);
const applicant = by(PEOPLE.applicant);

const SAMPLES = APPLICATION_SAMPLES;
const FACTS = SUBMIT_FACTS;

// What every tranche of the EUR 2,500 grant the fixture accepts shares.
const TRANCHE = {
  applicationId: 'application-zhazy-playground',
  currency: 'EUR',
  grantAmountMinor: 250_000,
  approvalThresholdMinor: CALL_INPUT.financeThresholdMinor,
};

const TABLE: Table<ApplicationEvent> = {
  draft: { UPDATE_DRAFT: 'draft', SUBMIT: 'submitted', WITHDRAW: 'withdrawn', CALL_CANCELLED: 'cancelled' },
  submitted: { REQUEST_INFO: 'more_info', SCREEN: 'eligible', WITHDRAW: 'withdrawn', CALL_CANCELLED: 'cancelled' },
  more_info: {
    UPDATE_DRAFT: 'more_info',
    RESUBMIT: 'submitted',
    SCREEN: 'eligible',
    WITHDRAW: 'withdrawn',
    CALL_CANCELLED: 'cancelled',
  },
  eligible: { REVIEW_STARTED: 'in_review', WITHDRAW: 'withdrawn', CALL_CANCELLED: 'cancelled' },
  ineligible: {},
  in_review: {
    REVIEW_SUBMITTED: 'reviewed',
    AWARD: 'awarded',
    REJECT: 'rejected',
    WAITLIST: 'waitlisted',
    WITHDRAW: 'withdrawn',
  },
  reviewed: {
    REVIEW_PENDING: 'in_review',
    AWARD: 'awarded',
    REJECT: 'rejected',
    WAITLIST: 'waitlisted',
    WITHDRAW: 'withdrawn',
  },
  waitlisted: { AWARD: 'awarded', DECISIONS_CONFIRMED: 'rejected', WITHDRAW: 'withdrawn' },
  awarded: { ACCEPT_AWARD: 'active', DECLINE_AWARD: 'declined', WITHDRAW: 'withdrawn' },
  rejected: {},
  declined: {},
  active: {
    FINAL_REPORT_DUE: 'reporting',
    CLOSE: 'closed',
    TERMINATE: 'terminated',
    CHANGE_BANK_DETAILS: 'active',
  },
  reporting: { CLOSE: 'closed', TERMINATE: 'terminated', CHANGE_BANK_DETAILS: 'reporting' },
  closed: {},
  terminated: {},
  withdrawn: {},
  cancelled: {},
};

const submit = (facts: Partial<SubmitFacts>): ApplicationEvent => ({
  type: 'SUBMIT',
  facts: { ...FACTS, ...facts },
  ...applicant,
});
const award = (amountMinor: number, budgetLeftMinor = 500_000, reason?: string): ApplicationEvent => ({
  type: 'AWARD',
  amountMinor,
  ...(reason === undefined ? {} : { reason }),
  facts: { budgetLeftMinor },
  ...manager,
});
const REDUCED = 'Transport is covered by the aiyl okmotu';
const screen = (decision: 'eligible' | 'ineligible', reason?: string): ApplicationEvent => ({
  type: 'SCREEN',
  decision,
  ...(reason === undefined ? {} : { reason }),
  ...manager,
});
const close = (facts: Partial<CloseFacts>): ApplicationEvent => ({
  type: 'CLOSE',
  facts: { ...SETTLED, ...facts },
  ...manager,
});

const GUARD_CASES: GuardCase<ApplicationContext, ApplicationEvent>[] = [
  { guard: 'budgetWithinMaxAward', state: 'more_info', event: SAMPLES.UPDATE_DRAFT, to: 'more_info' },
  {
    guard: 'budgetWithinMaxAward',
    state: 'draft',
    event: { type: 'UPDATE_DRAFT', changes: { budget: [line(3, 100_000)] }, ...applicant },
    to: 'draft',
  },
  {
    guard: 'budgetWithinMaxAward',
    state: 'more_info',
    event: { type: 'UPDATE_DRAFT', changes: { budget: [line(3, 100_000), line(1, 1)] }, ...applicant },
    refused: ['budgetWithinMaxAward'],
  },
  {
    guard: 'budgetWithinMaxAward',
    state: 'draft',
    event: { type: 'UPDATE_DRAFT', changes: { budget: [line(301, 1_000)] }, ...applicant },
    refused: ['budgetWithinMaxAward'],
  },
  {
    guard: 'submissionComplete',
    state: 'draft',
    event: SAMPLES.SUBMIT,
    to: 'submitted',
    effects: [notifyEffect('application.submitted')],
  },
  { guard: 'submissionComplete', state: 'draft', event: submit({ callState: 'closed' }), refused: ['callOpen'] },
  { guard: 'submissionComplete', state: 'draft', event: submit({ callClosesAt: T0 }), refused: ['beforeClosingTime'] },
  {
    guard: 'submissionComplete',
    state: 'draft',
    context: { proposal: { ...PROPOSAL, budget: [], participants: null } },
    event: SAMPLES.SUBMIT,
    refused: ['requiredFieldsComplete'],
  },
  {
    guard: 'submissionComplete',
    state: 'draft',
    context: { proposal: { ...PROPOSAL, eligibilityAnswers: { registered: true } } },
    event: SAMPLES.SUBMIT,
    refused: ['requiredFieldsComplete'],
  },
  {
    guard: 'submissionComplete',
    state: 'draft',
    context: { proposal: { ...PROPOSAL, eligibilityAnswers: {} } },
    event: submit({ questions: [] }),
    to: 'submitted',
    effects: [notifyEffect('application.submitted')],
  },
  {
    guard: 'submissionComplete',
    state: 'draft',
    context: { maxAwardMinor: 200_000 },
    event: SAMPLES.SUBMIT,
    refused: ['amountWithinMaxAward'],
  },
  {
    guard: 'questionsGiven',
    state: 'submitted',
    event: SAMPLES.REQUEST_INFO,
    to: 'more_info',
    effects: [notifyEffect('application.more_info_requested')],
  },
  {
    guard: 'questionsGiven',
    state: 'submitted',
    event: { type: 'REQUEST_INFO', questions: [], ...manager },
    refused: ['questionsGiven'],
  },
  {
    guard: 'questionsGiven',
    state: 'submitted',
    event: { type: 'REQUEST_INFO', questions: [' '], ...manager },
    refused: ['questionsGiven'],
  },
  {
    guard: 'everyQuestionAnswered',
    state: 'more_info',
    event: SAMPLES.RESUBMIT,
    to: 'submitted',
    effects: [notifyEffect('application.answers_received')],
  },
  {
    guard: 'everyQuestionAnswered',
    state: 'more_info',
    event: { type: 'RESUBMIT', answers: [], ...applicant },
    refused: ['everyQuestionAnswered'],
  },
  {
    guard: 'everyQuestionAnswered',
    state: 'more_info',
    event: { type: 'RESUBMIT', answers: [''], ...applicant },
    refused: ['everyQuestionAnswered'],
  },
  {
    guard: 'screenedEligible',
    state: 'submitted',
    event: screen('eligible'),
    to: 'eligible',
    effects: [notifyEffect('application.eligible')],
  },
  { guard: 'screenedEligible', state: 'submitted', event: screen('ineligible'), refused: ['reasonGiven'] },
  {
    guard: 'screenedIneligibleWithReason',
    state: 'submitted',
    event: screen('ineligible', 'The group is outside the four municipalities'),
    to: 'ineligible',
    effects: [notifyEffect('application.ineligible')],
  },
  {
    guard: 'screenedIneligibleWithReason',
    state: 'more_info',
    event: screen('ineligible', ' '),
    refused: ['reasonGiven'],
  },
  {
    guard: 'awardWithinLimits',
    state: 'in_review',
    event: award(240_000, 500_000, REDUCED),
    to: 'awarded',
    effects: [notifyEffect('application.awarded')],
  },
  {
    guard: 'awardWithinLimits',
    state: 'reviewed',
    event: award(250_000),
    to: 'awarded',
    effects: [notifyEffect('application.awarded')],
  },
  { guard: 'awardWithinLimits', state: 'reviewed', event: award(240_000), refused: ['reasonForLessThanRequested'] },
  {
    guard: 'awardWithinLimits',
    state: 'in_review',
    event: award(240_000, 500_000, ' '),
    refused: ['reasonForLessThanRequested'],
  },
  { guard: 'awardWithinLimits', state: 'waitlisted', event: award(250_000, 250_000), to: 'awarded' },
  { guard: 'awardWithinLimits', state: 'in_review', event: award(0, 500_000, REDUCED), refused: ['amountPositive'] },
  { guard: 'awardWithinLimits', state: 'in_review', event: award(250_001), refused: ['amountWithinRequest'] },
  {
    guard: 'awardWithinLimits',
    state: 'waitlisted',
    event: award(200_000, 150_000, REDUCED),
    refused: ['withinCallBudget'],
  },
  {
    guard: 'allReviewsIn',
    state: 'in_review',
    event: SAMPLES.REVIEW_SUBMITTED,
    to: 'reviewed',
    effects: [notifyEffect('application.reviewed')],
  },
  {
    guard: 'allReviewsIn',
    state: 'in_review',
    event: { type: 'REVIEW_SUBMITTED', facts: { outstandingReviews: 1 }, ...by(PEOPLE.system) },
    refused: ['allReviewsIn'],
  },
  { guard: 'reasonGiven', state: 'eligible', event: SAMPLES.WITHDRAW, to: 'withdrawn' },
  {
    guard: 'reasonGiven',
    state: 'draft',
    event: { type: 'WITHDRAW', reason: ' ', ...applicant },
    refused: ['reasonGiven'],
  },
  {
    guard: 'reasonGiven',
    state: 'reporting',
    event: SAMPLES.TERMINATE,
    to: 'terminated',
    effects: [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'disbursement',
          inStates: [...UNPAID_TRANCHE_STATES],
          event: { type: 'CANCEL', reason: SAMPLES.TERMINATE.reason },
        },
      },
      notifyEffect('application.terminated'),
    ],
  },
  {
    guard: 'reasonGiven',
    state: 'active',
    event: { type: 'TERMINATE', reason: '', facts: { paidMinor: 0 }, ...manager },
    refused: ['reasonGiven'],
  },
  {
    guard: 'grantSettled',
    state: 'reporting',
    event: SAMPLES.CLOSE,
    to: 'closed',
    effects: [notifyEffect('application.closed')],
  },
  { guard: 'grantSettled', state: 'active', event: SAMPLES.CLOSE, to: 'closed' },
  {
    guard: 'bankDetailsGiven',
    state: 'awarded',
    context: { awardedMinor: 250_000 },
    event: SAMPLES.ACCEPT_AWARD,
    to: 'active',
    effects: [
      {
        type: 'start',
        params: {
          machine: 'disbursement',
          subjectType: 'tranche',
          inputs: [
            { ...TRANCHE, amountMinor: 175_000, release: 'on_acceptance' },
            { ...TRANCHE, amountMinor: 75_000, release: 'interim_report_accepted' },
          ],
        },
      },
      notifyEffect('application.award_accepted'),
    ],
  },
  {
    guard: 'bankDetailsGiven',
    state: 'awarded',
    event: { ...SAMPLES.ACCEPT_AWARD, facts: { ...SAMPLES.ACCEPT_AWARD.facts, bankDetailsGiven: false } },
    refused: ['bankDetailsGiven'],
  },
  {
    guard: 'bankChangeReasonGiven',
    state: 'active',
    event: SAMPLES.CHANGE_BANK_DETAILS,
    to: 'active',
    effects: [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'disbursement',
          inStates: [...REAPPROVAL_STATES],
          event: { type: 'BANK_DETAILS_CHANGED', reason: SAMPLES.CHANGE_BANK_DETAILS.reason },
        },
      },
      notifyEffect('application.bank_details_changed'),
      notifyEffect('application.bank_details_changed_finance'),
    ],
  },
  {
    guard: 'bankChangeReasonGiven',
    state: 'reporting',
    event: { type: 'CHANGE_BANK_DETAILS', reason: '  ', ...applicant },
    refused: ['bankChangeReasonGiven'],
  },
  {
    guard: 'grantSettled',
    state: 'reporting',
    event: close({ finalReportAccepted: false }),
    refused: ['finalReportAccepted'],
  },
  {
    guard: 'grantSettled',
    state: 'reporting',
    event: close({ unsettledTranches: 1 }),
    refused: ['noUnsettledTranches'],
  },
  {
    guard: 'grantSettled',
    state: 'reporting',
    event: close({ unspentReconciled: false, unsettledTranches: 2 }),
    refused: ['noUnsettledTranches', 'unspentReconciled'],
  },
];

// Effects of the transitions that have no guard.
const EFFECT_CASES: [string, ApplicationEvent, Effect[]][] = [
  ['eligible', SAMPLES.REVIEW_STARTED, [notifyEffect('application.in_review')]],
  ['in_review', SAMPLES.WAITLIST, [notifyEffect('application.waitlisted')]],
  ['in_review', SAMPLES.REJECT, [notifyEffect('application.rejected')]],
  ['reviewed', { type: 'REJECT', ...manager }, [notifyEffect('application.rejected')]],
  ['reviewed', SAMPLES.REVIEW_PENDING, [notifyEffect('application.in_review')]],
  [
    'eligible',
    SAMPLES.WITHDRAW,
    [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'review',
          inStates: ['draft'],
          event: { type: 'APPLICATION_WITHDRAWN' },
        },
      },
      notifyEffect('application.withdrawn'),
    ],
  ],
  [
    'in_review',
    SAMPLES.WITHDRAW,
    [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'review',
          inStates: ['draft'],
          event: { type: 'APPLICATION_WITHDRAWN' },
        },
      },
      notifyEffect('application.withdrawn'),
    ],
  ],
  [
    'awarded',
    SAMPLES.WITHDRAW,
    [
      {
        type: 'cascade',
        params: {
          target: 'children',
          machine: 'review',
          inStates: ['draft'],
          event: { type: 'APPLICATION_WITHDRAWN' },
        },
      },
      notifyEffect('application.withdrawn'),
    ],
  ],
  ['waitlisted', SAMPLES.DECISIONS_CONFIRMED, [notifyEffect('application.rejected')]],
  ['awarded', SAMPLES.DECLINE_AWARD, [notifyEffect('application.award_declined')]],
  ['active', SAMPLES.FINAL_REPORT_DUE, [notifyEffect('application.final_report_due')]],
  ['submitted', SAMPLES.CALL_CANCELLED, [notifyEffect('application.call_cancelled')]],
  ['draft', SAMPLES.UPDATE_DRAFT, []],
];

describe('application machine', () => {
  it('starts in draft from its input', () => {
    const [snapshot, actions] = initialTransition(applicationMachine, INPUT);
    expect(snapshot.value).toBe('draft');
    expect(snapshot.context).toEqual(BASE);
    expect(actions).toEqual([]);
  });

  itHonoursItsTableAndGuards(f, SAMPLES, TABLE, GUARD_CASES);

  it.each(EFFECT_CASES.map(([state, event, effects]) => [`${state} + ${event.type}`, state, event, effects] as const))(
    '%s has its effects',
    (_, state, event, effects) => {
      expect(f.send(f.at(state), event).effects).toEqual(effects);
    },
  );

  it('remembers what later steps need', () => {
    const asked = f.send(f.at('submitted', { answers: ['old'] }), SAMPLES.REQUEST_INFO).snapshot;
    expect(asked.context).toMatchObject({ questions: [QUESTION], answers: [] });
    const answered = f.send(f.at('more_info'), SAMPLES.RESUBMIT).snapshot;
    expect(answered.context.answers).toEqual(['The youth committee of the aiyl aimak']);
    expect(f.send(f.at('in_review'), award(240_000, 500_000, REDUCED)).snapshot.context).toMatchObject({
      awardedMinor: 240_000,
      reason: REDUCED,
    });
    expect(f.send(f.at('reviewed'), { type: 'REJECT', ...manager }).snapshot.context.reason).toBeNull();
    expect(f.send(f.at('in_review'), SAMPLES.REJECT).snapshot.context.reason).toBe('Scored below the funding line');
    expect(f.send(f.at('eligible'), SAMPLES.CALL_CANCELLED).snapshot.context.reason).toBe(
      'The co-funding was withdrawn',
    );
  });

  it('UPDATE_DRAFT changes only the fields given', () => {
    const event: ApplicationEvent = {
      type: 'UPDATE_DRAFT',
      changes: { title: 'A playground and benches', municipality: 'Gulistan' },
      ...applicant,
    };
    expect(f.send(f.at('draft'), event).snapshot.context).toEqual({
      ...BASE,
      title: 'A playground and benches',
      proposal: { ...PROPOSAL, municipality: 'Gulistan' },
    });
  });

  it('UPDATE_DRAFT computes the amount requested from the budget', () => {
    const event: ApplicationEvent = {
      type: 'UPDATE_DRAFT',
      changes: { budget: [line(4, 12_550), line(1, 99)] },
      ...applicant,
    };
    expect(f.send(f.at('draft'), event).snapshot.context).toMatchObject({
      requestedMinor: 50_299,
      proposal: { budget: [line(4, 12_550), line(1, 99)] },
    });
    expect(
      f.send(f.at('draft'), { type: 'UPDATE_DRAFT', changes: { budget: [] }, ...applicant }).snapshot.context
        .requestedMinor,
    ).toBe(0);
  });

  it('lets the group edit where UPDATE_DRAFT is taken: draft and more_info', () => {
    expect(EDITABLE_STATES).toEqual(['draft', 'more_info']);
  });

  it('starts with the amount its budget adds up to', () => {
    expect(initialTransition(applicationMachine, INPUT)[0].context.requestedMinor).toBe(250_000);
  });
});

describe('grantTranches', () => {
  const facts = APPLICATION_SAMPLES.ACCEPT_AWARD.facts;
  const context = (awardedMinor: number, currency = 'EUR') => ({ ...BASE, awardedMinor, currency });

  it('splits a reduced award by the plan, to the cent, summing to it exactly', () => {
    const tranches = grantTranches(context(210_001), facts);
    expect(tranches.map((t) => t.amountMinor)).toEqual([147_001, 63_000]);
    expect(tranches.every((t) => t.grantAmountMinor === 210_001)).toBe(true);
  });

  it('pays a KGS grant in whole soms', () => {
    const tranches = grantTranches(context(20_000_000, 'KGS'), facts);
    expect(tranches.map((t) => [t.amountMinor, t.currency, t.release])).toEqual([
      [14_000_000, 'KGS', 'on_acceptance'],
      [6_000_000, 'KGS', 'interim_report_accepted'],
    ]);
    expect(grantTranches(context(3_333_300, 'KGS'), facts).map((t) => t.amountMinor % 100)).toEqual([0, 0]);
  });

  it('leaves out a share that comes to nothing', () => {
    expect(grantTranches(context(1), facts).map((t) => t.amountMinor)).toEqual([1]);
  });
});

describe('the refusal of a submission to a call no longer open', () => {
  const phase = (callState: string, callClosedAt: string | null) =>
    (
      applicationWorkflow.explanations.callOpen(BASE, {
        ...SAMPLES.SUBMIT,
        facts: { ...FACTS, callState: callState as never, callClosedAt },
      } as never) as { phase: string }
    ).phase;

  it('says not yet before it opens, closed early when closed before its deadline, over after it', () => {
    expect(phase('scheduled', null)).toBe('notYet');
    expect(phase('closed', daysAfterT0(10))).toBe('early');
    expect(phase('closed', daysAfterT0(30))).toBe('over');
    expect(phase('cancelled', null)).toBe('over');
  });
});
