import type { EntityManager } from '@mikro-orm/core';
import { expressionBuilder, sql, type Expression } from 'kysely';
import type { ApplicationEventType } from '../../workflows/application.machine';
import { db, type Database } from '../common/kysely';

/** Applications (`a`) with their machine's instance (`i`), whose state is the application's. */
export function applicationsWithInstance(em: EntityManager) {
  return db(em)
    .selectFrom('application as a')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('application')).onRef('i.subject_id', '=', 'a.id'),
    );
}

/** When an application was first submitted: the earliest SUBMIT in its instance's log, null before. */
export function firstSubmittedAt(instanceId: Expression<string>) {
  return expressionBuilder<Database, never>()
    .selectFrom('transition_log as l')
    .select((l) => l.fn.min('l.at').as('at'))
    .where('l.instance_id', '=', instanceId)
    .where('l.event_type', '=', sql.lit('SUBMIT' satisfies ApplicationEventType));
}
