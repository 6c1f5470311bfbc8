import { instantOf, wallClock } from './time';

describe('instantOf', () => {
  it('takes a time with an offset as it is', () => {
    expect(instantOf('2027-01-15T18:00:00Z', 'Asia/Bishkek').toISOString()).toBe('2027-01-15T18:00:00.000Z');
    expect(instantOf('2027-01-15T18:00:00+06:00', 'Europe/Berlin').toISOString()).toBe('2027-01-15T12:00:00.000Z');
  });

  it('reads a time without an offset as the programme’s wall clock', () => {
    expect(instantOf('2027-01-15T18:00', 'Asia/Bishkek').toISOString()).toBe('2027-01-15T12:00:00.000Z');
    expect(instantOf('2027-01-15', 'Asia/Bishkek').toISOString()).toBe('2027-01-14T18:00:00.000Z');
  });

  it('follows summer time where the zone has it', () => {
    expect(instantOf('2027-07-01T12:00', 'Europe/Berlin').toISOString()).toBe('2027-07-01T10:00:00.000Z');
    expect(instantOf('2027-01-01T12:00', 'Europe/Berlin').toISOString()).toBe('2027-01-01T11:00:00.000Z');
    // 02:30 on the night clocks go forward does not exist; it lands an hour on.
    expect(instantOf('2027-03-28T02:30', 'Europe/Berlin').toISOString()).toBe('2027-03-28T01:30:00.000Z');
  });

  it('gives an invalid date for text that is no time', () => {
    expect(Number.isNaN(instantOf('next Friday', 'Asia/Bishkek').getTime())).toBe(true);
  });
});

describe('wallClock', () => {
  it('shows an instant as the zone’s clock reads it', () => {
    expect(wallClock(new Date('2027-01-15T12:00:00Z'), 'Asia/Bishkek')).toBe('2027-01-15 18:00');
    expect(wallClock(new Date('2027-07-01T10:00:00Z'), 'Europe/Berlin')).toBe('2027-07-01 12:00');
  });
});
