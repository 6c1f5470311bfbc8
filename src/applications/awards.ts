import type { EntityManager } from '@mikro-orm/core';
import { AWARD_HOLDING_STATES } from '../../workflows/application.machine';
import { sqlRows } from '../common/sql';

/** What a call has awarded so far: the awards its applications hold, in minor units. */
export async function awardedTotalMinor(em: EntityManager, callInstanceId: string): Promise<number> {
  const [row] = await sqlRows<{ awarded: string }>(
    em,
    `select coalesce(sum((snapshot->'context'->>'awardedMinor')::bigint), 0) as awarded
       from workflow_instance where parent_id = ? and machine_id = 'application' and state in (?)`,
    [callInstanceId, AWARD_HOLDING_STATES],
  );
  return Number(row.awarded);
}
