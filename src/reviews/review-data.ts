import { EntityManager } from '@mikro-orm/core';
import { ACTIVE_REVIEW_STATES, type ReviewContext, type ReviewState } from '../../workflows/review.machine';
import { weightedScore } from '../../workflows/scoring';
import { db } from '../common/kysely';
import { WorkflowInstance } from '../engine/engine.entities';
import { User } from '../identity/identity.entities';
import { ConflictDeclaration } from '../organisations/organisation.entities';
import type { ReviewContent } from './review.views';

// What the committee's services share: the states they read by (from the machine), their views, and small reads.

export { REVIEWED_STATES, ASSIGNABLE_STATES } from '../../workflows/application.machine';

export interface StandingReview {
  id: string;
  application_id: string;
  reviewer_id: string;
  state: ReviewState;
}

export async function standingReviews(em: EntityManager, callId: string): Promise<StandingReview[]> {
  return db(em)
    .selectFrom('review')
    .select(['id', 'application_id', 'reviewer_id', 'state'])
    .where('call_id', '=', callId)
    .where('state', 'in', ACTIVE_REVIEW_STATES)
    .orderBy('assigned_at')
    .orderBy('id')
    .execute();
}

/** The machine contexts of reviews, by review id. */
export async function reviewContexts(em: EntityManager, reviewIds: string[]): Promise<Map<string, ReviewContext>> {
  if (reviewIds.length === 0) return new Map();
  const instances = await em.find(WorkflowInstance, { subjectType: 'review', subjectId: { $in: reviewIds } });
  return new Map(instances.map((i) => [i.subjectId, (i.snapshot as { context: ReviewContext }).context]));
}

/** Users' names, by id. */
export async function userNames(em: EntityManager, userIds: string[]): Promise<Map<string, string>> {
  if (userIds.length === 0) return new Map();
  const users = await em.find(User, { id: { $in: [...new Set(userIds)] } }, { fields: ['id', 'name'] });
  return new Map(users.map((u) => [u.id, u.name]));
}

export function contentOf(context: ReviewContext): ReviewContent {
  const complete = context.scores.every((s) => s !== null);
  return {
    scores: context.scores,
    comments: context.comments,
    overallComment: context.overallComment,
    recommendation: context.recommendation,
    weightedScore: complete ? round2(weightedScore(context.scores as number[], context)) : null,
  };
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/** For each member, how many of the applications they have not yet declared on. */
export function undeclaredBy(
  declarations: readonly ConflictDeclaration[],
  applicationIds: readonly string[],
  memberIds: readonly string[],
): Map<string, number> {
  const declared = new Set(declarations.map((d) => `${d.applicationId}:${d.userId}`));
  return new Map(memberIds.map((m) => [m, applicationIds.filter((a) => !declared.has(`${a}:${m}`)).length]));
}
