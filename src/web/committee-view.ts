import type { CallView } from '../calls/call.views';
import type { CommitteeView } from '../organisations/organisation.views';
import type { ApplicationReviewsView, BoardEntry, BoardMember, BoardView } from '../reviews/review.views';
import { inLocale, type Locale } from '../../workflows/localised';

// What the committee pages show, put together from the services' answers: pure, no access decisions.

export interface Candidate {
  userId: string;
  name: string;
}

/** The call as the committee pages name it. */
export function callSummary(call: CallView, locale: Locale) {
  return {
    id: call.id,
    title: inLocale(call.title, locale),
    state: call.state,
    timeZone: call.timeZone,
    reviewersPerApplication: call.reviewersPerApplication,
    reviewDueAt: call.review.dueAt,
    scoresHiddenUntilComplete: call.review.scoresHiddenUntilComplete,
    mayStartReview: call.allowedEvents.includes('START_REVIEW'),
    maySetDeadline: call.allowedEvents.includes('SET_REVIEW_DEADLINE'),
  };
}

/** The deadline's fields as the form shows them: the one set now, on the programme's clock. */
export function deadlineValues(call: CallView): Record<string, string> {
  const local = call.review.dueAtLocal;
  if (!local) return { time: '18:00' };
  const [date, time] = local.split(' ');
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year, time };
}

/** One application's declarations: who declared none, who declared a conflict and why, who has not yet. */
function declarationsOf(entry: BoardEntry, members: readonly BoardMember[]) {
  const made = entry.declarations ?? [];
  const declared = new Set(made.map((d) => d.userId));
  return {
    cleared: made.filter((d) => !d.conflicted).map((d) => d.name),
    conflicts: made.filter((d) => d.conflicted).map((d) => ({ name: d.name, reason: d.reason ?? '' })),
    undeclared: members.filter((m) => !declared.has(m.userId)).map((m) => m.name),
  };
}

/** One application on the committee page: its declarations, its reviewers, and how many it still lacks. */
export function applicationRow(entry: BoardEntry, members: readonly BoardMember[], perApplication: number) {
  const reviewers = entry.reviewers ?? [];
  return {
    id: entry.applicationId,
    reference: entry.reference,
    title: entry.title,
    group: entry.group,
    municipality: entry.municipality,
    state: entry.state,
    declarations: declarationsOf(entry, members),
    reviewers,
    submitted: reviewers.filter((r) => r.state === 'submitted').length,
    lacking: Math.max(0, perApplication - reviewers.length),
  };
}

/** The committee page: the call, its members to choose from, the members' progress, every application. */
export function committeePage(
  call: CallView,
  committee: CommitteeView,
  candidates: readonly Candidate[],
  board: BoardView,
  locale: Locale,
) {
  const members = board.members ?? [];
  const perApplication = call.reviewersPerApplication;
  const applications = board.applications.map((a) => applicationRow(a, members, perApplication));
  // A member no longer of the programme's committee still shows, so that setting the committee keeps them only when ticked.
  const known = new Set(candidates.map((c) => c.userId));
  const choices = [...candidates, ...committee.members.filter((m) => !known.has(m.userId))];
  return {
    call: callSummary(call, locale),
    choices,
    seated: committee.members.map((m) => m.userId),
    chair: committee.members.find((m) => m.chair)?.userId ?? '',
    members: members.map((m) => ({ ...m, outstanding: m.assigned - m.submitted })),
    undeclared: members.filter((m) => m.undeclared > 0),
    applications,
    lacking: applications.filter((a) => a.lacking > 0),
    assigned: applications.some((a) => a.reviewers.length > 0),
  };
}

/** The page of one application's reviewers: who may take a review, whose draft may be taken away. */
export function reviewersPage(
  call: CallView,
  entry: BoardEntry,
  board: BoardView,
  reviews: ApplicationReviewsView,
  locale: Locale,
) {
  const members = board.members ?? [];
  const row = applicationRow(entry, members, call.reviewersPerApplication);
  const cleared = new Set((entry.declarations ?? []).filter((d) => !d.conflicted).map((d) => d.userId));
  const reviewing = new Set(row.reviewers.map((r) => r.userId));
  return {
    call: callSummary(call, locale),
    application: row,
    reviews: reviews.reviews,
    mayReceive: members.filter((m) => cleared.has(m.userId) && !reviewing.has(m.userId)),
    drafts: row.reviewers.filter((r) => r.state === 'draft'),
  };
}
