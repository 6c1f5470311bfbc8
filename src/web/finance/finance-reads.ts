import type { EntityManager } from '@mikro-orm/core';
import type { Localised } from '../../../workflows/localised';
import { db } from '../../common/kysely';

// What the payment pages name beside a tranche: its grant (the project, the group, the call) and
// the people who acted on it. Read only for records the access policy has already let through.

export interface GrantNames {
  applicationId: string;
  reference: string;
  project: string;
  group: string;
  municipality: string;
  callId: string;
  callTitle: Localised;
}

/** The grant an application is: its reference, project, group and call. */
export async function grantNames(em: EntityManager, applicationId: string): Promise<GrantNames | null> {
  const row = await db(em)
    .selectFrom('application as a')
    .innerJoin('applicant_group as g', 'g.id', 'a.group_id')
    .innerJoin('call as c', 'c.id', 'a.call_id')
    .select([
      'a.id',
      'a.reference',
      'a.title',
      'a.municipality',
      'g.name as group_name',
      'c.id as call_id',
      'c.title as call_title',
    ])
    .where('a.id', '=', applicationId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    applicationId: row.id,
    reference: row.reference,
    project: row.title,
    group: row.group_name,
    municipality: row.municipality,
    callId: row.call_id,
    callTitle: row.call_title as Localised,
  };
}

/** The names of the users among `ids` (ids that are no user's, as `timer:…`, are left out). */
export async function userNames(em: EntityManager, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const uuids = [...new Set(ids.filter((id): id is string => id !== null && UUID.test(id)))];
  if (uuids.length === 0) return new Map();
  const rows = await db(em).selectFrom('app_user').select(['id', 'name']).where('id', 'in', uuids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The calls of a programme that have tranches, newest first, each with how many: their payments' CSV. */
export async function callsWithPayments(
  em: EntityManager,
  programmeId: string,
): Promise<{ id: string; title: Localised; tranches: number }[]> {
  const rows = await db(em)
    .selectFrom('call as c')
    .innerJoin('application as a', 'a.call_id', 'c.id')
    .innerJoin('tranche as t', 't.application_id', 'a.id')
    .select((eb) => ['c.id', 'c.title', 'c.created_at', eb.fn.count<string>('t.id').as('tranches')])
    .where('c.programme_id', '=', programmeId)
    .groupBy(['c.id', 'c.title', 'c.created_at'])
    .orderBy('c.created_at', 'desc')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title as Localised, tranches: Number(r.tranches) }));
}
