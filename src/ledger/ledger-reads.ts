import type { EntityManager } from '@mikro-orm/core';
import { sql } from 'kysely';
import { callBalance, grantBalance, totalsOf, type LedgerKind } from '../../workflows/ledger';
import type { WorkflowId } from '../../workflows';
import { inLocale } from '../../workflows/localised';
import { DomainError } from '../common/domain-error';
import { db } from '../common/kysely';
import { formatAmount } from '../common/money';
import { toCsv } from '../common/csv';
import type { CallLedgerView, GrantBalanceView, LedgerBalanceView, ProgrammeLedgerView } from './ledger.views';

// What the ledger shows: a call's balances and rows, a programme's balances per call and per
// currency, and a programme's rows as CSV. Every figure is a sum of ledger rows; nothing is stored twice.

/** The ledger's rows with the grant and tranche they belong to, where there is one. */
function entryRows(em: EntityManager) {
  return db(em)
    .selectFrom('ledger_entry as l')
    .innerJoin('workflow_instance as i', 'i.id', 'l.instance_id')
    .leftJoin('workflow_instance as p', 'p.id', 'i.parent_id')
    .leftJoin('application as a', (join) =>
      join.onRef(
        'a.id',
        '=',
        sql<string>`(case i.machine_id when ${sql.lit('application' satisfies WorkflowId)} then i.subject_id
                                  when ${sql.lit('disbursement' satisfies WorkflowId)} then p.subject_id end)::uuid`,
      ),
    )
    .leftJoin('tranche as t', (join) =>
      join
        .on('i.machine_id', '=', sql.lit('disbursement' satisfies WorkflowId))
        .onRef('t.id', '=', sql<string>`i.subject_id::uuid`),
    );
}

/** The ledger's rows with what they belong to: the call, and the grant and tranche where there is one. */
function ledgerRows(em: EntityManager) {
  return entryRows(em)
    .innerJoin('workflow_instance as root', 'root.id', 'l.root_instance_id')
    .innerJoin('call as c', (join) =>
      join.on('root.subject_type', '=', sql.lit('call')).onRef('c.id', '=', sql<string>`root.subject_id::uuid`),
    );
}

const balanceView = (minor: ReturnType<typeof callBalance>, currency: string): LedgerBalanceView => ({
  currency,
  budget: formatAmount(minor.budgetMinor, currency),
  committed: formatAmount(minor.committedMinor, currency),
  disbursed: formatAmount(minor.disbursedMinor, currency),
  refunded: formatAmount(minor.refundedMinor, currency),
  available: formatAmount(minor.availableMinor, currency),
});

/** A call's balance, each grant's, and every row, oldest first. */
export async function callLedger(em: EntityManager, callId: string): Promise<CallLedgerView> {
  const call = await db(em).selectFrom('call').select(['id', 'currency']).where('id', '=', callId).executeTakeFirst();
  if (!call) throw DomainError.notFound('call', callId);
  const rows = await ledgerRows(em)
    .select([
      'l.kind',
      'l.amount_minor',
      'l.currency',
      'l.at',
      'l.seq',
      'a.id as application_id',
      'a.reference',
      'a.title',
      't.id as tranche_id',
      't.position',
    ])
    .where('c.id', '=', callId)
    .orderBy('l.at')
    .orderBy('l.instance_id')
    .orderBy('l.seq')
    .execute();
  const entries = rows.map((r) => ({ ...r, kind: r.kind, amountMinor: Number(r.amount_minor) }));
  const byGrant = new Map<string, typeof entries>();
  for (const e of entries) {
    if (!e.application_id) continue;
    byGrant.set(e.application_id, [...(byGrant.get(e.application_id) ?? []), e]);
  }
  const grants: GrantBalanceView[] = [...byGrant.entries()]
    .map(([applicationId, own]) => {
      const b = grantBalance(totalsOf(own));
      return {
        applicationId,
        reference: own[0].reference as string,
        project: own[0].title as string,
        awarded: formatAmount(b.awardedMinor, call.currency),
        paid: formatAmount(b.paidMinor, call.currency),
        outstanding: formatAmount(b.outstandingMinor, call.currency),
        refunded: formatAmount(b.refundedMinor, call.currency),
      };
    })
    .sort((x, y) => x.reference.localeCompare(y.reference));
  return {
    callId,
    balance: balanceView(callBalance(totalsOf(entries)), call.currency),
    grants,
    entries: entries.map((e) => ({
      at: new Date(e.at).toISOString(),
      kind: e.kind,
      amount: formatAmount(e.amountMinor, e.currency),
      currency: e.currency,
      applicationId: e.application_id ?? null,
      reference: e.reference ?? null,
      trancheId: e.tranche_id ?? null,
    })),
  };
}

/** Each call's balance in the programme, and the totals of each currency: amounts of two currencies never add up. */
export async function programmeLedger(em: EntityManager, programmeId: string): Promise<ProgrammeLedgerView> {
  const rows = await ledgerRows(em)
    .select((eb) => [
      'c.id',
      'c.title',
      'l.currency',
      'l.kind',
      eb.fn.sum<number | string>('l.amount_minor').as('total'),
    ])
    .where('c.programme_id', '=', programmeId)
    .groupBy(['c.id', 'c.title', 'l.currency', 'l.kind'])
    .execute();
  const sums = (filter: (r: (typeof rows)[number]) => boolean) =>
    totalsOf(rows.filter(filter).map((r) => ({ kind: r.kind as LedgerKind, amountMinor: Number(r.total) })));
  const calls = [...new Map(rows.map((r) => [r.id, r])).values()]
    .map((r) => ({
      callId: r.id,
      title: inLocale(r.title, 'en'),
      ...balanceView(callBalance(sums((x) => x.id === r.id)), r.currency),
    }))
    .sort((x, y) => x.currency.localeCompare(y.currency) || x.title.localeCompare(y.title));
  const currencies = [...new Set(rows.map((r) => r.currency))]
    .sort()
    .map((currency) => balanceView(callBalance(sums((x) => x.currency === currency)), currency));
  return { programmeId, currencies, calls };
}

const LEDGER_COLUMNS = [
  'at',
  'kind',
  'amount',
  'currency',
  'call',
  'reference',
  'project',
  'tranche',
  'event',
  'transition',
] as const;

/**
 * Every row of the programme's ledger as CSV, oldest first: what moved, how much, for which call,
 * grant and tranche, and the transition that moved it (its event and its place in the record's log).
 * Applicant text passes through toCsv, which neutralises what a spreadsheet would run.
 */
export async function programmeLedgerCsv(em: EntityManager, programmeId: string): Promise<string> {
  // The calls' instances first, then their rows by root: joined to the calls, the planner expects
  // a row or two where there are thousands, and looks each one up on its own.
  const calls = await db(em)
    .selectFrom('call as c')
    .innerJoin('workflow_instance as root', (join) =>
      join.on('root.subject_type', '=', sql.lit('call')).onRef('root.subject_id', '=', 'c.id'),
    )
    .select(['root.id', 'c.title'])
    .where('c.programme_id', '=', programmeId)
    .execute();
  if (!calls.length) return toCsv(LEDGER_COLUMNS, []);
  const titles = new Map(calls.map((c) => [c.id, inLocale(c.title, 'en')]));
  const rows = await entryRows(em)
    .innerJoin('transition_log as log', (join) =>
      join.onRef('log.instance_id', '=', 'l.instance_id').onRef('log.seq', '=', 'l.seq'),
    )
    .select([
      'l.at',
      'l.kind',
      'l.amount_minor',
      'l.currency',
      'l.root_instance_id',
      'a.reference',
      'a.title',
      't.position',
      'log.event_type',
      'l.seq',
    ])
    .where('l.root_instance_id', 'in', [...titles.keys()])
    .orderBy('l.at')
    .orderBy('l.instance_id')
    .orderBy('l.seq')
    .execute();
  return toCsv(
    LEDGER_COLUMNS,
    rows.map((r) => [
      new Date(r.at).toISOString(),
      r.kind,
      formatAmount(Number(r.amount_minor), r.currency),
      r.currency,
      titles.get(r.root_instance_id) ?? null,
      r.reference ?? null,
      r.title ?? null,
      r.position ?? null,
      r.event_type,
      r.seq,
    ]),
  );
}
