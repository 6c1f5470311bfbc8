import type { EntityManager } from '@mikro-orm/core';
import { sql } from 'kysely';
import type { ApplicationContext } from '../../workflows/application.machine';
import type { CallContext } from '../../workflows/call.machine';
import type { DisbursementContext } from '../../workflows/disbursement.machine';
import type { WorkflowId } from '../../workflows';
import type { LedgerKind } from '../../workflows/ledger';
import { db } from '../common/kysely';
import { formatAmount } from '../common/money';

// `npm run cli -- verify-ledger`: the ledger recomputed from what it records, the transitions, and
// compared row by row with what it holds; then each tranche's state against the money the ledger
// says it was paid. It reads the log and the instances only, never the ledger's own sums, so a row
// changed behind the trigger's back (or one missing, or one too many) is found and named.

export interface LedgerDifference {
  /** `call`, `application` or `tranche`, and its id. */
  subject: string;
  /** Its row in the transition log, when the difference is a transition's; null for a tranche's state. */
  seq: number | null;
  event: string | null;
  problem: string;
  at: string;
}

export interface LedgerReport {
  rows: number;
  transitions: number;
  tranches: number;
  differences: LedgerDifference[];
}

interface Expected {
  kind: LedgerKind;
  amountMinor: number;
  currency: string;
}

const MOVING_EVENTS = ['PUBLISH', 'DECLINE_AWARD', 'WITHDRAW', 'TERMINATE', 'CLOSE', 'RECORD_PAYMENT', 'RETURN'];
const SUBJECT: Record<string, string> = { call: 'call', application: 'application', disbursement: 'tranche' };

const describe = (e: Expected) => `${e.kind} ${formatAmount(e.amountMinor, e.currency)} ${e.currency}`;
const listed = (list: Expected[]) => (list.length === 0 ? 'nothing' : list.map(describe).join(', '));

type Snapshot = { context: CallContext & ApplicationContext & DisbursementContext };

export async function verifyLedger(em: EntityManager): Promise<LedgerReport> {
  const moving = await db(em)
    .selectFrom('transition_log as l')
    .innerJoin('workflow_instance as i', 'i.id', 'l.instance_id')
    .leftJoin('workflow_instance as p', 'p.id', 'i.parent_id')
    .leftJoin('workflow_instance as gp', 'gp.id', 'p.parent_id')
    .select([
      'l.instance_id',
      'l.seq',
      'l.event_type',
      'l.from_state',
      'l.to_state',
      'l.payload',
      'l.at',
      'i.machine_id',
      'i.subject_id',
      'i.snapshot',
      sql<string>`coalesce(gp.id, p.id, i.id)`.as('root_id'),
    ])
    .where('i.machine_id', 'in', ['call', 'application', 'disbursement'] satisfies WorkflowId[])
    .where((eb) =>
      eb.or([
        eb('l.event_type', 'in', MOVING_EVENTS),
        eb('l.to_state', '=', sql.lit('awarded')),
        eb('l.from_state', '=', sql.lit('awarded')),
      ]),
    )
    .orderBy('l.instance_id')
    .orderBy('l.seq')
    .execute();

  const ledger = await db(em)
    .selectFrom('ledger_entry')
    .select(['instance_id', 'root_instance_id', 'seq', 'kind', 'amount_minor', 'currency', 'at'])
    .orderBy('instance_id')
    .orderBy('seq')
    .execute();
  const held = new Map<string, (Expected & { root: string })[]>();
  for (const r of ledger) {
    const key = `${r.instance_id}:${r.seq}`;
    held.set(key, [
      ...(held.get(key) ?? []),
      { kind: r.kind, amountMinor: Number(r.amount_minor), currency: r.currency, root: r.root_instance_id },
    ]);
  }

  // Before the ledger, TERMINATE and CLOSE did not record what the grant had been paid: its paid tranches tell.
  const paidTranches = await db(em)
    .selectFrom('workflow_instance')
    .select((eb) => [
      'parent_id',
      eb.fn.sum<number | string>(sql`(snapshot->'context'->>'amountMinor')::bigint`).as('paid'),
    ])
    .where('machine_id', '=', sql.lit('disbursement' satisfies WorkflowId))
    .where('state', '=', sql.lit('paid'))
    .groupBy('parent_id')
    .execute();
  const paidOf = new Map(paidTranches.map((r) => [r.parent_id as string, Number(r.paid)]));

  const differences: LedgerDifference[] = [];
  // What each instance's earlier transitions left: the award an application holds, the payment a tranche last had.
  const award = new Map<string, number>();
  const lastPayment = new Map<string, number>();
  const seen = new Set<string>();
  for (const row of moving) {
    const context = (row.snapshot as Snapshot).context;
    const payload = row.payload as { amountMinor?: number; facts?: { paidMinor?: number } };
    const currency = context.currency;
    const expected: Expected[] = [];
    const add = (kind: LedgerKind, amountMinor: number) => {
      if (amountMinor > 0) expected.push({ kind, amountMinor, currency });
    };
    if (row.machine_id === 'call' && row.event_type === 'PUBLISH' && row.from_state === 'draft') {
      add('budgeted', context.budgetMinor);
    } else if (row.machine_id === 'application') {
      const held = award.get(row.instance_id) ?? 0;
      if (row.to_state === 'awarded' && row.from_state !== 'awarded') {
        award.set(row.instance_id, Number(payload.amountMinor ?? 0));
        add('committed', Number(payload.amountMinor ?? 0));
      } else if (row.from_state === 'awarded' && ['declined', 'withdrawn'].includes(row.to_state)) {
        add('released', held);
      } else if (row.event_type === 'TERMINATE' || row.event_type === 'CLOSE') {
        add('released', held - Number(payload.facts?.paidMinor ?? paidOf.get(row.instance_id) ?? 0));
      }
    } else if (row.machine_id === 'disbursement') {
      if (row.event_type === 'RECORD_PAYMENT') {
        lastPayment.set(row.instance_id, Number(payload.amountMinor ?? 0));
        add('disbursed', Number(payload.amountMinor ?? 0));
      } else if (row.event_type === 'RETURN') {
        add('returned', lastPayment.get(row.instance_id) ?? context.amountMinor);
      }
    }
    const key = `${row.instance_id}:${row.seq}`;
    seen.add(key);
    const found = held.get(key) ?? [];
    const same =
      found.length === expected.length &&
      expected.every(
        (e, i) =>
          found[i].kind === e.kind &&
          found[i].amountMinor === e.amountMinor &&
          found[i].currency === e.currency &&
          found[i].root === row.root_id,
      );
    if (!same) {
      const elsewhere = found.some((f) => f.root !== row.root_id) ? ' (a row is filed under another call)' : '';
      differences.push({
        subject: `${SUBJECT[row.machine_id]} ${row.subject_id}`,
        seq: row.seq,
        event: row.event_type,
        problem: `the transition moves ${listed(expected)}; the ledger holds ${listed(found)}${elsewhere}`,
        at: new Date(row.at).toISOString(),
      });
    }
  }
  // Rows no money-moving transition accounts for.
  for (const r of ledger) {
    if (seen.has(`${r.instance_id}:${r.seq}`)) continue;
    seen.add(`${r.instance_id}:${r.seq}`);
    differences.push({
      subject: `instance ${r.instance_id}`,
      seq: r.seq,
      event: null,
      problem: `the ledger holds ${listed(held.get(`${r.instance_id}:${r.seq}`) ?? [])}, for a transition that moves no money`,
      at: new Date(r.at).toISOString(),
    });
  }

  // Each tranche against the ledger: paid ones hold their amount, every other one nothing.
  const tranches = await db(em)
    .selectFrom('workflow_instance as i')
    .leftJoin('ledger_entry as l', 'l.instance_id', 'i.id')
    .select((eb) => [
      'i.subject_id',
      'i.state',
      'i.snapshot',
      'i.updated_at',
      eb.fn
        .coalesce(
          eb.fn.sum<number | string>(
            sql`case l.kind when 'disbursed' then l.amount_minor when 'returned' then -l.amount_minor else 0 end`,
          ),
          sql.lit(0),
        )
        .as('paid'),
    ])
    .where('i.machine_id', '=', sql.lit('disbursement' satisfies WorkflowId))
    .groupBy(['i.id', 'i.subject_id', 'i.state', 'i.snapshot', 'i.updated_at'])
    .execute();
  for (const t of tranches) {
    const { amountMinor, currency } = (t.snapshot as Snapshot).context;
    const expected = t.state === 'paid' ? amountMinor : 0;
    if (Number(t.paid) !== expected) {
      differences.push({
        subject: `tranche ${t.subject_id}`,
        seq: null,
        event: null,
        problem: `the tranche is ${t.state} and so was paid ${formatAmount(expected, currency)} ${currency}; the ledger says ${formatAmount(Number(t.paid), currency)}`,
        at: new Date(t.updated_at).toISOString(),
      });
    }
  }

  differences.sort((a, b) => a.at.localeCompare(b.at));
  return { rows: ledger.length, transitions: moving.length, tranches: tranches.length, differences };
}
