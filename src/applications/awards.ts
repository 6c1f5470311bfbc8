import type { EntityManager } from '@mikro-orm/core';
import { sql } from 'kysely';
import { AWARD_HOLDING_STATES, type ApplicationContext } from '../../workflows/application.machine';
import type { WorkflowId } from '../../workflows';
import { contextBigint, db } from '../common/kysely';

/** What a call has awarded so far: the awards its applications hold, in minor units. */
export async function awardedTotalMinor(em: EntityManager, callInstanceId: string): Promise<number> {
  const row = await db(em)
    .selectFrom('workflow_instance')
    .select((eb) =>
      eb.fn
        .coalesce(eb.fn.sum(contextBigint<ApplicationContext>(eb.ref('snapshot'), 'awardedMinor')), sql.lit(0))
        .as('awarded'),
    )
    .where('parent_id', '=', callInstanceId)
    .where('machine_id', '=', sql.lit('application' satisfies WorkflowId))
    .where('state', 'in', AWARD_HOLDING_STATES)
    .executeTakeFirstOrThrow();
  return Number(row.awarded);
}
