import { initialTransition } from 'xstate';
import { reportMachine, type ReportContext, type ReportEvent } from './report.machine';
import { REPORT_INPUT, REPORT_SAMPLES } from './fixtures';
import { Fixture, PEOPLE, by, daysAfterT0, notifyEffect, type GuardCase, type Table } from './testing';
import { itHonoursItsTableAndGuards } from './contract.spec-helper';

const INPUT = REPORT_INPUT;

const BASE: ReportContext = { ...INPUT, comments: [], submittedAt: null };

const f = new Fixture<ReportContext, ReportEvent>(reportMachine, BASE, {
  submitted: { submittedAt: daysAfterT0(29) },
  revision_requested: { submittedAt: daysAfterT0(29), comments: ['Add the receipts for the paint'] },
  accepted: { submittedAt: daysAfterT0(29) },
});

const applicant = by(PEOPLE.applicant, daysAfterT0(29));
const manager = by(PEOPLE.manager, daysAfterT0(31));
const SAMPLES = REPORT_SAMPLES;

const TABLE: Table<ReportEvent> = {
  scheduled: { DUE: 'due', SUBMIT: 'submitted' },
  due: { MARK_OVERDUE: 'overdue', SUBMIT: 'submitted' },
  overdue: { SUBMIT: 'submitted' },
  submitted: { ACCEPT: 'accepted', REQUEST_REVISION: 'revision_requested' },
  revision_requested: { SUBMIT: 'submitted' },
  accepted: {},
};

const early = (type: 'DUE' | 'MARK_OVERDUE'): ReportEvent => ({ type, ...by(PEOPLE.system, daysAfterT0(1)) });
const final = { kind: 'final' } as const;

const GUARD_CASES: GuardCase<ReportContext, ReportEvent>[] = [
  {
    guard: 'finalReportDue',
    state: 'scheduled',
    context: final,
    event: SAMPLES.DUE,
    to: 'due',
    effects: [
      {
        type: 'cascade',
        params: { target: 'parent', machine: 'application', inStates: ['active'], event: { type: 'FINAL_REPORT_DUE' } },
      },
      notifyEffect('report.due'),
    ],
  },
  { guard: 'finalReportDue', state: 'scheduled', context: final, event: early('DUE'), refused: ['dueTimeReached'] },
  {
    guard: 'interimReportDue',
    state: 'scheduled',
    event: SAMPLES.DUE,
    to: 'due',
    effects: [notifyEffect('report.due')],
  },
  { guard: 'interimReportDue', state: 'scheduled', event: early('DUE'), refused: ['dueTimeReached'] },
  {
    guard: 'overdueTimeReached',
    state: 'due',
    event: SAMPLES.MARK_OVERDUE,
    to: 'overdue',
    effects: [notifyEffect('report.overdue')],
  },
  { guard: 'overdueTimeReached', state: 'due', event: early('MARK_OVERDUE'), refused: ['overdueTimeReached'] },
  {
    guard: 'reportComplete',
    state: 'scheduled',
    event: SAMPLES.SUBMIT,
    to: 'submitted',
    effects: [notifyEffect('report.submitted')],
  },
  { guard: 'reportComplete', state: 'overdue', event: SAMPLES.SUBMIT, to: 'submitted' },
  {
    guard: 'reportComplete',
    state: 'revision_requested',
    event: { type: 'SUBMIT', facts: { missingSections: ['spending'] }, ...applicant },
    refused: ['reportComplete'],
  },
  {
    guard: 'commentsGiven',
    state: 'submitted',
    event: SAMPLES.REQUEST_REVISION,
    to: 'revision_requested',
    effects: [notifyEffect('report.revision_requested')],
  },
  {
    guard: 'commentsGiven',
    state: 'submitted',
    event: { type: 'REQUEST_REVISION', comments: [], ...manager },
    refused: ['commentsGiven'],
  },
];

describe('report machine', () => {
  it('starts scheduled with a DUE timer at dueAt', () => {
    const [snapshot, actions] = initialTransition(reportMachine, INPUT);
    expect(snapshot.value).toBe('scheduled');
    expect(snapshot.context).toEqual(BASE);
    expect(snapshot.getMeta()['report.scheduled']?.timers).toEqual([{ event: 'DUE', at: 'dueAt' }]);
    expect(actions).toEqual([]);
  });

  itHonoursItsTableAndGuards(f, SAMPLES, TABLE, GUARD_CASES);

  it('records when it was submitted and what the manager asked', () => {
    expect(f.send(f.at('due'), SAMPLES.SUBMIT).snapshot.context.submittedAt).toBe(daysAfterT0(29));
    expect(f.send(f.at('submitted'), SAMPLES.REQUEST_REVISION).snapshot.context.comments).toEqual([
      'Add the receipts for the paint',
    ]);
  });

  it('acceptance is final and tells the group', () => {
    const { snapshot, effects } = f.send(f.at('submitted'), SAMPLES.ACCEPT);
    expect(snapshot.status).toBe('done');
    expect(effects).toEqual([notifyEffect('report.accepted')]);
  });
});
