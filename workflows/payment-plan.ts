import type { ReportKind } from './report.machine';

// A grant's payment plan: the call's template of tranches, each a share of the award released on a
// condition, and the split of an award into the tranches' amounts. Pure functions: the call machine
// checks a plan at PUBLISH, the disbursement machine reads a tranche's condition.

/** When a tranche may be requested: once the award is accepted, or once a report of it is accepted. */
export const RELEASE_CONDITIONS = ['on_acceptance', 'interim_report_accepted', 'final_report_accepted'] as const;
export type ReleaseCondition = (typeof RELEASE_CONDITIONS)[number];

/** The report whose acceptance releases a tranche; none for one paid on acceptance. */
export const RELEASING_REPORT: Record<ReleaseCondition, ReportKind | null> = {
  on_acceptance: null,
  interim_report_accepted: 'interim',
  final_report_accepted: 'final',
};

/** One tranche of the plan: a whole percentage of the award and its release condition. */
export interface PlannedTranche {
  sharePercent: number;
  release: ReleaseCondition;
}

/** A call that sets no plan pays its grants in one tranche, on acceptance. */
export const DEFAULT_PAYMENT_PLAN: readonly PlannedTranche[] = [{ sharePercent: 100, release: 'on_acceptance' }];

export const MAX_PLANNED_TRANCHES = 12;

/** Whether the condition holds, given the kinds of the grant's reports accepted so far. */
export function released(release: ReleaseCondition, acceptedReports: readonly ReportKind[]): boolean {
  const report = RELEASING_REPORT[release];
  return report === null || acceptedReports.includes(report);
}

/**
 * What is wrong with a plan, as the catalogue keys of `paymentPlan.*`: none for a good one. Shares
 * are whole percentages summing to 100; conditions come in the order they can hold (acceptance,
 * then the interim report, then the final one), so no tranche waits on a later event than the next.
 */
export function paymentPlanProblems(plan: readonly PlannedTranche[]): string[] {
  const problems: string[] = [];
  if (plan.length === 0 || plan.length > MAX_PLANNED_TRANCHES) problems.push('trancheCount');
  if (plan.some((t) => !Number.isInteger(t.sharePercent) || t.sharePercent < 1 || t.sharePercent > 100))
    problems.push('wholeShares');
  else if (plan.length > 0 && plan.reduce((sum, t) => sum + t.sharePercent, 0) !== 100) problems.push('sharesSum');
  if (plan.some((t) => !RELEASE_CONDITIONS.includes(t.release))) problems.push('releaseKnown');
  else if (plan.some((t, i) => i > 0 && order(t.release) < order(plan[i - 1].release))) problems.push('releaseOrder');
  return problems;
}

const order = (release: ReleaseCondition) => RELEASE_CONDITIONS.indexOf(release);

/**
 * Splits an award of `amountMinor` by whole-percent shares (summing to 100) into amounts that sum
 * exactly to it, by the largest remainder: each share's exact quota rounded down, then the units
 * left over to the largest fractions, the earlier tranche first on a tie. Amounts are whole
 * multiples of `unitMinor` (100 to pay whole soms of a currency kept in tyiyn); what the award holds
 * below one unit goes to the last tranche.
 */
export function splitAward(amountMinor: number, sharesPercent: readonly number[], unitMinor = 1): number[] {
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0) throw new RangeError(`not an amount: ${amountMinor}`);
  if (!Number.isSafeInteger(unitMinor) || unitMinor < 1) throw new RangeError(`not a unit: ${unitMinor}`);
  if (sharesPercent.length === 0 || sharesPercent.reduce((sum, s) => sum + s, 0) !== 100)
    throw new RangeError('the shares must sum to 100');
  const units = Math.floor(amountMinor / unitMinor);
  const below = amountMinor - units * unitMinor;
  // Exact quotas in hundredths of a unit: units × share / 100, kept as integers.
  const quotas = sharesPercent.map((share, i) => ({
    i,
    whole: Math.floor((units * share) / 100),
    rest: (units * share) % 100,
  }));
  let left = units - quotas.reduce((sum, q) => sum + q.whole, 0);
  const byRest = [...quotas].sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const q of byRest) {
    if (left === 0) break;
    q.whole += 1;
    left -= 1;
  }
  const amounts = quotas.map((q) => q.whole * unitMinor);
  amounts[amounts.length - 1] += below;
  return amounts;
}
