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
import { toCsv } from '../common/csv';
import type { FinanceQueueItem } from './tranche.views';

// What finance officers read: the tranches waiting for them, and a call's payments as CSV.

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

const PAYMENT_COLUMNS = [
  'reference',
  'project',
  'group',
  'municipality',
  'tranche',
  'release',
  'amount',
  'currency',
  'state',
  'approvals',
  'payment reference',
  'paid on',
] as const;

/**
 * The call's tranches as CSV, for the finance officer's bank and books: by application, in the
 * plan's order. Applicant text passes through toCsv, which neutralises what a spreadsheet would run.
 */
export async function paymentsCsv(em: EntityManager, callId: string): Promise<string> {
  const rows = await db(em)
    .selectFrom('tranche as t')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('tranche')).onRef('i.subject_id', '=', 't.id'),
    )
    .innerJoin('application as a', 'a.id', 't.application_id')
    .innerJoin('applicant_group as g', 'g.id', 'a.group_id')
    .select([
      'a.reference',
      'a.title',
      'g.name as group_name',
      'a.municipality',
      't.position',
      't.amount_minor',
      't.currency',
      'i.state',
      'i.snapshot',
    ])
    .where('a.call_id', '=', callId)
    .orderBy('a.reference')
    .orderBy('t.created_at')
    .orderBy('t.position')
    .orderBy('t.id')
    .execute();
  return toCsv(
    PAYMENT_COLUMNS,
    rows.map((r) => {
      const c = (r.snapshot as { context: DisbursementContext }).context;
      return [
        r.reference,
        r.title,
        r.group_name,
        r.municipality,
        r.position || null,
        c.release,
        formatAmount(Number(r.amount_minor), r.currency),
        r.currency,
        r.state,
        `${c.approvedBy.length}/${approvalsNeeded(c)}`,
        c.paymentReference,
        c.paidOn,
      ];
    }),
  );
}
