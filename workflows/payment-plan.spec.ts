import { DEFAULT_PAYMENT_PLAN, paymentPlanProblems, released, splitAward, type PlannedTranche } from './payment-plan';

describe('splitAward', () => {
  it('splits a EUR 2,500 award 70/30 to the cent', () => {
    expect(splitAward(250_000, [70, 30])).toEqual([175_000, 75_000]);
  });

  it('gives the units left over to the largest remainders, the earlier tranche first on a tie', () => {
    // 1,000.01 in thirds of 34/33/33: 34,000.34 / 33,000.33 / 33,000.33 cents exactly, 1 cent over
    expect(splitAward(100_001, [34, 33, 33])).toEqual([34_001, 33_000, 33_000]);
    // 0.02 in 50/50 is even; 0.03 leaves a cent to the first of two equal remainders
    expect(splitAward(2, [50, 50])).toEqual([1, 1]);
    expect(splitAward(3, [50, 50])).toEqual([2, 1]);
    expect(splitAward(10, [33, 33, 34])).toEqual([3, 3, 4]);
  });

  it('always sums exactly to the award', () => {
    const plans = [[100], [70, 30], [40, 30, 30], [1, 99], [10, 10, 10, 10, 10, 10, 10, 10, 10, 10], [33, 33, 34]];
    for (const shares of plans)
      for (const amount of [0, 1, 7, 99, 100, 12_345, 250_000, 20_000_000, 123_456_789]) {
        const split = splitAward(amount, shares);
        expect([shares, amount, split.reduce((a, b) => a + b, 0)]).toEqual([shares, amount, amount]);
        expect(split.every((s) => Number.isInteger(s) && s >= 0)).toBe(true);
      }
  });

  it('pays whole soms of a KGS award kept in tyiyn, the tyiyn below a som in the last tranche', () => {
    // KGS 200,000 in 70/30: 140,000 and 60,000 soms
    expect(splitAward(20_000_000, [70, 30], 100)).toEqual([14_000_000, 6_000_000]);
    // KGS 33,333 in thirds: every tranche whole soms, the som left over to the first
    expect(splitAward(3_333_300, [34, 33, 33], 100)).toEqual([1_133_300, 1_100_000, 1_100_000]);
    const odd = splitAward(3_333_350, [50, 50], 100);
    expect(odd).toEqual([1_666_700, 1_666_650]);
    expect(odd.reduce((a, b) => a + b, 0)).toBe(3_333_350);
  });

  it('refuses shares that do not sum to 100 and amounts that are not whole minor units', () => {
    expect(() => splitAward(100, [70, 20])).toThrow(RangeError);
    expect(() => splitAward(100, [])).toThrow(RangeError);
    expect(() => splitAward(10.5, [100])).toThrow(RangeError);
    expect(() => splitAward(-1, [100])).toThrow(RangeError);
    expect(() => splitAward(100, [100], 0)).toThrow(RangeError);
  });
});

describe('paymentPlanProblems', () => {
  const plan = (...t: [number, PlannedTranche['release']][]) =>
    t.map(([sharePercent, release]) => ({ sharePercent, release }));

  it('takes the default plan and a 70/30 plan with the rest after the interim report', () => {
    expect(paymentPlanProblems(DEFAULT_PAYMENT_PLAN)).toEqual([]);
    expect(paymentPlanProblems(plan([70, 'on_acceptance'], [30, 'interim_report_accepted']))).toEqual([]);
    expect(
      paymentPlanProblems(plan([40, 'on_acceptance'], [40, 'interim_report_accepted'], [20, 'final_report_accepted'])),
    ).toEqual([]);
  });

  it('names each problem', () => {
    expect(paymentPlanProblems([])).toEqual(['trancheCount']);
    expect(
      paymentPlanProblems(plan(...Array.from({ length: 13 }, () => [1, 'on_acceptance'] as [number, 'on_acceptance']))),
    ).toContain('trancheCount');
    expect(paymentPlanProblems(plan([70, 'on_acceptance'], [20, 'on_acceptance']))).toEqual(['sharesSum']);
    expect(paymentPlanProblems(plan([70.5, 'on_acceptance'], [29.5, 'on_acceptance']))).toEqual(['wholeShares']);
    expect(paymentPlanProblems(plan([0, 'on_acceptance'], [100, 'on_acceptance']))).toEqual(['wholeShares']);
    expect(paymentPlanProblems(plan([100, 'when_asked' as PlannedTranche['release']]))).toEqual(['releaseKnown']);
    expect(paymentPlanProblems(plan([50, 'final_report_accepted'], [50, 'on_acceptance']))).toEqual(['releaseOrder']);
  });
});

describe('released', () => {
  it('holds on acceptance, and after a report only once that report is accepted', () => {
    expect(released('on_acceptance', [])).toBe(true);
    expect(released('interim_report_accepted', [])).toBe(false);
    expect(released('interim_report_accepted', ['interim'])).toBe(true);
    expect(released('final_report_accepted', ['interim'])).toBe(false);
    expect(released('final_report_accepted', ['interim', 'final'])).toBe(true);
  });
});
