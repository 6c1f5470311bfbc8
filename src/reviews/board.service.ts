import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { AccessPolicy } from '../access/access.policy';
import { Call } from '../calls/call.entity';
import { applicationsWithInstance } from '../applications/application-queries';
import { db } from '../common/kysely';
import { sql } from 'kysely';
import { CommitteeMember, ConflictDeclaration } from '../organisations/organisation.entities';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { REVIEWED_STATES, groupBy, standingReviews, undeclaredBy, userNames } from './review-data';
import type { BoardEntry, BoardView } from './review.views';

/** The applications under review of a call, as the committee and the managers see them. */
@Injectable()
export class BoardService {
  constructor(
    private readonly orm: MikroORM,
    private readonly policy: AccessPolicy,
  ) {}

  /** The calls whose committee the member sits on, newest first, and whether they chair it. */
  async seats(member: AuthenticatedUser): Promise<{ callId: string; chair: boolean }[]> {
    const em = this.orm.em.fork();
    const seats = await em.find(CommitteeMember, { userId: member.id });
    const ids = seats.map((s) => s.callId);
    const calls = await em.find(Call, { id: { $in: ids } }, { orderBy: { createdAt: 'desc' }, fields: ['id'] });
    return calls.map((c) => ({ callId: c.id, chair: seats.some((s) => s.callId === c.id && s.chair) }));
  }

  /** The call's applications under review: for a member, to declare on and find their reviews; for a manager, the whole picture. */
  async board(callId: string, user: AuthenticatedUser): Promise<BoardView> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/review');
    const em = this.orm.em.fork();
    const call = await db(em)
      .selectFrom('call as c')
      .innerJoin('workflow_instance as i', (join) =>
        join.on('i.subject_type', '=', sql.lit('call')).onRef('i.subject_id', '=', 'c.id'),
      )
      .select(['i.state', 'c.review_due_at', 'c.scores_hidden_until_complete'])
      .where('c.id', '=', callId)
      .executeTakeFirstOrThrow();
    const applications = await applicationsWithInstance(em)
      .innerJoin('applicant_group as g', 'g.id', 'a.group_id')
      .select(['a.id', 'a.reference', 'a.title', 'g.name as group_name', 'a.municipality', 'i.state'])
      .where('a.call_id', '=', callId)
      .where('i.state', 'in', REVIEWED_STATES)
      .orderBy('a.reference')
      .execute();
    const ids = applications.map((a) => a.id);
    const manager = user.role !== 'committee';
    // A member reads their own declarations and reviews; a manager everyone's, with their names.
    const declarations = ids.length
      ? await em.find(ConflictDeclaration, { applicationId: { $in: ids }, ...(!manager && { userId: user.id }) })
      : [];
    const reviews = (await standingReviews(em, callId)).filter((r) => manager || r.reviewer_id === user.id);
    const members = manager ? await em.find(CommitteeMember, { callId }) : [];
    const names = await userNames(
      em,
      members.map((m) => m.userId),
    );
    const declarationsOf = groupBy(declarations, (d) => d.applicationId);
    const reviewsOf = groupBy(reviews, (r) => r.application_id);
    const view: BoardView = {
      callId,
      state: call.state,
      reviewDueAt: call.review_due_at === null ? null : new Date(call.review_due_at).toISOString(),
      scoresHiddenUntilComplete: call.scores_hidden_until_complete,
      applications: applications.map((a) => {
        const own = declarationsOf.get(a.id)?.find((d) => d.userId === user.id);
        const review = reviewsOf.get(a.id)?.find((r) => r.reviewer_id === user.id);
        const entry: BoardEntry = {
          applicationId: a.id,
          reference: a.reference,
          title: a.title,
          group: a.group_name,
          municipality: a.municipality,
          state: a.state,
          declaration: own ? { conflicted: own.conflicted, reason: own.reason ?? null } : null,
          review: review ? { id: review.id, state: review.state } : null,
        };
        if (manager) {
          entry.declarations = (declarationsOf.get(a.id) ?? []).map((d) => ({
            userId: d.userId,
            name: names.get(d.userId) ?? '',
            conflicted: d.conflicted,
            reason: d.reason ?? null,
          }));
          entry.reviewers = (reviewsOf.get(a.id) ?? []).map((r) => ({
            reviewId: r.id,
            userId: r.reviewer_id,
            name: names.get(r.reviewer_id) ?? '',
            state: r.state,
          }));
        }
        return entry;
      }),
    };
    if (manager) {
      const undeclared = undeclaredBy(
        declarations,
        ids,
        members.map((m) => m.userId),
      );
      const byReviewer = groupBy(reviews, (r) => r.reviewer_id);
      view.members = members
        .map((m) => ({
          userId: m.userId,
          name: names.get(m.userId) ?? '',
          chair: m.chair,
          undeclared: undeclared.get(m.userId) ?? 0,
          assigned: byReviewer.get(m.userId)?.length ?? 0,
          submitted: byReviewer.get(m.userId)?.filter((r) => r.state === 'submitted').length ?? 0,
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
    }
    return view;
  }
}
