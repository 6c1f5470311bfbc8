import { Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { MikroORM, type EntityManager } from '@mikro-orm/core';
import type { Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { loadFacts, type RecordKind } from './record-facts';

// Who may see and act on which record. One rule for all: every role reaches a record only through
// its relation to it.
//   applicant  -> a member of the group that owns the application (and its tranches and reports)
//   manager    -> staff of the programme that runs the call
//   finance    -> staff of the programme that runs the call
//   committee  -> on the call's committee; an application only once they have declared no conflict
//                 of interest with it; a review only their own; never money or reports
// A published call is also visible (read-only) to every signed-in user, even once cancelled; a draft,
// or a call cancelled as a draft, never is. A record the caller may not see answers 404, as if it
// did not exist; an action on a visible record they may not take, 403.

export type { RecordKind } from './record-facts';

/** What the rule needs to know of one record and one user, loaded in one query. */
export interface RecordFacts {
  programmeId: string | null;
  published: boolean;
  member: boolean;
  onCommittee: boolean;
  conflicted: boolean;
  /** Has declared no conflict of interest with the application. */
  cleared: boolean;
  /** Wrote the review. */
  reviewer: boolean;
}

export interface Access {
  /** The caller has their role's relation to the record: they may act on it, as their role allows. */
  related: boolean;
}

/** Whether a user's role relates them to a record of this kind, given its facts. Pure. */
export function relatedTo(
  kind: RecordKind,
  facts: RecordFacts,
  user: Pick<AuthenticatedUser, 'role' | 'programmeId'>,
): boolean {
  const staffOfProgramme = facts.programmeId !== null && facts.programmeId === user.programmeId;
  switch (user.role) {
    case 'applicant':
      return facts.member;
    case 'manager':
      return staffOfProgramme;
    case 'finance':
      return staffOfProgramme && kind !== 'notification' && kind !== 'group' && kind !== 'review';
    case 'committee':
      if (kind === 'call') return facts.onCommittee;
      if (kind === 'application') return facts.onCommittee && facts.cleared && !facts.conflicted;
      return kind === 'review' && facts.reviewer && !facts.conflicted;
  }
}

/** Whether a user may see a record at all. Pure. */
export function visibleTo(
  kind: RecordKind,
  facts: RecordFacts,
  user: Pick<AuthenticatedUser, 'role' | 'programmeId'>,
): boolean {
  if (relatedTo(kind, facts, user)) return true;
  if (kind === 'call') return facts.published;
  // Programme staff see the groups that applied to their calls.
  if (kind === 'group')
    return (
      (user.role === 'manager' || user.role === 'finance') &&
      facts.programmeId === user.programmeId &&
      user.programmeId !== null
    );
  return false;
}

/**
 * Whether a reader of an application's status, already allowed to see it, may see whom its emails
 * went to: the group itself and the programme's managers, never a reviewer or finance. Pure.
 */
export function seesRecipients(role: Role): boolean {
  return role === 'applicant' || role === 'manager';
}

// A relation that cannot lapse is remembered for a minute: no route removes a group member or
// moves staff to another programme. Committee seats can be taken away and conflicts declared, so a
// committee member's access is looked up every time. A route that ends a relation must forget it here.
const STABLE_ROLES: readonly Role[] = ['applicant', 'manager', 'finance'];

@Injectable()
export class AccessPolicy {
  private readonly logger = new Logger('access');
  private readonly related = new LRUCache<string, true>({ max: 100_000, ttl: 60_000 });

  constructor(private readonly orm: MikroORM) {}

  /** The facts of one record for one user; null when there is no such record. */
  async facts(
    kind: RecordKind,
    id: string,
    user: AuthenticatedUser,
    em: EntityManager = this.orm.em.fork(),
  ): Promise<RecordFacts | null> {
    const row = await loadFacts(em, kind, id, user);
    if (!row) return null;
    return {
      programmeId: row.programme_id,
      published: Boolean(row.published),
      member: Boolean(row.member),
      onCommittee: Boolean(row.on_committee),
      conflicted: Boolean(row.conflicted),
      cleared: Boolean(row.cleared),
      reviewer: Boolean(row.reviewer),
    };
  }

  /** Passes when the user may see the record; otherwise 404, as for a record that does not exist. */
  async see(kind: RecordKind, id: string, user: AuthenticatedUser, route?: string): Promise<Access> {
    const key = `${kind}:${id}:${user.id}`;
    if (this.related.has(key)) return { related: true };
    const facts = await this.facts(kind, id, user);
    if (!facts || !visibleTo(kind, facts, user)) {
      if (facts) this.deny('hidden', kind, id, user, route);
      throw DomainError.notFound(kind, id);
    }
    const related = relatedTo(kind, facts, user);
    if (related && STABLE_ROLES.includes(user.role)) this.related.set(key, true);
    return { related };
  }

  /** Passes when the user may act on the record as their role does: 404 if they may not see it, 403 if they only see it. */
  async act(kind: RecordKind, id: string, user: AuthenticatedUser, route?: string): Promise<void> {
    const { related } = await this.see(kind, id, user, route);
    if (!related) {
      this.deny('forbidden', kind, id, user, route);
      throw DomainError.because(ErrorCode.Forbidden, [
        { key: 'access.notYourRecord', params: { role: user.role, kind } },
      ]);
    }
  }

  /** Passes when the user is on the staff of the programme; otherwise 404, as for one that does not exist. */
  staffOf(programmeId: string, user: AuthenticatedUser, route?: string): void {
    if (user.programmeId !== null && user.programmeId === programmeId) return;
    this.logger.warn(
      { actor: user.id, role: user.role, route, record: `programme:${programmeId}`, outcome: 'hidden' },
      'access denied',
    );
    throw DomainError.notFound('programme', programmeId);
  }

  /**
   * Passes when the user may see the tranches or reports of an application: 404 if they may not see
   * the application, 403 if they see only the application (a committee member never sees its money).
   */
  async seeBelow(
    kind: 'tranche' | 'report',
    applicationId: string,
    user: AuthenticatedUser,
    route?: string,
  ): Promise<void> {
    const facts = await this.facts('application', applicationId, user);
    if (!facts || !visibleTo('application', facts, user)) {
      if (facts) this.deny('hidden', 'application', applicationId, user, route);
      throw DomainError.notFound('application', applicationId);
    }
    if (!relatedTo(kind, facts, user)) {
      this.deny('forbidden', 'application', applicationId, user, route);
      throw DomainError.because(ErrorCode.Forbidden, [
        { key: 'access.belowApplication', params: { kind, role: user.role } },
      ]);
    }
  }

  private deny(
    outcome: 'hidden' | 'forbidden',
    kind: RecordKind,
    id: string,
    user: AuthenticatedUser,
    route: string | undefined,
  ): void {
    this.logger.warn({ actor: user.id, role: user.role, route, record: `${kind}:${id}`, outcome }, 'access denied');
  }
}
