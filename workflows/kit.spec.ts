import { failedConditions, filled, guardsFor, isRuleGuard, isoAtOrAfter, isoBefore, type Stamp } from './kit';
import { PEOPLE, T0, by } from './testing';

interface Ctx {
  limit: number;
}
type Ev = ({ type: 'PAY'; amount: number; note?: string } & Stamp) | ({ type: 'STOP'; reason: string } & Stamp);

const { check, rule, branch } = guardsFor<Ctx, Ev>();
const context: Ctx = { limit: 100 };
const pay = (amount: number, note?: string): Ev => ({
  type: 'PAY',
  amount,
  ...(note ? { note } : {}),
  ...by(PEOPLE.finance),
});
const stop: Ev = { type: 'STOP', reason: 'done', ...by(PEOPLE.manager) };

describe('guard builders', () => {
  it('check() reads its own event types and is false for any other', () => {
    const withinLimit = check('PAY', (c, e) => e.amount <= c.limit);
    expect(withinLimit({ context, event: pay(100) })).toBe(true);
    expect(withinLimit({ context, event: pay(101) })).toBe(false);
    expect(withinLimit({ context, event: stop })).toBe(false);
    expect(check(['PAY', 'STOP'], () => true)({ context, event: stop })).toBe(true);
  });

  it('rule() passes only when every condition holds, and names the ones that fail', () => {
    const payable = rule('PAY', {
      require: {
        positive: (_, e) => e.amount > 0,
        withinLimit: (c, e) => e.amount <= c.limit,
        noted: (_, e) => filled(e.note),
      },
    });
    expect(isRuleGuard(payable)).toBe(true);
    expect(payable({ context, event: pay(50, 'first tranche') })).toBe(true);
    expect(payable({ context, event: pay(500) })).toBe(false);
    expect(failedConditions(payable, context, pay(500))).toEqual(['withinLimit', 'noted']);
    expect(failedConditions(payable, context, pay(-1, 'x'))).toEqual(['positive']);
  });

  it('a branch not selected fails without naming any condition', () => {
    const large = rule('PAY', { when: (c, e) => e.amount > c.limit, require: { noted: (_, e) => filled(e.note) } });
    expect(large({ context, event: pay(10) })).toBe(false);
    expect(failedConditions(large, context, pay(10))).toEqual([]);
    expect(failedConditions(large, context, pay(200))).toEqual(['noted']);
    const small = branch('PAY', (c, e) => e.amount <= c.limit);
    expect(small({ context, event: pay(10) })).toBe(true);
    expect(small.rule.require).toEqual({});
  });

  it('plain guards are not rule guards', () => {
    expect(isRuleGuard(check('PAY', () => true))).toBe(false);
    expect(isRuleGuard('payable')).toBe(false);
  });
});

describe('time and text helpers', () => {
  it('compares ISO times, refusing invalid ones', () => {
    expect(isoBefore(T0, '2020-03-02T09:00:00.001Z')).toBe(true);
    expect(isoBefore(T0, T0)).toBe(false);
    expect(isoAtOrAfter(T0, T0)).toBe(true);
    expect(isoAtOrAfter('2020-03-02T08:00:00Z', T0)).toBe(false);
    expect(isoBefore('soon', T0)).toBe(false);
    expect(isoAtOrAfter(T0, 'never')).toBe(false);
  });

  it('filled() wants something besides white space', () => {
    expect(filled(' a ')).toBe(true);
    expect(filled(' \n ')).toBe(false);
    expect(filled(undefined)).toBe(false);
    expect(filled(null)).toBe(false);
  });
});
