import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields of a transition-log row that its hash covers. */
export interface ChainedFields {
  instanceId: string;
  seq: number;
  eventType: string;
  payload: Record<string, unknown>;
  actorId: string;
  actorRole: string;
  fromState: string | null;
  toState: string;
  at: Date;
  reason?: string | null;
}

/** SHA-256 of the previous row's hash and this row's canonical JSON (RFC 8785), so key order never matters. */
export function chainHash(prevHash: string, row: ChainedFields): string {
  const { instanceId, seq, eventType, payload, actorId, actorRole, fromState, toState } = row;
  const fields = { instanceId, seq, eventType, payload, actorId, actorRole, fromState, toState };
  const body = canonicalize({ ...fields, at: row.at.toISOString(), reason: row.reason ?? null });
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(body ?? '')
    .digest('hex');
}
