import type { EntityManager } from '@mikro-orm/core';
import { expressionBuilder, sql, type Expression, type SqlBool } from 'kysely';
import type { CallEventType, CallState } from '../../workflows/call.machine';
import { db, type Database } from '../common/kysely';
import type { AuthenticatedUser } from '../common/authenticated-user';

export type RecordKind = 'call' | 'application' | 'tranche' | 'report' | 'group' | 'notification' | 'review';

/** One record's row of facts about one user, as the database answers it. */
export interface FactsRow {
  programme_id: string | null;
  published: SqlBool;
  member: SqlBool;
  on_committee: SqlBool;
  conflicted: SqlBool;
  cleared: SqlBool;
  reviewer: SqlBool;
}

const eb = expressionBuilder<Database, never>();
const one = sql.lit(1).as('one');
const no = sql.lit(false);

// The relations a fact reads, each a correlated `exists` on the record's own column.
const memberOf = (group: Expression<string>, userId: string) =>
  eb.exists(
    eb.selectFrom('group_member as m').select(one).where('m.group_id', '=', group).where('m.user_id', '=', userId),
  );

const onCommitteeOf = (call: Expression<string>, userId: string) =>
  eb.exists(
    eb.selectFrom('committee_member as k').select(one).where('k.call_id', '=', call).where('k.user_id', '=', userId),
  );

/** Whether the user declared on the application: `conflicted` true for a conflict, false for none. */
const declared = (application: Expression<string>, userId: string, conflicted: boolean) =>
  eb.exists(
    eb
      .selectFrom('conflict_declaration as d')
      .select(one)
      .where('d.application_id', '=', application)
      .where('d.user_id', '=', userId)
      .where((d) => (conflicted ? d.ref('d.conflicted') : d.not(d.ref('d.conflicted')))),
  );

// The state names the rule reads, typed by the call machine's states and events.
const DRAFT = 'draft' satisfies CallState;
const CANCELLED = 'cancelled' satisfies CallState;
const PUBLISH = 'PUBLISH' satisfies CallEventType;

function callFacts(em: EntityManager, id: string, user: AuthenticatedUser) {
  return db(em)
    .selectFrom('call as c')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('call')).onRef('i.subject_id', '=', 'c.id'),
    )
    .select((q) => [
      'c.programme_id',
      // Published: out of draft, and a cancelled call only if it was published before it was cancelled.
      q
        .and([
          q('i.state', '<>', DRAFT),
          q.or([
            q('i.state', '<>', CANCELLED),
            q.exists(
              q
                .selectFrom('transition_log as l')
                .select(one)
                .whereRef('l.instance_id', '=', 'i.id')
                .where('l.event_type', '=', PUBLISH),
            ),
          ]),
        ])
        .as('published'),
      no.as('member'),
      onCommitteeOf(q.ref('c.id'), user.id).as('on_committee'),
      no.as('conflicted'),
      no.as('cleared'),
      no.as('reviewer'),
    ])
    .where('c.id', '=', id);
}

function applicationFacts(em: EntityManager, id: string, user: AuthenticatedUser) {
  return db(em)
    .selectFrom('application as a')
    .innerJoin('call as c', 'c.id', 'a.call_id')
    .select((q) => [
      'c.programme_id',
      sql.lit(true).as('published'),
      memberOf(q.ref('a.group_id'), user.id).as('member'),
      onCommitteeOf(q.ref('a.call_id'), user.id).as('on_committee'),
      declared(q.ref('a.id'), user.id, true).as('conflicted'),
      declared(q.ref('a.id'), user.id, false).as('cleared'),
      no.as('reviewer'),
    ])
    .where('a.id', '=', id);
}

function reviewFacts(em: EntityManager, id: string, user: AuthenticatedUser) {
  return db(em)
    .selectFrom('review as r')
    .innerJoin('call as c', 'c.id', 'r.call_id')
    .select((q) => [
      'c.programme_id',
      no.as('published'),
      no.as('member'),
      no.as('on_committee'),
      declared(q.ref('r.application_id'), user.id, true).as('conflicted'),
      no.as('cleared'),
      q('r.reviewer_id', '=', user.id).as('reviewer'),
    ])
    .where('r.id', '=', id);
}

/** What a tranche or a report shows of the user: their membership of its application's group. */
const belowApplication = (group: Expression<string>, userId: string) =>
  [
    sql.lit(true).as('published'),
    memberOf(group, userId).as('member'),
    no.as('on_committee'),
    no.as('conflicted'),
    no.as('cleared'),
    no.as('reviewer'),
  ] as const;

function trancheFacts(em: EntityManager, id: string, user: AuthenticatedUser) {
  return db(em)
    .selectFrom('tranche as t')
    .innerJoin('application as a', 'a.id', 't.application_id')
    .innerJoin('call as c', 'c.id', 'a.call_id')
    .select((q) => ['c.programme_id', ...belowApplication(q.ref('a.group_id'), user.id)])
    .where('t.id', '=', id);
}

function reportFacts(em: EntityManager, id: string, user: AuthenticatedUser) {
  return db(em)
    .selectFrom('report as r')
    .innerJoin('application as a', 'a.id', 'r.application_id')
    .innerJoin('call as c', 'c.id', 'a.call_id')
    .select((q) => ['c.programme_id', ...belowApplication(q.ref('a.group_id'), user.id)])
    .where('r.id', '=', id);
}

function groupFacts(em: EntityManager, id: string, user: AuthenticatedUser) {
  const { programmeId } = user;
  return db(em)
    .selectFrom('applicant_group as g')
    .select((q) => [
      // The caller's programme, if the group applied to one of its calls (none for a caller with no programme).
      (programmeId === null
        ? sql<string | null>`null`
        : q
            .selectFrom('application as a')
            .innerJoin('call as c', 'c.id', 'a.call_id')
            .select('c.programme_id')
            .whereRef('a.group_id', '=', 'g.id')
            .where('c.programme_id', '=', programmeId)
            .limit(1)
      ).as('programme_id'),
      sql.lit(true).as('published'),
      memberOf(q.ref('g.id'), user.id).as('member'),
      no.as('on_committee'),
      no.as('conflicted'),
      no.as('cleared'),
      no.as('reviewer'),
    ])
    .where('g.id', '=', id);
}

function notificationFacts(em: EntityManager, id: string) {
  return db(em)
    .selectFrom('notification as n')
    .select([
      'n.programme_id',
      no.as('published'),
      no.as('member'),
      no.as('on_committee'),
      no.as('conflicted'),
      no.as('cleared'),
      no.as('reviewer'),
    ])
    .where('n.id', '=', id);
}

/** The facts row of one record for one user, in one query; undefined when there is no such record. */
export async function loadFacts(
  em: EntityManager,
  kind: RecordKind,
  id: string,
  user: AuthenticatedUser,
): Promise<FactsRow | undefined> {
  switch (kind) {
    case 'call':
      return callFacts(em, id, user).executeTakeFirst();
    case 'application':
      return applicationFacts(em, id, user).executeTakeFirst();
    case 'review':
      return reviewFacts(em, id, user).executeTakeFirst();
    case 'tranche':
      return trancheFacts(em, id, user).executeTakeFirst();
    case 'report':
      return reportFacts(em, id, user).executeTakeFirst();
    case 'group':
      return groupFacts(em, id, user).executeTakeFirst();
    case 'notification':
      return notificationFacts(em, id).executeTakeFirst();
  }
}
