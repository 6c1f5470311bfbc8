import { SHORTAGE_HOLD_MS, shortageOf, shortageProblem } from './database-shortage';

describe('shortageOf', () => {
  it('knows SQLSTATE class 53 by its code, from the server and the embedded database alike', () => {
    expect(
      shortageOf({ code: '53100', message: 'could not extend file "base/5/16385": No space left on device' }),
    ).toEqual({ sqlState: '53100', what: 'disk space' });
    expect(shortageOf({ code: '53200' })).toEqual({ sqlState: '53200', what: 'memory' });
    expect(shortageOf({ code: '53300' })).toEqual({ sqlState: '53300', what: 'connections' });
    expect(shortageOf({ code: '53000' })).toEqual({ sqlState: '53000', what: 'resources' });
  });

  it('leaves every other error alone', () => {
    for (const error of [
      { code: '23505' },
      { code: '25006' },
      { code: 'ECONNREFUSED' },
      { code: 53100 },
      new Error('53100'),
      null,
      undefined,
    ]) {
      expect(shortageOf(error)).toBeNull();
    }
  });
});

describe('shortageProblem', () => {
  const last = { shortage: { sqlState: '53100', what: 'disk space' }, at: 1_000_000 };

  it('keeps the instance out of traffic for the hold after a shortage', () => {
    expect(shortageProblem(last, last.at)).toBe(
      'the database refused a write for lack of disk space (SQLSTATE 53100) 0 s ago',
    );
    expect(shortageProblem(last, last.at + 12_400)).toMatch(/ 12 s ago$/);
    expect(shortageProblem(last, last.at + SHORTAGE_HOLD_MS - 1)).not.toBeNull();
  });

  it('lets traffic back once the hold is over, by itself', () => {
    expect(shortageProblem(last, last.at + SHORTAGE_HOLD_MS)).toBeNull();
    expect(shortageProblem(last, last.at + 5_000, 5_000)).toBeNull();
    expect(shortageProblem(null, last.at)).toBeNull();
  });
});
