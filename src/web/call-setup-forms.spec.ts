import { createActor } from 'xstate';
import { callMachine, type CallInput } from '../../workflows/call.machine';
import { CALL_INPUT } from '../../workflows/fixtures';
import { T0, daysAfterT0 } from '../../workflows/testing';
import { parseTask, timeOf, weightOf, weightSum, withRowAction } from './call-setup-forms';
import { notReady, taskStatuses } from './call-setup-terms';

// The call's setup pages as forms: what a manager types becomes an UPDATE's fields, or the
// problems to show; and what the call machine's PUBLISH guard says is not ready, task by task.

const TERMS = { currency: 'EUR', maxAward: '2500.00', timeZone: 'Asia/Bishkek', now: new Date('2027-01-01T00:00:00Z') };
const MANAGER = { id: 'manager-1', role: 'manager' as const };

const snapshotOf = (changes: Partial<CallInput>) =>
  createActor(callMachine, { input: { ...CALL_INPUT, ...changes } }).getSnapshot();

describe('the call setup forms', () => {
  it('reads weights and times as people type them', () => {
    expect(weightOf('40')).toBe(40);
    expect(weightOf('12,5')).toBe(12.5);
    expect(weightOf('0')).toBeNull();
    expect(weightOf('101')).toBeNull();
    expect(weightOf('33.333')).toBeNull();
    expect(timeOf('9.30')).toBe('09:30');
    expect(timeOf('18:00')).toBe('18:00');
    expect(timeOf('24:00')).toBeNull();
    expect(weightSum([{ weight: '33.33' }, { weight: '33.33' }, { weight: '33,34' }, { weight: 'x' }])).toBe(100);
  });

  it('refuses weights that do not add up to 100 with the machine’s own words, and saves those that do', () => {
    const body = {
      'criteria-0-name': 'Need',
      'criteria-0-weight': '60',
      'criteria-1-name': 'Plan',
      'criteria-1-weight': '30',
    };
    const refused = parseTask('criteria', body, TERMS);
    expect(refused.errors).toEqual([{ field: 'weights-sum', key: 'call.weightsSumTo100', params: { sum: 90 } }]);
    expect(refused.changes).toEqual({});
    const saved = parseTask('criteria', { ...body, 'criteria-1-weight': '40' }, TERMS);
    expect(saved.errors).toEqual([]);
    expect(saved.changes).toEqual({
      criteria: [
        { name: 'Need', weight: 60 },
        { name: 'Plan', weight: 40 },
      ],
    });
  });

  it('reads the dates on the programme’s clock, and refuses a call that closes before it opens', () => {
    const day = { 'opens-day': '15', 'opens-month': '1', 'opens-year': '2027', 'opens-time': '9:00' };
    const saved = parseTask(
      'dates',
      { ...day, 'closes-day': '28', 'closes-month': '2', 'closes-year': '2027', 'closes-time': '18:00' },
      TERMS,
    );
    expect(saved.changes).toEqual({ opensAt: '2027-01-15T09:00', closesAt: '2027-02-28T18:00' });
    const refused = parseTask(
      'dates',
      { ...day, 'closes-day': '14', 'closes-month': '1', 'closes-year': '2027', 'closes-time': '18:00' },
      TERMS,
    );
    expect(refused.errors.map((e) => e.key)).toEqual(['web.setup.error.closesBeforeOpens']);
  });

  it('drops blank lines, numbers the questions, and adds or removes lines without saving', () => {
    const parsed = parseTask(
      'questions',
      {
        'questions-0-en': '',
        'questions-0-ru': '',
        'questions-0-ky': '',
        'questions-1-ru': 'Есть ли айыл окмоту?',
        'questions-1-required': 'yes',
      },
      TERMS,
    );
    expect(parsed.changes).toEqual({ questions: [{ id: 'q1', text: { ru: 'Есть ли айыл окмоту?' }, required: true }] });
    const body = { 'municipalities-0-name': 'Zhazy', 'municipalities-1-name': 'Gulistan' };
    expect(withRowAction('municipalities', body, { kind: 'add' })).toHaveLength(3);
    expect(withRowAction('municipalities', body, { kind: 'remove', index: 0 })).toEqual([{ name: 'Gulistan' }]);
  });

  it('reads the review terms within the API’s ranges, a blank lowest score as none and a blank limit as no limit', () => {
    const body = {
      count: '3',
      reminderDays: '5',
      rankBy: 'normalised',
      disagreement: '12,5',
      minimumScore: '',
      maxAwards: '',
    };
    expect(parseTask('reviewers', body, TERMS)).toEqual({
      values: body,
      changes: {
        reviewersPerApplication: 3,
        reviewReminderDays: 5,
        rankBy: 'normalised',
        disagreementThreshold: 12.5,
        minimumScore: 0,
        maxAwardsPerMunicipality: null,
      },
      errors: [],
    });
    expect(parseTask('reviewers', { ...body, minimumScore: '50', maxAwards: '2' }, TERMS).changes).toMatchObject({
      minimumScore: 50,
      maxAwardsPerMunicipality: 2,
    });
    // what the machine's reviewTermsInRange and the API refuse, each named beside its field
    const refused = parseTask(
      'reviewers',
      { count: '3', reminderDays: '61', rankBy: 'median', disagreement: '0', minimumScore: '101', maxAwards: '0' },
      TERMS,
    );
    expect(refused.changes).toEqual({});
    expect(refused.errors).toEqual([
      { field: 'reminderDays', key: 'web.setup.error.reminderDays' },
      { field: 'rankBy', key: 'web.setup.error.rankBy' },
      { field: 'disagreement', key: 'web.setup.error.disagreement' },
      { field: 'minimumScore', key: 'web.setup.error.minimumScore' },
      { field: 'maxAwards', key: 'web.setup.error.maxAwards' },
    ]);
    const edges = { ...body, reminderDays: '0', disagreement: '100', minimumScore: '100', maxAwards: '1000' };
    expect(parseTask('reviewers', edges, TERMS).errors).toEqual([]);
    expect(parseTask('reviewers', { ...body, disagreement: '0.05', maxAwards: '2.5' }, TERMS).errors).toEqual([
      { field: 'disagreement', key: 'web.setup.error.disagreement' },
      { field: 'maxAwards', key: 'web.setup.error.maxAwards' },
    ]);
  });

  it('reads how many applications one group may submit beside the composition rule', () => {
    expect(parseTask('composition', { rule: 'none', perGroup: '2' }, TERMS).changes).toEqual({
      composition: null,
      applicationsPerGroup: 2,
    });
    expect(
      parseTask('composition', { rule: 'some', groups: ['civil_society'], minimum: '1', perGroup: '1' }, TERMS).changes,
    ).toEqual({ composition: { minimumGroups: 1, groups: ['civil_society'] }, applicationsPerGroup: 1 });
    for (const perGroup of ['0', '101', ''])
      expect(parseTask('composition', { rule: 'none', perGroup }, TERMS).errors).toEqual([
        { field: 'perGroup', key: 'web.setup.error.perGroup' },
      ]);
  });

  it('keeps the finance threshold within the largest grant', () => {
    expect(parseTask('finance', { threshold: '2 000' }, TERMS).changes).toEqual({ financeThreshold: '2000.00' });
    expect(parseTask('finance', { threshold: '3000' }, TERMS).errors[0].key).toBe(
      'web.setup.error.thresholdOverMaxAward',
    );
  });
});

describe('what the call machine says is not ready', () => {
  it('names nothing for a complete call: every task is completed', () => {
    const missing = notReady(snapshotOf({}), MANAGER, new Date(T0));
    expect(missing).toEqual([]);
    expect(new Set(Object.values(taskStatuses(missing)))).toEqual(new Set(['completed']));
  });

  it('names each term PUBLISH refuses, with the task that fixes it; a task needing another cannot start', () => {
    const snapshot = snapshotOf({
      budgetMinor: 0,
      criteria: [{ name: 'Need', description: '', weight: 90 }],
      closesAt: T0,
    });
    const missing = notReady(snapshot, MANAGER, new Date(daysAfterT0(1)));
    expect(missing.map((m) => [m.key, m.task])).toEqual([
      ['call.budgetPositive', 'money'],
      ['call.maxAwardWithinBudget', 'money'],
      ['call.opensBeforeCloses', 'dates'],
      ['call.closesAfterPublishing', 'dates'],
      ['call.weightsSumTo100', 'criteria'],
    ]);
    expect(missing.find((m) => m.key === 'call.weightsSumTo100')?.params).toEqual({ sum: 90 });
    expect(taskStatuses(missing)).toMatchObject({
      money: 'incomplete',
      finance: 'cannotStart',
      dates: 'incomplete',
      reports: 'cannotStart',
      criteria: 'incomplete',
      scale: 'completed',
    });
  });

  it('sends the review terms and the applications per group to the pages that set them', () => {
    const snapshot = snapshotOf({ applicationsPerGroup: 0, disagreementThreshold: 0 });
    expect(notReady(snapshot, MANAGER, new Date(T0)).map((m) => [m.key, m.task])).toEqual([
      ['call.applicationsPerGroupPositive', 'composition'],
      ['call.reviewTermsInRange', 'reviewers'],
    ]);
  });
});
