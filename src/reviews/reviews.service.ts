import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { assignReviewers, describeShortfall, type Assignment } from '../../workflows/assignment';
import type { Actor } from '../../workflows/kit';
import { ACTIVE_REVIEW_STATES, type ReviewContext, type ReviewInput, type ReviewState } from '../../workflows/review.machine';
import { weightedScore } from '../../workflows/scoring';
import { AccessPolicy } from '../access/access.policy';
import { Application } from '../applications/application.entity';
import { Call } from '../calls/call.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import { sqlRows } from '../common/sql';
import { validationFailed } from '../common/validation';
import { WorkflowInstance } from '../engine/engine.entities';
import { WorkflowEngine } from '../engine/engine.service';
import { WorkflowResources, type WorkflowView } from '../workflow-http/workflow-resource';
import { User } from '../identity/identity.entities';
import { CommitteeMember, ConflictDeclaration } from '../organisations/organisation.entities';
import { Review } from './review.entity';
import type { AuthenticatedUser } from '../common/authenticated-user';

/** Application states from the start of review on: the ones the committee looks at. */
export const REVIEWED_STATES = ['in_review', 'reviewed', 'awarded', 'waitlisted', 'rejected', 'declined', 'active', 'reporting', 'closed', 'terminated'];
/** Application states in which reviewers may still be assigned. */
const ASSIGNABLE_STATES = ['in_review', 'reviewed'];

export interface Declaration {
  conflicted: boolean;
  reason: string | null;
}

/** An application as the committee's lists name it. */
export interface ApplicationLine {
  applicationId: string;
  reference: string;
  title: string;
  group: string;
  municipality: string;
  state: string;
}

/** One application of the call as a committee member first sees it: enough to declare a conflict. */
export interface BoardEntry extends ApplicationLine {
  /** The caller's own declaration; null until made. */
  declaration: Declaration | null;
  /** The caller's own review of it, if assigned. */
  review: { id: string; state: ReviewState } | null;
  /** For managers: everyone's declarations and every standing review. */
  declarations?: ({ memberId: string; name: string } & Declaration)[];
  reviewers?: { reviewId: string; memberId: string; name: string; state: ReviewState }[];
}

export interface BoardView {
  callId: string;
  state: string;
  reviewDueAt: string | null;
  scoresHiddenUntilComplete: boolean;
  applications: BoardEntry[];
  /** For managers: each member's declarations still to make and reviews assigned and submitted. */
  members?: { memberId: string; name: string; chair: boolean; undeclared: number; assigned: number; submitted: number }[];
}

export interface ReviewView extends WorkflowView {
  id: string;
  callId: string;
  applicationId: string;
  reference: string;
  title: string;
  reviewer: { id: string; name: string };
  criteria: { name: string; description: string; weight: number }[];
  scale: { min: number; max: number };
  scores: (number | null)[];
  comments: string[];
  overallComment: string;
  recommendation: ReviewContext['recommendation'];
  /** Weighted score in percent, once every criterion is scored. */
  weightedScore: number | null;
  submittedAt: string | null;
  reason: string | null;
}

export interface ApplicationReviewsView {
  applicationId: string;
  /** Whether the caller may read the others' reviews; if not, why. */
  othersVisible: boolean;
  hiddenBecause: string | null;
  assigned: number;
  submitted: number;
  reviews: {
    id: string;
    reviewer: { id: string; name: string };
    mine: boolean;
    state: ReviewState;
    submittedAt: string | null;
    /** Present only where the caller may read it. */
    content?: Pick<ReviewView, 'scores' | 'comments' | 'overallComment' | 'recommendation' | 'weightedScore'>;
  }[];
}

export interface AssignmentOutcome {
  added: { applicationId: string; reference: string; memberId: string; name: string; reviewId: string }[];
  loads: { memberId: string; name: string; reviews: number }[];
}

interface StandingReview {
  id: string;
  application_id: string;
  reviewer_id: string;
  state: ReviewState;
}

/**
 * The committee's side of a call: declarations of conflicts of interest, assignment of reviewers,
 * reviews written blind, reopened by the chair. Every review is a `review` workflow under its
 * application, so each change is logged and its reviewer emailed through the outbox.
 */
@Injectable()
export class ReviewsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
    private readonly policy: AccessPolicy,
  ) {}

  // --- Declarations ---------------------------------------------------------------------------

  /**
   * A committee member's declarations on applications of one call: a conflict (with its reason) or
   * none. A declared conflict stands; a review already assigned on it is taken away at once.
   */
  async declare(callId: string, member: AuthenticatedUser, items: { applicationId: string; conflicted: boolean; reason?: string }[]): Promise<Declaration[]> {
    for (const [i, item] of items.entries()) {
      if (item.conflicted && !item.reason?.trim()) throw validationFailed([{ field: `items[${i}].reason`, problems: ['say why there is a conflict'] }]);
    }
    await this.policy.act('call', callId, member, 'declare conflicts');
    if (!(await this.orm.em.fork().count(CommitteeMember, { callId, userId: member.id }))) {
      throw new DomainError(ErrorCode.Forbidden, "only a member of the call's committee declares conflicts");
    }
    return this.orm.em.fork().transactional(async (em) => {
      const ids = items.map((i) => i.applicationId);
      const inCall = new Set((await em.find(Application, { id: { $in: ids }, callId }, { fields: ['id'] })).map((a) => a.id));
      const missing = ids.find((id) => !inCall.has(id));
      if (missing) throw DomainError.notFound('application', missing);
      const results: Declaration[] = [];
      for (const item of items) {
        const existing = await em.findOne(ConflictDeclaration, { applicationId: item.applicationId, userId: member.id });
        const wasConflicted = existing?.conflicted ?? false;
        if (wasConflicted && !item.conflicted) throw new DomainError(ErrorCode.Conflict, 'a declared conflict stands: it cannot be withdrawn');
        const declaration = existing ?? em.create(ConflictDeclaration, { applicationId: item.applicationId, userId: member.id, conflicted: item.conflicted });
        Object.assign(declaration, { conflicted: item.conflicted, reason: item.conflicted ? item.reason?.trim() : null, declaredAt: new Date() });
        if (item.conflicted && !wasConflicted) await this.withdrawConflictedReview(em, item.applicationId, member);
        results.push({ conflicted: declaration.conflicted, reason: declaration.reason ?? null });
      }
      return results;
    });
  }

  /** One declaration, on an application named by itself. */
  async declareOne(applicationId: string, member: AuthenticatedUser, conflicted: boolean, reason: string | undefined): Promise<Declaration> {
    const em = this.orm.em.fork();
    const application = await em.findOne(Application, { id: applicationId }, { fields: ['callId'] });
    // Only the call's committee learns that the application exists.
    if (!application || !(await em.count(CommitteeMember, { callId: application.callId, userId: member.id }))) throw DomainError.notFound('application', applicationId);
    const [declared] = await this.declare(application.callId, member, [{ applicationId, conflicted, reason }]);
    return declared;
  }

  private async withdrawConflictedReview(em: EntityManager, applicationId: string, member: AuthenticatedUser): Promise<void> {
    const standing = await em.findOne(Review, { applicationId, reviewerId: member.id, state: { $in: [...ACTIVE_REVIEW_STATES] } });
    if (!standing) return;
    await this.engine.apply(em, {
      target: { subjectType: 'review', subjectId: standing.id },
      event: { type: 'UNASSIGN', reason: 'its reviewer declared a conflict of interest' },
      actor: { id: member.id, role: member.role },
    });
  }

  // --- The board --------------------------------------------------------------------------------

  /** The call's applications under review: for a member, to declare on and find their reviews; for a manager, the whole picture. */
  async board(callId: string, user: AuthenticatedUser): Promise<BoardView> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/review');
    const em = this.orm.em.fork();
    const call = await em.findOneOrFail(Call, { id: callId });
    const callInstance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: callId });
    const applications = await sqlRows<{ id: string; reference: string; title: string; group_name: string; municipality: string; state: string }>(
      em,
      `select a.id, a.reference, a.title, g.name as group_name, a.municipality, i.state
         from application a
         join applicant_group g on g.id = a.group_id
         join workflow_instance i on i.subject_type = 'application' and i.subject_id = a.id
        where a.call_id = ? and i.state in (?)
        order by a.reference`,
      [callId, REVIEWED_STATES],
    );
    const ids = applications.map((a) => a.id);
    const declarations = ids.length ? await em.find(ConflictDeclaration, { applicationId: { $in: ids } }) : [];
    const reviews = await this.standingReviews(em, callId);
    const members = await em.find(CommitteeMember, { callId });
    const names = await this.names(em, members.map((m) => m.userId));
    const manager = user.role !== 'committee';
    const declarationsOf = groupBy(declarations, (d) => d.applicationId);
    const reviewsOf = groupBy(reviews, (r) => r.application_id);
    const view: BoardView = {
      callId,
      state: callInstance.state,
      reviewDueAt: call.reviewDueAt?.toISOString() ?? null,
      scoresHiddenUntilComplete: call.scoresHiddenUntilComplete,
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
          entry.declarations = (declarationsOf.get(a.id) ?? [])
            .map((d) => ({ memberId: d.userId, name: names.get(d.userId) ?? '', conflicted: d.conflicted, reason: d.reason ?? null }));
          entry.reviewers = (reviewsOf.get(a.id) ?? [])
            .map((r) => ({ reviewId: r.id, memberId: r.reviewer_id, name: names.get(r.reviewer_id) ?? '', state: r.state }));
        }
        return entry;
      }),
    };
    if (manager) {
      const undeclared = undeclaredBy(declarations, ids, members.map((m) => m.userId));
      const byReviewer = groupBy(reviews, (r) => r.reviewer_id);
      view.members = members
        .map((m) => ({
          memberId: m.userId,
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

  // --- Assignment -------------------------------------------------------------------------------

  /**
   * Assigns the call's reviewers-per-application to every application under review, none to a
   * member conflicted with it, loads as even as conflicts allow; reviews already assigned stay.
   * Refused (409, saying why) until every member has declared on every application, or when
   * conflicts leave an application too few reviewers.
   */
  async autoAssign(callId: string, manager: AuthenticatedUser): Promise<AssignmentOutcome> {
    await this.policy.act('call', callId, manager, 'POST /calls/:callId/assignments');
    return this.orm.em.fork().transactional(async (em) => {
      const { call, applications } = await this.lockForAssignment(em, callId);
      const members = await em.find(CommitteeMember, { callId }, { orderBy: { userId: 'asc' } });
      if (members.length === 0) throw new DomainError(ErrorCode.Conflict, 'the call has no committee yet: set it with PUT /calls/{id}/committee');
      const names = await this.names(em, members.map((m) => m.userId));
      const declarations = applications.length ? await em.find(ConflictDeclaration, { applicationId: { $in: applications.map((a) => a.id) } }) : [];
      const counts = undeclaredBy(declarations, applications.map((a) => a.id), members.map((m) => m.userId));
      const undeclared = members.map((m) => ({ name: names.get(m.userId) ?? m.userId, count: counts.get(m.userId) ?? 0 })).filter((m) => m.count > 0);
      if (undeclared.length > 0) {
        throw new DomainError(
          ErrorCode.Conflict,
          `every committee member declares on every application before assignment; still to declare: ${undeclared.map((m) => `${m.name} (${m.count})`).join(', ')}`,
          { undeclared },
        );
      }
      const standing = await this.standingReviews(em, callId);
      const result = assignReviewers({
        applications: applications.map((a) => a.id),
        members: members.map((m) => m.userId),
        perApplication: call.reviewersPerApplication,
        conflicts: declarations.filter((d) => d.conflicted).map((d) => ({ applicationId: d.applicationId, memberId: d.userId })),
        existing: standing.map((r) => ({ applicationId: r.application_id, memberId: r.reviewer_id })),
      });
      const reference = new Map(applications.map((a) => [a.id, a.reference]));
      if (!result.ok) {
        const detail = result.shortfalls.map((s) => describeShortfall(s, (id) => reference.get(id) ?? id));
        throw new DomainError(ErrorCode.Conflict, detail.length > 0 ? detail.join(' ') : result.message, { shortfalls: result.shortfalls });
      }
      const added = [];
      for (const assignment of result.added) {
        const reviewId = this.startReview(em, call, applications, assignment, manager);
        added.push({ ...assignment, reference: reference.get(assignment.applicationId) ?? '', name: names.get(assignment.memberId) ?? '', reviewId });
      }
      await this.reopenReviewed(em, applications, new Set(result.added.map((a) => a.applicationId)), manager);
      return {
        added,
        loads: members.map((m) => ({ memberId: m.userId, name: names.get(m.userId) ?? '', reviews: result.loads[m.userId] ?? 0 })),
      };
    });
  }

  /**
   * Gives an application's review to another member: `to` gets a new review, and `from`'s review,
   * if named, is taken away (a submitted one only by the chair reopening it first). `to` must be on
   * the committee and have declared no conflict with the application.
   */
  async reassign(applicationId: string, change: { from?: string; to: string; reason?: string }, manager: AuthenticatedUser): Promise<AssignmentOutcome> {
    await this.policy.act('application', applicationId, manager, 'POST /applications/:id/reviewers');
    return this.orm.em.fork().transactional(async (em) => {
      const application = await em.findOneOrFail(Application, { id: applicationId });
      const { call, applications } = await this.lockForAssignment(em, application.callId);
      const target = applications.find((a) => a.id === applicationId);
      if (!target) throw new DomainError(ErrorCode.Conflict, `reviewers are assigned while the application is in review; ${application.reference} is not`);
      if (!(await em.count(CommitteeMember, { callId: call.id, userId: change.to }))) {
        throw validationFailed([{ field: 'to', problems: ["not a member of the call's committee"] }]);
      }
      const declaration = await em.findOne(ConflictDeclaration, { applicationId, userId: change.to });
      if (!declaration) throw new DomainError(ErrorCode.Conflict, `the new reviewer has not yet declared whether they have a conflict with ${application.reference}`);
      if (declaration.conflicted) throw new DomainError(ErrorCode.Conflict, `the new reviewer declared a conflict of interest with ${application.reference}`);
      const standing = (await this.standingReviews(em, call.id)).filter((r) => r.application_id === applicationId);
      if (standing.some((r) => r.reviewer_id === change.to)) throw new DomainError(ErrorCode.Conflict, `the new reviewer already reviews ${application.reference}`);
      if (change.from !== undefined) {
        const old = standing.find((r) => r.reviewer_id === change.from);
        if (!old) throw validationFailed([{ field: 'from', problems: [`has no review of ${application.reference}`] }]);
        if (old.state === 'submitted') {
          throw new DomainError(ErrorCode.Conflict, 'that review is submitted: the chair reopens it, or it stays; a submitted review is not moved');
        }
        await this.engine.apply(em, {
          target: { subjectType: 'review', subjectId: old.id },
          event: { type: 'UNASSIGN', reason: change.reason?.trim() || 'reassigned by the programme manager' },
          actor: { id: manager.id, role: manager.role },
        });
      }
      const reviewId = this.startReview(em, call, applications, { applicationId, memberId: change.to }, manager);
      await this.reopenReviewed(em, applications, new Set([applicationId]), manager);
      await em.flush();
      const byReviewer = groupBy(await this.standingReviews(em, call.id), (r) => r.reviewer_id);
      const members = await em.find(CommitteeMember, { callId: call.id });
      const names = await this.names(em, members.map((m) => m.userId));
      return {
        added: [{ applicationId, reference: application.reference, memberId: change.to, name: names.get(change.to) ?? '', reviewId }],
        loads: members.map((m) => ({ memberId: m.userId, name: names.get(m.userId) ?? '', reviews: byReviewer.get(m.userId)?.length ?? 0 })),
      };
    });
  }

  /** Locks the call's row, so assignments are made one at a time, and loads what they need. */
  private async lockForAssignment(em: EntityManager, callId: string): Promise<{ call: Call; applications: { id: string; reference: string; state: string; instanceId: string }[] }> {
    await sqlRows(em, 'select id from call where id = ? for update', [callId]);
    const call = await em.findOneOrFail(Call, { id: callId });
    const callInstance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: callId });
    if (callInstance.state !== 'reviewing') throw new DomainError(ErrorCode.Conflict, `reviewers are assigned while the call is with the committee; it is ${callInstance.state}`);
    const applications = await sqlRows<{ id: string; reference: string; state: string; instance_id: string }>(
      em,
      `select a.id, a.reference, i.state, i.id as instance_id
         from application a join workflow_instance i on i.subject_type = 'application' and i.subject_id = a.id
        where a.call_id = ? and i.state in (?)
        order by a.reference`,
      [callId, ASSIGNABLE_STATES],
    );
    return { call, applications: applications.map((a) => ({ id: a.id, reference: a.reference, state: a.state, instanceId: a.instance_id })) };
  }

  private startReview(em: EntityManager, call: Call, applications: { id: string; instanceId: string }[], assignment: Assignment, manager: AuthenticatedUser): string {
    const parent = applications.find((a) => a.id === assignment.applicationId) as { instanceId: string };
    const review = em.create(Review, {
      callId: call.id,
      applicationId: assignment.applicationId,
      reviewerId: assignment.memberId,
      state: 'draft',
      assignedBy: manager.id,
    });
    const input: ReviewInput = {
      callId: call.id,
      applicationId: assignment.applicationId,
      reviewerId: assignment.memberId,
      criteria: call.criteria.map((c) => ({ name: c.name, weight: c.weight })),
      scale: call.scale,
    };
    const actor: Actor = { id: manager.id, role: manager.role };
    this.engine.start(em, { machineId: 'review', subjectType: 'review', subjectId: review.id, parentId: parent.instanceId, input: { ...input }, actor });
    return review.id;
  }

  /** An application marked reviewed goes back to in review when it gets a new reviewer. */
  private async reopenReviewed(em: EntityManager, applications: { id: string; state: string; instanceId: string }[], touched: Set<string>, manager: AuthenticatedUser): Promise<void> {
    for (const application of applications) {
      if (application.state !== 'reviewed' || !touched.has(application.id)) continue;
      await this.engine.apply(em, { target: { id: application.instanceId }, event: { type: 'REVIEW_PENDING' }, actor: { id: manager.id, role: manager.role } });
    }
  }

  // --- Reviews ----------------------------------------------------------------------------------

  /** One review, for its reviewer or the programme's manager. */
  async get(reviewId: string, user: AuthenticatedUser): Promise<ReviewView> {
    await this.policy.see('review', reviewId, user, 'GET /reviews/:id');
    const em = this.orm.em.fork();
    const review = await em.findOneOrFail(Review, { id: reviewId });
    const loaded = await this.resources.load(em, 'review', reviewId);
    const context = loaded.snapshot.context as ReviewContext;
    const application = await em.findOneOrFail(Application, { id: review.applicationId });
    const call = await em.findOneOrFail(Call, { id: review.callId });
    const names = await this.names(em, [review.reviewerId]);
    return {
      id: review.id,
      callId: review.callId,
      applicationId: review.applicationId,
      reference: application.reference,
      title: application.title,
      reviewer: { id: review.reviewerId, name: names.get(review.reviewerId) ?? '' },
      criteria: context.criteria.map((c) => ({ ...c, description: call.criteria.find((k) => k.name === c.name)?.description ?? '' })),
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
    if (user.role !== 'manager' && user.role !== 'committee') throw new DomainError(ErrorCode.Forbidden, 'reviews are for the committee and the programme’s managers');
    const em = this.orm.em.fork();
    const application = await em.findOneOrFail(Application, { id: applicationId });
    const call = await em.findOneOrFail(Call, { id: application.callId });
    const reviews = await em.find(Review, { applicationId, state: { $in: [...ACTIVE_REVIEW_STATES] } }, { orderBy: { assignedAt: 'asc', id: 'asc' } });
    const contexts = await this.contexts(em, reviews.map((r) => r.id));
    const names = await this.names(em, reviews.map((r) => r.reviewerId));
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
          reviewer: { id: r.reviewerId, name: names.get(r.reviewerId) ?? '' },
          mine,
          state: r.state,
          submittedAt: r.submittedAt?.toISOString() ?? null,
          ...(readable && context ? { content: contentOf(context) } : {}),
        };
      }),
    };
  }

  /** Why a committee member may not yet read the others' reviews of an application; null when they may. */
  private async blindReason(em: EntityManager, call: Call, reviews: Review[], memberId: string): Promise<string | null> {
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
    if (!review || !(await em.count(CommitteeMember, { callId: review.callId, userId: chair.id }))) throw DomainError.notFound('review', reviewId);
    await this.requireChair(em, review.callId, chair);
    const conflicted = await em.count(ConflictDeclaration, { applicationId: review.applicationId, userId: chair.id, conflicted: true });
    if (conflicted) throw new DomainError(ErrorCode.Forbidden, 'the chair declared a conflict with this application: another member reopens it with the manager');
    const outcome = await this.engine.send({ subjectType: 'review', subjectId: reviewId }, { type: 'REOPEN', reason }, { id: chair.id, role: chair.role });
    return this.resources.viewOf('reviews', reviewId, outcome, null);
  }

  /** The chair's choice: members see one another's scores only once every review of an application is in. */
  async setScoresHidden(callId: string, hidden: boolean, chair: AuthenticatedUser): Promise<{ callId: string; scoresHiddenUntilComplete: boolean }> {
    await this.policy.act('call', callId, chair, 'PUT /calls/:callId/committee/visibility');
    const em = this.orm.em.fork();
    await this.requireChair(em, callId, chair);
    await em.nativeUpdate(Call, { id: callId }, { scoresHiddenUntilComplete: hidden });
    return { callId, scoresHiddenUntilComplete: hidden };
  }

  private async requireChair(em: EntityManager, callId: string, user: AuthenticatedUser): Promise<void> {
    if (!(await em.count(CommitteeMember, { callId, userId: user.id, chair: true }))) {
      throw new DomainError(ErrorCode.Forbidden, "only the chair of the call's committee does this");
    }
  }

  // --- Shared -----------------------------------------------------------------------------------

  async standingReviews(em: EntityManager, callId: string): Promise<StandingReview[]> {
    return sqlRows<StandingReview>(
      em,
      `select id, application_id, reviewer_id, state from review where call_id = ? and state in (?) order by assigned_at, id`,
      [callId, ACTIVE_REVIEW_STATES],
    );
  }

  /** The machine contexts of reviews, by review id. */
  async contexts(em: EntityManager, reviewIds: string[]): Promise<Map<string, ReviewContext>> {
    if (reviewIds.length === 0) return new Map();
    const instances = await em.find(WorkflowInstance, { subjectType: 'review', subjectId: { $in: reviewIds } });
    return new Map(instances.map((i) => [i.subjectId, (i.snapshot as { context: ReviewContext }).context]));
  }

  async names(em: EntityManager, userIds: string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    const users = await em.find(User, { id: { $in: [...new Set(userIds)] } }, { fields: ['id', 'name'] });
    return new Map(users.map((u) => [u.id, u.name]));
  }
}

function contentOf(context: ReviewContext): Pick<ReviewView, 'scores' | 'comments' | 'overallComment' | 'recommendation' | 'weightedScore'> {
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

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
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
function undeclaredBy(declarations: readonly ConflictDeclaration[], applicationIds: readonly string[], memberIds: readonly string[]): Map<string, number> {
  const declared = new Set(declarations.map((d) => `${d.applicationId}:${d.userId}`));
  return new Map(memberIds.map((m) => [m, applicationIds.filter((a) => !declared.has(`${a}:${m}`)).length]));
}
