import type { ApplicationContext, ApplicationState, CloseFacts, TerminateFacts } from './application.machine';
import type { CallContext } from './call.machine';
import type { DisbursementContext } from './disbursement.machine';

// Which transition moves which money: the one table of it. The engine writes a ledger row for every
// entry a committed transition yields, in the same statement as the transition, and never updates
// or deletes one. Balances are sums of rows, per call or grant, in the call's one currency.

export const LEDGER_KINDS = {
  /** The call's budget, set aside when it is published. */
  budgeted: 'budgeted',
  /** An award, spoken for against the call's budget. */
  committed: 'committed',
  /** A commitment freed: an award declined or withdrawn, or what a grant ended or closed did not pay. */
  released: 'released',
  /** A payment to the group. */
  disbursed: 'disbursed',
  /** A payment the bank sent back. */
  returned: 'returned',
  /** Unspent money the group paid back. */
  refunded: 'refunded',
} as const;
export type LedgerKind = keyof typeof LEDGER_KINDS;

export interface LedgerEntry {
  kind: LedgerKind;
  /** Integer minor units of `currency`, always positive: the kind says which way it moves. */
  amountMinor: number;
  currency: string;
}

/** A committed transition, as the ledger reads it. */
export interface Movement<C = unknown> {
  event: { type: string; facts?: unknown };
  from: string | null;
  to: string;
  before: C;
  after: C;
}

const entry = (kind: LedgerKind, amountMinor: number, currency: string): LedgerEntry[] =>
  amountMinor > 0 ? [{ kind, amountMinor, currency }] : [];

/** States an awarded application leaves for good without its grant: the whole award is freed. */
const AWARD_GIVEN_UP: readonly ApplicationState[] = ['declined', 'withdrawn'];

function callMoves(m: Movement<CallContext>): LedgerEntry[] {
  if (m.event.type === 'PUBLISH' && m.from === 'draft') return entry('budgeted', m.after.budgetMinor, m.after.currency);
  return [];
}

function applicationMoves(m: Movement<ApplicationContext>): LedgerEntry[] {
  const { currency } = m.after;
  const award = m.after.awardedMinor ?? 0;
  if (m.to === 'awarded' && m.from !== 'awarded') return entry('committed', award, currency);
  if (m.from === 'awarded' && AWARD_GIVEN_UP.includes(m.to as ApplicationState))
    return entry('released', award, currency);
  // A grant ended early or closed keeps what it was paid; the rest of the award goes back.
  if (m.event.type === 'TERMINATE' || m.event.type === 'CLOSE') {
    const { paidMinor } = m.event.facts as TerminateFacts | CloseFacts;
    return entry('released', award - paidMinor, currency);
  }
  return [];
}

function trancheMoves(m: Movement<DisbursementContext>): LedgerEntry[] {
  const { amountMinor, currency } = m.after;
  if (m.event.type === 'RECORD_PAYMENT') return entry('disbursed', amountMinor, currency);
  if (m.event.type === 'RETURN') return entry('returned', amountMinor, currency);
  return [];
}

const MOVES: Record<string, (m: Movement<never>) => LedgerEntry[]> = {
  call: callMoves,
  application: applicationMoves,
  disbursement: trancheMoves,
};

/** The money a committed transition of `machine` moves, in the order it is written. */
export function ledgerEntriesFor(machine: string, movement: Movement): LedgerEntry[] {
  const moves = MOVES[machine];
  return moves ? moves(movement as Movement<never>) : [];
}

/** Sums of a set of ledger rows by kind. */
export type LedgerTotals = Record<LedgerKind, number>;

export function totalsOf(rows: readonly Pick<LedgerEntry, 'kind' | 'amountMinor'>[]): LedgerTotals {
  const totals = Object.fromEntries(Object.keys(LEDGER_KINDS).map((k) => [k, 0])) as LedgerTotals;
  for (const row of rows) totals[row.kind] += row.amountMinor;
  return totals;
}

export interface CallBalance {
  budgetMinor: number;
  /** Awards spoken for and not freed: paid or still to be paid. */
  committedMinor: number;
  /** Paid to groups, less what the banks sent back. */
  disbursedMinor: number;
  /** Paid back by groups. */
  refundedMinor: number;
  /** Budget not spoken for by any award. */
  availableMinor: number;
}

export function callBalance(t: LedgerTotals): CallBalance {
  const committedMinor = t.committed - t.released;
  return {
    budgetMinor: t.budgeted,
    committedMinor,
    disbursedMinor: t.disbursed - t.returned,
    refundedMinor: t.refunded,
    availableMinor: t.budgeted - committedMinor,
  };
}

export interface GrantBalance {
  awardedMinor: number;
  paidMinor: number;
  /** Awarded and not yet paid. */
  outstandingMinor: number;
  refundedMinor: number;
}

export function grantBalance(t: LedgerTotals): GrantBalance {
  const awardedMinor = t.committed - t.released;
  const paidMinor = t.disbursed - t.returned;
  return { awardedMinor, paidMinor, outstandingMinor: awardedMinor - paidMinor, refundedMinor: t.refunded };
}
