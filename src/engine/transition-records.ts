import { messagesFor } from '../../workflows/messages';
import type { Actor } from '../../workflows/kit';
import { OutboxMessage, TransitionLog, type WorkflowInstance } from './engine.entities';
import { chainHash } from './hash-chain';

// The rows a transition writes beside its instance: its hash-chained log row and its outbox rows.

export interface LogInput {
  eventType: string;
  payload: Record<string, unknown>;
  actor: Actor;
  fromState: string | null;
  at: Date;
  reason: string | null;
}

/** The log row for the instance's current state and version, chained to `prevHash`. */
export function logRow(instance: WorkflowInstance, prevHash: string, row: LogInput): TransitionLog {
  const fields = {
    instanceId: instance.id,
    // the row's sequence number is the instance version it produces
    seq: instance.version + (row.fromState === null ? 0 : 1),
    eventType: row.eventType,
    payload: row.payload,
    actorId: row.actor.id,
    actorRole: row.actor.role,
    fromState: row.fromState,
    toState: instance.state,
    at: row.at,
    reason: row.reason,
  };
  return Object.assign(new TransitionLog(), fields, { prevHash, hash: chainHash(prevHash, fields) });
}

/**
 * One outbox row per message the table in workflows/messages.ts sends for this transition. The row
 * keeps what the message needs from the moment it happened: the spec itself and the context.
 */
export function outboxRows(instance: WorkflowInstance, log: TransitionLog, context: unknown): OutboxMessage[] {
  return messagesFor(instance.machineId, { event: log.eventType, from: log.fromState, to: log.toState }).map((spec) =>
    Object.assign(new OutboxMessage(), {
      instanceId: instance.id,
      type: 'notify',
      payload: {
        message: spec.key,
        template: spec.template,
        recipients: spec.recipients,
        machineId: instance.machineId,
        subjectType: instance.subjectType,
        subjectId: instance.subjectId,
        eventType: log.eventType,
        fromState: log.fromState,
        toState: log.toState,
        logSeq: log.seq,
        at: log.at.toISOString(),
        actorId: log.actorId,
        context,
      },
    }),
  );
}
