import { afterFailure, describeError, MAX_RETRY_DELAY_MS, retryDelayMs, sendingOrder, verdictOf } from './delivery';

describe('delivery rules', () => {
  it('takes a 5xx answer as permanent and a 4xx answer as temporary', () => {
    expect(verdictOf({ code: 'EENVELOPE', responseCode: 550 })).toBe('permanent');
    expect(verdictOf({ code: 'EENVELOPE', responseCode: 554 })).toBe('permanent');
    expect(verdictOf({ code: 'EENVELOPE', responseCode: 450 })).toBe('temporary');
    expect(verdictOf({ code: 'EMESSAGE', responseCode: 421 })).toBe('temporary');
  });

  it('takes refused connections, timeouts and failed sign-in to the server as temporary', () => {
    expect(verdictOf({ code: 'ECONNECTION' })).toBe('temporary');
    expect(verdictOf({ code: 'ETIMEDOUT' })).toBe('temporary');
    expect(verdictOf({ code: 'EAUTH', responseCode: 535 })).toBe('temporary');
    expect(verdictOf(new Error('socket hang up'))).toBe('temporary');
    expect(verdictOf(undefined)).toBe('temporary');
  });

  it('doubles the delay per attempt, with up to half of it random', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(2, 1000, () => 0)).toBe(1000);
    expect(retryDelayMs(4, 1000, () => 1)).toBe(8000);
    expect(retryDelayMs(4, 1000, () => 0.5)).toBe(6000);
  });

  it('never waits more than an hour', () => {
    expect(retryDelayMs(40, 30_000, () => 1)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('kills an email at once on a permanent refusal, otherwise after the last attempt', () => {
    expect(afterFailure({ responseCode: 550 }, 1, 8)).toEqual({ status: 'dead', verdict: 'permanent' });
    expect(afterFailure({ code: 'ECONNECTION' }, 7, 8)).toEqual({ status: 'failed', verdict: 'temporary' });
    expect(afterFailure({ code: 'ECONNECTION' }, 8, 8)).toEqual({ status: 'dead', verdict: 'temporary' });
  });

  it('keeps the server answer on one line', () => {
    expect(describeError({ code: 'EENVELOPE', response: '550 5.1.1 <x@y>:\r\n no such user' })).toBe(
      'EENVELOPE: 550 5.1.1 <x@y>: no such user',
    );
    expect(describeError(new Error('boom'))).toBe('boom');
  });

  it("sends one person's emails about one record one after another, in queue order, beside all others", () => {
    const row = (seq: string, email: string, subject: string | null) => ({
      seq,
      email,
      subject_id: subject,
      id: `${email}/${subject}/${seq}`,
    });
    // as RETURNING gives them: in no order
    const claimed = [
      row('12', 'ana@x', 'app-1'),
      row('3', 'ana@x', 'app-1'),
      row('5', 'bek@x', 'app-1'),
      row('4', 'ana@x', 'app-2'),
      row('10', 'ana@x', 'app-1'),
      row('7', 'bek@x', null),
      row('6', 'bek@x', null),
    ];
    expect(sendingOrder(claimed).map((chain) => chain.map((r) => r.seq))).toEqual([
      ['3', '10', '12'],
      ['4'],
      ['5'],
      ['6', '7'],
    ]);
  });

  it('orders by queue position as a number, past what a double holds exactly', () => {
    const claimed = [
      { seq: '9007199254740993', email: 'a@x', subject_id: 's' },
      { seq: '9007199254740992', email: 'a@x', subject_id: 's' },
      { seq: '10', email: 'a@x', subject_id: 's' },
    ];
    expect(sendingOrder(claimed)[0].map((r) => r.seq)).toEqual(['10', '9007199254740992', '9007199254740993']);
  });
});
