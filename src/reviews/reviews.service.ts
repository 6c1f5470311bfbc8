import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { ACTIVE_REVIEW_STATES, type ReviewContext } from '../../workflows/review.machine';
import { AccessPolicy } from '../access/access.policy';
import { Application } from '../applications/application.entity';
import { Call } from '../calls/call.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import { WorkflowEngine } from '../engine/engine.service';
import { WorkflowResources, type WorkflowView } from '../workflow-http/workflow-resource';
import { CommitteeMember, ConflictDeclaration } from '../organisations/organisation.entities';
import { Review } from './review.entity';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { contentOf, reviewContexts, userNames } from './review-data';
import type { ApplicationReviewsView, ReviewView, ScoresVisibility } from './review.views';

/**
 * Reviews written blind, read by their reviewer and the programme, reopened by the chair. Every
 * review is a `review` workflow under its application, so each change is logged and its reviewer
 * emailed through the outbox.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
  ) {}

  /** One review, for its reviewer or the programme's manager. */
  async get(reviewId: string, user: AuthenticatedUser): Promise<ReviewView> {
    await this.policy.see('review', reviewId, user, 'GET /reviews/:id');
    const em = this.orm.em.fork();
    const review = await em.findOneOrFail(Review, { id: reviewId });
    const loaded = await this.resources.load(em, 'review', reviewId);
    const context = loaded.snapshot.context as ReviewContext;
    const application = await em.findOneOrFail(Application, { id: review.applicationId });
    const call = await em.findOneOrFail(Call, { id: review.callId });
    const names = await userNames(em, [review.reviewerId]);
    return {
      id: review.id,
      callId: review.callId,
      applicationId: review.applicationId,
      reference: application.reference,
      title: application.title,
      reviewer: { userId: review.reviewerId, name: names.get(review.reviewerId) ?? '' },
      criteria: context.criteria.map((c) => ({
        ...c,
        description: call.criteria.find((k) => k.name === c.name)?.description ?? '',
      })),
      scale: context.scale,
      ...contentOf(context),
      submittedAt: context.submittedAt,
      reason: context.reason,
      ...this.resources.viewOf('reviews', reviewId, loaded, review.reviewerId === user.id ? user.role : null),
    };
  }

  /**
   * An application's reviews. The manager reads every submitted one. A committee member reads their
   * own, and the others' only once they have submitted theirs (a member not reviewing it: once they
   * have submitted all of theirs), and, where the chair keeps scores hidden, once every review is in.
   */
  async forApplication(applicationId: string, user: AuthenticatedUser): Promise<ApplicationReviewsView> {
    await this.policy.act('application', applicationId, user, 'GET /applications/:id/reviews');
    if (user.role !== 'manager' && user.role !== 'committee')
      throw DomainError.because(ErrorCode.Forbidden, [{ key: 'reviews.committeeAndManagers', params: {} }]);
    const em = this.orm.em.fork();
    const application = await em.findOneOrFail(Application, { id: applicationId });
    const call = await em.findOneOrFail(Call, { id: application.callId });
    const reviews = await em.find(
      Review,
      { applicationId, state: { $in: [...ACTIVE_REVIEW_STATES] } },
      { orderBy: { assignedAt: 'asc', id: 'asc' } },
    );
    const contexts = await reviewContexts(
      em,
      reviews.map((r) => r.id),
    );
    const names = await userNames(
      em,
      reviews.map((r) => r.reviewerId),
    );
    const hiddenBecause = user.role === 'manager' ? null : await this.blindReason(em, call, reviews, user.id);
    return {
      applicationId,
      othersVisible: hiddenBecause === null,
      hiddenBecause,
      assigned: reviews.length,
      submitted: reviews.filter((r) => r.state === 'submitted').length,
      reviews: reviews.map((r) => {
        const mine = r.reviewerId === user.id;
        const readable = mine || (hiddenBecause === null && r.state === 'submitted');
        const context = contexts.get(r.id);
        return {
          id: r.id,
          reviewer: { userId: r.reviewerId, name: names.get(r.reviewerId) ?? '' },
          mine,
          state: r.state,
          submittedAt: r.submittedAt?.toISOString() ?? null,
          ...(readable && context ? { content: contentOf(context) } : {}),
        };
      }),
    };
  }

  /** Why a committee member may not yet read the others' reviews of an application; null when they may. */
  private async blindReason(
    em: EntityManager,
    call: Call,
    reviews: Review[],
    memberId: string,
  ): Promise<string | null> {
    const own = reviews.find((r) => r.reviewerId === memberId);
    if (own && own.state !== 'submitted') return 'submit your own review of this application first';
    if (!own) {
      const outstanding = await em.count(Review, { callId: call.id, reviewerId: memberId, state: 'draft' });
      if (outstanding > 0) return `submit your ${outstanding} outstanding review${outstanding === 1 ? '' : 's'} first`;
    }
    if (call.scoresHiddenUntilComplete && reviews.some((r) => r.state !== 'submitted')) {
      return "the chair keeps the committee's scores hidden until every review of this application is in";
    }
    return null;
  }

  /** The chair sends a submitted review back to its reviewer, saying why; logged with the reason. */
  async reopen(reviewId: string, reason: string, chair: AuthenticatedUser): Promise<WorkflowView> {
    const em = this.orm.em.fork();
    const review = await em.findOne(Review, { id: reviewId });
    if (!review || !(await em.count(CommitteeMember, { callId: review.callId, userId: chair.id })))
      throw DomainError.notFound('review', reviewId);
    await this.requireChair(em, review.callId, chair);
    const conflicted = await em.count(ConflictDeclaration, {
      applicationId: review.applicationId,
      userId: chair.id,
      conflicted: true,
    });
    if (conflicted) throw DomainError.because(ErrorCode.Forbidden, [{ key: 'reviews.chairConflicted', params: {} }]);
    const outcome = await this.engine.send(
      { subjectType: 'review', subjectId: reviewId },
      { type: 'REOPEN', reason },
      { id: chair.id, role: chair.role },
    );
    return this.resources.viewOf('reviews', reviewId, outcome, null);
  }

  /** The chair's choice: members see one another's scores only once every review of an application is in. */
  async setScoresHidden(callId: string, hidden: boolean, chair: AuthenticatedUser): Promise<ScoresVisibility> {
    await this.policy.act('call', callId, chair, 'PUT /calls/:callId/committee/visibility');
    const em = this.orm.em.fork();
    await this.requireChair(em, callId, chair);
    await em.nativeUpdate(Call, { id: callId }, { scoresHiddenUntilComplete: hidden });
    return { callId, scoresHiddenUntilComplete: hidden };
  }

  private async requireChair(em: EntityManager, callId: string, user: AuthenticatedUser): Promise<void> {
    if (!(await em.count(CommitteeMember, { callId, userId: user.id, chair: true }))) {
      throw DomainError.because(ErrorCode.Forbidden, [{ key: 'reviews.chairOnly', params: {} }]);
    }
  }
}
