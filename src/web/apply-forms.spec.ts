import { amountOf, budgetTotals, dayOf, parseTask, rowAction, taskOfField, withRowAction } from './apply-forms';

// The task pages' forms: what a person types becomes the API's fields, or the problems to show.

const TERMS = { questions: [{ id: 'registered' }], municipalities: ['Zhazy'], currency: 'EUR' };

describe('the application task forms', () => {
  it('reads days from the three boxes, and only real calendar days', () => {
    expect(dayOf({ day: '1', month: '3', year: '2027' })).toBe('2027-03-01');
    expect(dayOf({ day: '29', month: '2', year: '2028' })).toBe('2028-02-29');
    expect(dayOf({ day: '29', month: '2', year: '2027' })).toBeNull();
    expect(dayOf({ day: '1', month: '13', year: '2027' })).toBeNull();
    expect(dayOf({ day: '', month: '3', year: '27' })).toBeNull();
  });

  it('reads amounts as people type them, in the call’s currency', () => {
    expect(amountOf('1 400,50', 'EUR')).toBe('1400.50');
    expect(amountOf('1\u00a0400', 'EUR')).toBe('1400.00');
    expect(amountOf('12.345', 'EUR')).toBeNull();
    expect(amountOf('-5', 'EUR')).toBeNull();
    expect(amountOf('lots', 'EUR')).toBeNull();
  });

  it('tells a save from adding or removing a row, and changes only the rows shown', () => {
    expect(rowAction({ save: '1' })).toEqual({ kind: 'save' });
    expect(rowAction({ add: '1' })).toEqual({ kind: 'add' });
    expect(rowAction({ 'remove-2': '1' })).toEqual({ kind: 'remove', index: 2 });
    const body = { 'budget-0-category': 'A', 'budget-1-category': 'B', 'budget-2-category': 'C' };
    expect(withRowAction('budget', body, { kind: 'remove', index: 1 }).map((r) => r.category)).toEqual(['A', 'C']);
    expect(withRowAction('budget', body, { kind: 'add' })).toHaveLength(4);
    // the last row removed leaves one empty row to fill in
    expect(withRowAction('budget', { 'budget-0-category': 'A' }, { kind: 'remove', index: 0 })).toEqual([
      { category: '', description: '', quantity: '', unitCost: '' },
    ]);
  });

  it('turns the budget page into budget lines, leaving blank rows out and naming each wrong box', () => {
    const line = { 'budget-0-category': 'Equipment', 'budget-0-description': 'Filter', 'budget-0-quantity': '2' };
    const saved = parseTask('budget', { ...line, 'budget-0-unitCost': '1 000,50', 'budget-1-category': ' ' }, TERMS);
    expect(saved.errors).toEqual([]);
    expect(saved.changes).toEqual({
      budget: [{ category: 'Equipment', description: 'Filter', quantity: 2, unitCost: '1000.50' }],
    });
    const refused = parseTask('budget', { ...line, 'budget-0-quantity': '0', 'budget-0-unitCost': 'x' }, TERMS);
    expect(refused.errors.map((e) => e.field)).toEqual(['budget-0-quantity', 'budget-0-unitCost']);
    expect(refused.changes).toEqual({});
    expect(parseTask('budget', {}, TERMS).errors).toEqual([
      { field: 'budget-0-category', key: 'web.apply.error.budgetNone' },
    ]);
  });

  it('adds up the budget as typed, leaving out lines it cannot read', () => {
    const rows = [
      { quantity: '2', unitCost: '1000,50' },
      { quantity: '', unitCost: '10' },
    ];
    expect(budgetTotals(rows, 'EUR')).toEqual({ lines: [200100, null], total: 200100 });
  });

  it('asks an activity’s end to be no earlier than its start', () => {
    const activity = {
      'activities-0-description': 'Fit the filter',
      'activities-0-start-day': '30',
      'activities-0-start-month': '4',
      'activities-0-start-year': '2027',
      'activities-0-end-day': '1',
      'activities-0-end-month': '3',
      'activities-0-end-year': '2027',
    };
    expect(parseTask('activities', activity, TERMS).errors).toEqual([
      { field: 'activities-0-end', key: 'web.apply.error.activityOrder' },
    ]);
  });

  it('asks yes or no for every question of the call', () => {
    expect(parseTask('eligibility', { 'answer-registered': 'no' }, TERMS).changes).toEqual({
      eligibilityAnswers: { registered: false },
    });
    expect(parseTask('eligibility', { 'answer-registered': 'maybe' }, TERMS).errors.map((e) => e.field)).toEqual([
      'answer-registered',
    ]);
  });

  it('names the task page that fixes each field the machine misses', () => {
    expect(taskOfField('summary')).toBe('about');
    expect(taskOfField('title')).toBe('about');
    expect(taskOfField('eligibilityAnswers.registered')).toBe('eligibility');
    expect(taskOfField('budget')).toBe('budget');
    expect(taskOfField('participants')).toBe('participants');
  });
});
