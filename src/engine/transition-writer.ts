import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { LedgerEntry } from '../../workflows/ledger';
import { sqlRows } from '../common/sql';
import type { OutboxMessage, TransitionLog, WorkflowInstance } from './engine.entities';

// A transition's writes (the instance under its version check, its log row, its outbox rows, its
// ledger rows) go to the database as one statement: one round trip on the hot path, and the rows are
// written only if the version check let the update through. A ledger row belongs to the family of
// instances its top-most ancestor heads (a call's, for its grants and their tranches).
const WRITE_TRANSITION = `
with moved as (
  update workflow_instance
     set state = ?, snapshot = ?::jsonb, machine_version = ?, updated_at = ?::timestamptz, last_hash = ?, version = version + 1
   where id = ? and version = ?
  returning id
), logged as (
  insert into transition_log (instance_id, seq, event_type, payload, actor_id, actor_role, from_state, to_state, at, reason, prev_hash, hash)
  select id, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::timestamptz, ?, ?, ? from moved
  returning id
), queued as (
  insert into outbox (id, instance_id, type, payload, status, attempts, next_attempt_at, created_at)
  select o.id, moved.id, o.type, o.payload, 'pending', 0, now(), now()
    from moved, jsonb_to_recordset(?::jsonb) as o(id uuid, type text, payload jsonb)
  returning id
), ledgered as (
  insert into ledger_entry (id, instance_id, root_instance_id, seq, kind, amount_minor, currency, at)
  select l.id, moved.id, coalesce(grandparent.id, parent.id, moved.id), ?, l.kind, l.amount_minor, l.currency, ?::timestamptz
    from moved
    cross join jsonb_to_recordset(?::jsonb) as l(id uuid, kind text, amount_minor bigint, currency text)
    join workflow_instance self on self.id = moved.id
    left join workflow_instance parent on parent.id = self.parent_id
    left join workflow_instance grandparent on grandparent.id = parent.parent_id
  returning id
)
select (select count(*) from moved) as moved`;

/** Writes the transition; false when another request moved the instance first. */
export async function writeTransition(
  em: EntityManager,
  instance: WorkflowInstance,
  readVersion: number,
  log: TransitionLog,
  outbox: OutboxMessage[],
  ledger: readonly LedgerEntry[],
): Promise<boolean> {
  const [row] = await sqlRows<{ moved: string | number }>(em, WRITE_TRANSITION, [
    instance.state,
    JSON.stringify(instance.snapshot),
    instance.machineVersion,
    instance.updatedAt.toISOString(),
    log.hash,
    instance.id,
    readVersion,
    log.seq,
    log.eventType,
    JSON.stringify(log.payload),
    log.actorId,
    log.actorRole,
    log.fromState,
    log.toState,
    log.at.toISOString(),
    log.reason ?? null,
    log.prevHash,
    log.hash,
    JSON.stringify(outbox.map((o) => ({ id: o.id, type: o.type, payload: o.payload }))),
    log.seq,
    log.at.toISOString(),
    JSON.stringify(
      ledger.map((l) => ({ id: randomUUID(), kind: l.kind, amount_minor: l.amountMinor, currency: l.currency })),
    ),
  ]);
  return Number(row.moved) === 1;
}
