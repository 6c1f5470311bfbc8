import type { EntityManager } from '@mikro-orm/core';
import { sql } from 'kysely';
import {
  approvalsNeeded,
  type DisbursementContext,
  type DisbursementState,
} from '../../workflows/disbursement.machine';
import type { WorkflowId } from '../../workflows';
import { db } from '../common/kysely';
import { formatAmount } from '../common/money';
import type { FinanceQueueItem } from './tranche.views';

/** Tranches waiting for a finance officer's approval. */
const WAITING: DisbursementState[] = ['requested', 'partly_approved'];

/**
 * The tranches of the officer's programme that wait for them, longest waiting first: asked for and
 * not yet approved, except those the officer asked for or has approved already (another officer
 * must), with the group, the project, the amount, its condition and who asked.
 */
export async function financeQueue(
  em: EntityManager,
  officerId: string,
  programmeId: string,
): Promise<FinanceQueueItem[]> {
  const rows = await db(em)
    .selectFrom('tranche as t')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('tranche')).onRef('i.subject_id', '=', 't.id'),
    )
    .innerJoin('application as a', 'a.id', 't.application_id')
    .innerJoin('applicant_group as g', 'g.id', 'a.group_id')
    .innerJoin('call as c', 'c.id', 'a.call_id')
    .leftJoin('app_user as u', (join) =>
      join.on('u.id', '=', sql<string>`(i.snapshot->'context'->>'requestedBy')::uuid`),
    )
    .select([
      't.id',
      't.application_id',
      'a.reference',
      'a.title',
      'g.name as group_name',
      'a.municipality',
      't.amount_minor',
      't.currency',
      'i.state',
      'i.snapshot',
      'i.updated_at',
      'u.name as requester_name',
    ])
    .where('c.programme_id', '=', programmeId)
    .where('i.machine_id', '=', sql.lit('disbursement' satisfies WorkflowId))
    .where('i.state', 'in', WAITING)
    .where(sql<boolean>`coalesce(i.snapshot->'context'->>'requestedBy', '') <> ${officerId}`)
    .where(sql<boolean>`not (i.snapshot->'context'->'approvedBy' @> jsonb_build_array(${officerId}::text))`)
    .orderBy('i.updated_at')
    .orderBy('t.id')
    .execute();
  return rows.map((r) => {
    const c = (r.snapshot as { context: DisbursementContext }).context;
    return {
      trancheId: r.id,
      applicationId: r.application_id,
      reference: r.reference,
      project: r.title,
      group: r.group_name,
      municipality: r.municipality,
      amount: formatAmount(Number(r.amount_minor), r.currency),
      currency: r.currency,
      state: r.state,
      release: c.release,
      approvalsNeeded: approvalsNeeded(c),
      approvalsGiven: c.approvedBy.length,
      requestedBy: c.requestedBy,
      requestedByName: r.requester_name ?? null,
      waitingSince: new Date(r.updated_at).toISOString(),
    };
  });
}
