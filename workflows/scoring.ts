// Committee review aggregation: each review's weighted score, the reviewer's harshness taken out,
// one score per application with its reviewers' disagreement, and the ranking with its tie-breaks.

/** What a call's review is scored on: a weight per criterion and the scale every criterion is scored in. */
export interface ScoringTerms {
  criteria: { weight: number }[];
  scale: { min: number; max: number };
}

/** One submitted review: a score per criterion, in the call's criteria order. */
export interface SubmittedReview {
  reviewerId: string;
  applicationId: string;
  scores: number[];
}

// Below this a standard deviation is float noise: reviews that do not vary.
const FLAT = 1e-9;

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Population standard deviation; 0 for fewer than two values or values equal but for float noise. */
function populationSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const m = mean(values);
  const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / values.length);
  return sd < FLAT ? 0 : sd;
}

/**
 * A review's score as a percentage: sum(weight × score) / sum(weight × scale.max) × 100. A scale
 * starting above 0 still divides by its maximum (all ones on a 1–5 scale is 20). Throws a
 * RangeError when there is not one score per criterion or a score lies outside the scale.
 */
export function weightedScore(scores: readonly number[], terms: ScoringTerms): number {
  const { criteria, scale } = terms;
  if (scores.length !== criteria.length)
    throw new RangeError(`${scores.length} scores for ${criteria.length} criteria`);
  const outside = scores.findIndex((s) => !Number.isFinite(s) || s < scale.min || s > scale.max);
  if (outside >= 0)
    throw new RangeError(
      `score ${scores[outside]} of criterion ${outside + 1} is outside the scale ${scale.min}–${scale.max}`,
    );
  const full = criteria.reduce((sum, c) => sum + c.weight * scale.max, 0);
  if (!(full > 0)) throw new RangeError('the criteria weigh nothing at the top of the scale');
  // Multiply before dividing: 200 * 100 / 500 is exactly 40, 200 / 500 * 100 is not.
  return (criteria.reduce((sum, c, i) => sum + c.weight * scores[i], 0) * 100) / full;
}

/**
 * Each review's weighted score with its reviewer's harshness or leniency taken out, in an array
 * parallel to `reviews`. Per reviewer, a score becomes its z-score among that reviewer's own
 * reviews, (x − mean) / sd with the population standard deviation, then is put back on the call's
 * footing: callMean + z × callSd, the mean and population standard deviation of every review's
 * weighted score. A reviewer whose scores do not vary (one review, or all alike) gets z = 0, so
 * callMean. Results are clamped to 0..100.
 */
export function normalisedScores(reviews: readonly SubmittedReview[], terms: ScoringTerms): number[] {
  return normalise(
    reviews,
    reviews.map((r) => weightedScore(r.scores, terms)),
  );
}

function normalise(reviews: readonly SubmittedReview[], raw: number[]): number[] {
  if (raw.length === 0) return [];
  const callMean = mean(raw);
  const callSd = populationSd(raw);
  const byReviewer = new Map<string, number[]>();
  reviews.forEach((r, i) => byReviewer.set(r.reviewerId, [...(byReviewer.get(r.reviewerId) ?? []), raw[i]]));
  const stats = new Map([...byReviewer].map(([id, own]) => [id, { mean: mean(own), sd: populationSd(own) }]));
  return reviews.map((r, i) => {
    const own = stats.get(r.reviewerId) ?? { mean: raw[i], sd: 0 };
    const z = own.sd === 0 ? 0 : (raw[i] - own.mean) / own.sd;
    return Math.min(100, Math.max(0, callMean + z * callSd));
  });
}

export interface ApplicationScore {
  applicationId: string;
  /** Submitted reviews counted. */
  reviews: number;
  /** Mean of the reviews' weighted scores. */
  raw: number;
  /** Mean of the reviews' normalised scores. */
  normalised: number;
  /** The lowest weighted (raw) review score, used for tie-breaks. */
  lowest: number;
  /** Population standard deviation of the raw weighted scores (0 for one review). */
  spread: number;
  /** The spread is strictly greater than the threshold. */
  disagreement: boolean;
}

/**
 * One score per application with at least one review, in order of first appearance. Normalised
 * scores are taken over all `reviews` together, so pass every submitted review of the call. A spread
 * exactly at the threshold (to 1e-9, so float noise does not count) is not a disagreement.
 */
export function applicationScores(
  reviews: readonly SubmittedReview[],
  terms: ScoringTerms,
  options: { disagreementThreshold: number },
): ApplicationScore[] {
  const raw = reviews.map((r) => weightedScore(r.scores, terms));
  const normalised = normalise(reviews, raw);
  const byApplication = new Map<string, { raw: number[]; normalised: number[] }>();
  reviews.forEach((r, i) => {
    const entry = byApplication.get(r.applicationId) ?? { raw: [], normalised: [] };
    entry.raw.push(raw[i]);
    entry.normalised.push(normalised[i]);
    byApplication.set(r.applicationId, entry);
  });
  return [...byApplication].map(([applicationId, entry]) => {
    const spread = populationSd(entry.raw);
    return {
      applicationId,
      reviews: entry.raw.length,
      raw: mean(entry.raw),
      normalised: mean(entry.normalised),
      lowest: Math.min(...entry.raw),
      spread,
      disagreement: spread > options.disagreementThreshold + FLAT,
    };
  });
}

export interface RankEntry {
  applicationId: string;
  /** Null: no reviews yet. */
  score: number | null;
  lowest: number | null;
  /** ISO 8601 time. */
  submittedAt: string;
}

/** The ranking's tie-break rule, as shown to managers and applicants. */
export const TIE_BREAK =
  'Equal scores: the application whose lowest review score is higher ranks first, then the one submitted earlier, ' +
  'then the one with the lower application id. Applications not yet reviewed come last, in the same order.';

// Scores compared to 6 decimals, so float noise does not break a tie.
const sixDecimals = (x: number | null) => (x === null ? -Infinity : Math.round(x * 1e6) / 1e6);
const timeOf = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : Infinity;
};
const ascending = <V extends number | string>(a: V, b: V) => (a < b ? -1 : a > b ? 1 : 0);

function byRankOrder(a: RankEntry, b: RankEntry): number {
  return (
    ascending(a.score === null ? 1 : 0, b.score === null ? 1 : 0) ||
    ascending(sixDecimals(b.score), sixDecimals(a.score)) ||
    ascending(sixDecimals(b.lowest), sixDecimals(a.lowest)) ||
    ascending(timeOf(a.submittedAt), timeOf(b.submittedAt)) ||
    ascending(a.applicationId, b.applicationId)
  );
}

/**
 * The entries by score, highest first, ranked 1..n with no shared ranks; ties broken as TIE_BREAK
 * says (a missing `lowest` counts as the lowest, an unreadable time as the latest). The input is
 * not changed and its order does not matter.
 */
export function rank<T extends RankEntry>(entries: readonly T[]): (T & { rank: number })[] {
  return [...entries].sort(byRankOrder).map((entry, i) => ({ ...entry, rank: i + 1 }));
}
