import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { ACTIVE_REVIEW_STATES } from '../../workflows/review.machine';
import { AccessPolicy } from '../access/access.policy';
import { Application } from '../applications/application.entity';
import { DomainError, ErrorCode } from '../common/domain-error';
import { fieldRefused } from '../common/validation';
import { WorkflowEngine } from '../engine/engine.service';
import { CommitteeMember, ConflictDeclaration } from '../organisations/organisation.entities';
import { Review } from './review.entity';
import type { AuthenticatedUser } from '../common/authenticated-user';
import type { Declaration } from './review.views';

/** Declarations of conflicts of interest: one stands, and takes away a review already assigned on it. */
@Injectable()
export class ConflictsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly policy: AccessPolicy,
  ) {}

  /**
   * A committee member's declarations on applications of one call: a conflict (with its reason) or
   * none. A declared conflict stands; a review already assigned on it is taken away at once.
   */
  async declare(
    callId: string,
    member: AuthenticatedUser,
    items: { applicationId: string; conflicted: boolean; reason?: string }[],
  ): Promise<Declaration[]> {
    for (const [i, item] of items.entries()) {
      if (item.conflicted && !item.reason?.trim()) throw fieldRefused(`items[${i}].reason`, 'conflicts.reasonGiven');
    }
    await this.policy.act('call', callId, member, 'declare conflicts');
    if (!(await this.orm.em.fork().count(CommitteeMember, { callId, userId: member.id }))) {
      throw DomainError.because(ErrorCode.Forbidden, [{ key: 'conflicts.committeeOnly', params: {} }]);
    }
    return this.orm.em.fork().transactional(async (em) => {
      const ids = items.map((i) => i.applicationId);
      const inCall = new Set(
        (await em.find(Application, { id: { $in: ids }, callId }, { fields: ['id'] })).map((a) => a.id),
      );
      const missing = ids.find((id) => !inCall.has(id));
      if (missing) throw DomainError.notFound('application', missing);
      const results: Declaration[] = [];
      for (const item of items) {
        const existing = await em.findOne(ConflictDeclaration, {
          applicationId: item.applicationId,
          userId: member.id,
        });
        const wasConflicted = existing?.conflicted ?? false;
        if (wasConflicted && !item.conflicted)
          throw DomainError.because(ErrorCode.Conflict, [{ key: 'conflicts.stands', params: {} }]);
        const declaration =
          existing ??
          em.create(ConflictDeclaration, {
            applicationId: item.applicationId,
            userId: member.id,
            conflicted: item.conflicted,
          });
        Object.assign(declaration, {
          conflicted: item.conflicted,
          reason: item.conflicted ? item.reason?.trim() : null,
          declaredAt: new Date(),
        });
        if (item.conflicted && !wasConflicted) await this.withdrawConflictedReview(em, item.applicationId, member);
        results.push({ conflicted: declaration.conflicted, reason: declaration.reason ?? null });
      }
      return results;
    });
  }

  /** One declaration, on an application named by itself. */
  async declareOne(
    applicationId: string,
    member: AuthenticatedUser,
    conflicted: boolean,
    reason: string | undefined,
  ): Promise<Declaration> {
    const em = this.orm.em.fork();
    const application = await em.findOne(Application, { id: applicationId }, { fields: ['callId'] });
    // Only the call's committee learns that the application exists.
    if (!application || !(await em.count(CommitteeMember, { callId: application.callId, userId: member.id })))
      throw DomainError.notFound('application', applicationId);
    const [declared] = await this.declare(application.callId, member, [{ applicationId, conflicted, reason }]);
    return declared;
  }

  private async withdrawConflictedReview(
    em: EntityManager,
    applicationId: string,
    member: AuthenticatedUser,
  ): Promise<void> {
    const standing = await em.findOne(Review, {
      applicationId,
      reviewerId: member.id,
      state: { $in: [...ACTIVE_REVIEW_STATES] },
    });
    if (!standing) return;
    await this.engine.apply(em, {
      target: { subjectType: 'review', subjectId: standing.id },
      event: { type: 'UNASSIGN', reason: 'its reviewer declared a conflict of interest' },
      actor: { id: member.id, role: member.role },
    });
  }
}
