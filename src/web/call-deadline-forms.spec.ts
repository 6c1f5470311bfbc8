import { deadlineValues, parseDeadline } from './call-deadline-forms';

// The new deadline of an open call, as its page reads it: on the programme's clock, later than
// the deadline now (the call machine's EXTEND_DEADLINE guard) and than now.

// 18:00 in Bishkek (UTC+6) on 28 February 2027.
const TERMS = { closesAt: '2027-02-28T12:00:00.000Z', timeZone: 'Asia/Bishkek', now: new Date('2027-02-01T00:00:00Z') };
const on = (day: string, month: string, year: string, time: string) => ({
  'closes-day': day,
  'closes-month': month,
  'closes-year': year,
  'closes-time': time,
});

describe('the deadline page’s form', () => {
  it('shows the deadline now on the programme’s clock', () => {
    expect(deadlineValues(TERMS.closesAt, TERMS.timeZone)).toEqual(on('28', '2', '2027', '18:00'));
  });

  it('reads a later deadline as EXTEND_DEADLINE takes it, on the programme’s clock', () => {
    expect(parseDeadline(on('15', '3', '2027', '9.30'), TERMS)).toEqual({
      values: on('15', '3', '2027', '9.30'),
      closesAt: '2027-03-15T09:30',
      errors: [],
    });
  });

  it('refuses a deadline no later than the one now, naming it, and one already past', () => {
    const same = parseDeadline(on('28', '2', '2027', '18:00'), TERMS);
    expect(same.closesAt).toBeNull();
    expect(same.errors).toEqual([
      { field: 'closes', key: 'web.setup.extend.notLater', params: { closesAt: { date: TERMS.closesAt } } },
    ]);
    const lapsed = { ...TERMS, closesAt: '2027-01-01T12:00:00.000Z' };
    expect(parseDeadline(on('20', '1', '2027', '18:00'), lapsed).errors).toEqual([
      { field: 'closes', key: 'web.setup.error.closesPast' },
    ]);
  });

  it('refuses a day or a time that is not one', () => {
    expect(parseDeadline(on('30', '2', '2027', '25:00'), TERMS).errors).toEqual([
      { field: 'closes', key: 'web.setup.error.day' },
      { field: 'closes-time', key: 'web.setup.error.time' },
    ]);
  });
});
