import type { Locale } from '../../workflows/localised';
import { DomainError, ErrorCode } from '../common/domain-error';
import { parseAmount } from '../common/money';
import type { ApplicationView } from '../applications/application.views';
import type {
  ApplicationReviewsView,
  BoardView,
  RankingEntry,
  RankingView,
  WithheldEntry,
} from '../reviews/review.views';

/** What waits for the member on a call: applications to declare on, reviews to write, the deadline. */
export function waiting(board: BoardView) {
  const undeclared = board.applications.filter((a) => a.declaration === null).length;
  const drafts = board.applications.filter((a) => a.review?.state === 'draft').length;
  const submitted = board.applications.filter((a) => a.review?.state === 'submitted').length;
  return { undeclared, drafts, submitted, assigned: drafts + submitted, reviewDueAt: board.reviewDueAt };
}

/**
 * Why the others' reviews are hidden, as a catalogue key and its parameters: the blind rule's
 * reasons as GET /applications/{id}/reviews gives them (in English, for API clients).
 */
export function blindWords(view: ApplicationReviewsView): { key: string; params: Record<string, number> } | null {
  const reason = view.hiddenBecause;
  if (reason === null) return null;
  const outstanding = /^submit your (\d+) outstanding/.exec(reason);
  if (outstanding) return { key: 'web.review.blind.outstanding', params: { count: Number(outstanding[1]) } };
  if (reason.startsWith('submit your own')) return { key: 'web.review.blind.ownFirst', params: {} };
  if (reason.includes('chair')) return { key: 'web.review.blind.chairHides', params: {} };
  return { key: 'web.review.blind.notYet', params: {} };
}

export type RankingRow = (RankingEntry & { withheld: false }) | WithheldEntry;

/** The ranking's entries, each marked whether it is withheld from the member. */
export function rankingRows(ranking: RankingView): RankingRow[] {
  return ranking.entries.map((e) => ('withheld' in e ? e : { ...e, withheld: false as const }));
}

/** Why the ranking is not yet the member's to read, in their language; null for any other refusal. */
export function rankingWait(error: unknown, locale: Locale): string | null {
  if (!(error instanceof DomainError) || error.code !== ErrorCode.Forbidden) return null;
  const waits = ['ranking.outstandingReviews', 'ranking.hiddenUntilComplete'];
  if (!error.reasons.every((r) => waits.includes(r.key))) return null;
  return error.inLocale(locale).message;
}

/** The proposal's amounts in minor units, for the pages' money helper: each budget line's total, and the sum asked for. */
export function proposalMoney(application: ApplicationView) {
  const { currency, proposal } = application;
  const minor = (amount: string) => ({ minor: parseAmount(amount, currency), currency });
  return { lines: proposal.budget.map((line) => minor(line.total)), requested: minor(application.requestedAmount) };
}
