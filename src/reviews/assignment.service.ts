import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { assignReviewers, type Assignment } from '../../workflows/assignment';
import type { Actor } from '../../workflows/kit';
import { type ReviewInput } from '../../workflows/review.machine';
import type { CallState } from '../../workflows/call.machine';
import type { ApplicationState } from '../../workflows/application.machine';
import { AccessPolicy } from '../access/access.policy';
import { Application } from '../applications/application.entity';
import { Call } from '../calls/call.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import { db } from '../common/kysely';
import { applicationsWithInstance } from '../applications/application-queries';
import { fieldRefused } from '../common/validation';
import { WorkflowInstance } from '../engine/engine.entities';
import { WorkflowEngine } from '../engine/engine.service';
import { CommitteeMember, ConflictDeclaration } from '../organisations/organisation.entities';
import { Review } from './review.entity';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { ASSIGNABLE_STATES, groupBy, standingReviews, undeclaredBy, userNames } from './review-data';
import type { AssignedReview, AssignmentOutcome } from './review.views';

/** Reviewers assigned to applications: automatically by max-flow, or one changed by a manager. */
@Injectable()
export class AssignmentService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly policy: AccessPolicy,
  ) {}

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
      if (members.length === 0)
        throw DomainError.because(ErrorCode.Conflict, [{ key: 'assignment.noCommittee', params: {} }]);
      const names = await userNames(
        em,
        members.map((m) => m.userId),
      );
      const declarations = applications.length
        ? await em.find(ConflictDeclaration, { applicationId: { $in: applications.map((a) => a.id) } })
        : [];
      const counts = undeclaredBy(
        declarations,
        applications.map((a) => a.id),
        members.map((m) => m.userId),
      );
      const undeclared = members
        .map((m) => ({ name: names.get(m.userId) ?? m.userId, count: counts.get(m.userId) ?? 0 }))
        .filter((m) => m.count > 0);
      if (undeclared.length > 0) {
        const still = { list: undeclared.map((m) => `${m.name} (${m.count})`) };
        throw DomainError.because(ErrorCode.Conflict, [{ key: 'assignment.undeclared', params: { members: still } }], {
          undeclared,
        });
      }
      const standing = await standingReviews(em, callId);
      const result = assignReviewers({
        applications: applications.map((a) => a.id),
        members: members.map((m) => m.userId),
        perApplication: call.reviewersPerApplication,
        conflicts: declarations
          .filter((d) => d.conflicted)
          .map((d) => ({ applicationId: d.applicationId, memberId: d.userId })),
        existing: standing.map((r) => ({ applicationId: r.application_id, memberId: r.reviewer_id })),
      });
      const reference = new Map(applications.map((a) => [a.id, a.reference]));
      if (!result.ok) {
        const short = result.shortfalls.map(({ applicationId, needed, available }) => ({
          key: 'assignment.shortfall',
          params: { reference: reference.get(applicationId) ?? applicationId, needed, available },
        }));
        // No application short of members: the committee is smaller than the reviewers each one needs.
        const tooSmall = { needed: call.reviewersPerApplication, members: members.length };
        const reasons = short.length > 0 ? short : [{ key: 'assignment.committeeTooSmall', params: tooSmall }];
        throw DomainError.because(ErrorCode.Conflict, reasons, { shortfalls: result.shortfalls });
      }
      const added: AssignedReview[] = [];
      for (const assignment of result.added) {
        const reviewId = this.startReview(em, call, applications, assignment, manager);
        added.push({
          applicationId: assignment.applicationId,
          reference: reference.get(assignment.applicationId) ?? '',
          userId: assignment.memberId,
          name: names.get(assignment.memberId) ?? '',
          reviewId,
        });
      }
      await this.reopenReviewed(em, applications, new Set(result.added.map((a) => a.applicationId)), manager);
      return {
        added,
        loads: members.map((m) => ({
          userId: m.userId,
          name: names.get(m.userId) ?? '',
          reviews: result.loads[m.userId] ?? 0,
        })),
      };
    });
  }

  /**
   * Gives an application's review to another member: `to` gets a new review, and `from`'s review,
   * if named, is taken away (a submitted one only by the chair reopening it first). `to` must be on
   * the committee and have declared no conflict with the application.
   */
  async reassign(
    applicationId: string,
    change: { from?: string; to: string; reason?: string },
    manager: AuthenticatedUser,
  ): Promise<AssignmentOutcome> {
    await this.policy.act('application', applicationId, manager, 'POST /applications/:id/reviewers');
    return this.orm.em.fork().transactional(async (em) => {
      const application = await em.findOneOrFail(Application, { id: applicationId });
      const { call, applications } = await this.lockForAssignment(em, application.callId);
      const target = applications.find((a) => a.id === applicationId);
      if (!target)
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'assignment.applicationNotInReview', params: { reference: application.reference } },
        ]);
      if (!(await em.count(CommitteeMember, { callId: call.id, userId: change.to }))) {
        throw fieldRefused('to', 'assignment.notOnCommittee');
      }
      const declaration = await em.findOne(ConflictDeclaration, { applicationId, userId: change.to });
      if (!declaration)
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'assignment.undeclaredReviewer', params: { reference: application.reference } },
        ]);
      if (declaration.conflicted)
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'assignment.conflictedReviewer', params: { reference: application.reference } },
        ]);
      const standing = (await standingReviews(em, call.id)).filter((r) => r.application_id === applicationId);
      if (standing.some((r) => r.reviewer_id === change.to))
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'assignment.alreadyReviews', params: { reference: application.reference } },
        ]);
      if (change.from !== undefined) {
        const old = standing.find((r) => r.reviewer_id === change.from);
        if (!old) throw fieldRefused('from', 'assignment.noReviewOf', { reference: application.reference });
        if (old.state === 'submitted') {
          throw DomainError.because(ErrorCode.Conflict, [{ key: 'assignment.submittedStays', params: {} }]);
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
      const byReviewer = groupBy(await standingReviews(em, call.id), (r) => r.reviewer_id);
      const members = await em.find(CommitteeMember, { callId: call.id });
      const names = await userNames(
        em,
        members.map((m) => m.userId),
      );
      return {
        added: [
          {
            applicationId,
            reference: application.reference,
            userId: change.to,
            name: names.get(change.to) ?? '',
            reviewId,
          },
        ],
        loads: members.map((m) => ({
          userId: m.userId,
          name: names.get(m.userId) ?? '',
          reviews: byReviewer.get(m.userId)?.length ?? 0,
        })),
      };
    });
  }

  /** Locks the call's row, so assignments are made one at a time, and loads what they need. */
  private async lockForAssignment(
    em: EntityManager,
    callId: string,
  ): Promise<{
    call: Call;
    applications: { id: string; reference: string; state: ApplicationState; instanceId: string }[];
  }> {
    await db(em).selectFrom('call').select('id').where('id', '=', callId).forUpdate().execute();
    const call = await em.findOneOrFail(Call, { id: callId });
    const callInstance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: callId });
    if (callInstance.state !== ('reviewing' satisfies CallState))
      throw DomainError.because(ErrorCode.Conflict, [
        { key: 'assignment.callNotReviewing', params: { state: { term: `call.state.${callInstance.state}` } } },
      ]);
    const applications = await applicationsWithInstance(em)
      .select(['a.id', 'a.reference', 'i.state', 'i.id as instance_id'])
      .where('a.call_id', '=', callId)
      .where('i.state', 'in', ASSIGNABLE_STATES)
      .orderBy('a.reference')
      .$narrowType<{ state: ApplicationState }>()
      .execute();
    return {
      call,
      applications: applications.map((a) => ({
        id: a.id,
        reference: a.reference,
        state: a.state,
        instanceId: a.instance_id,
      })),
    };
  }

  private startReview(
    em: EntityManager,
    call: Call,
    applications: { id: string; instanceId: string }[],
    assignment: Assignment,
    manager: AuthenticatedUser,
  ): string {
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
    this.engine.start(em, {
      machineId: 'review',
      subjectType: 'review',
      subjectId: review.id,
      parentId: parent.instanceId,
      input: { ...input },
      actor,
    });
    return review.id;
  }

  /** An application marked reviewed goes back to in review when it gets a new reviewer. */
  private async reopenReviewed(
    em: EntityManager,
    applications: { id: string; state: ApplicationState; instanceId: string }[],
    touched: Set<string>,
    manager: AuthenticatedUser,
  ): Promise<void> {
    for (const application of applications) {
      if (application.state !== 'reviewed' || !touched.has(application.id)) continue;
      await this.engine.apply(em, {
        target: { id: application.instanceId },
        event: { type: 'REVIEW_PENDING' },
        actor: { id: manager.id, role: manager.role },
      });
    }
  }
}
