import { callBalance, grantBalance, ledgerEntriesFor, totalsOf, type LedgerEntry, type Movement } from './ledger';
import { APPLICATION_INPUT, CALL_INPUT, DISBURSEMENT_INPUT } from './fixtures';

const call = { ...CALL_INPUT, awardedTotalMinor: 0 };
const application = { ...APPLICATION_INPUT, awardedMinor: 200_000 };
const tranche = { ...DISBURSEMENT_INPUT };

const move = (event: Movement['event'], from: string | null, to: string, context: unknown): Movement => ({
  event,
  from,
  to,
  before: context,
  after: context,
});

describe('which transition moves which money', () => {
  it('sets a call’s budget aside when it is published, once', () => {
    expect(ledgerEntriesFor('call', move({ type: 'PUBLISH' }, 'draft', 'open', call))).toEqual([
      { kind: 'budgeted', amountMinor: CALL_INPUT.budgetMinor, currency: CALL_INPUT.currency },
    ]);
    expect(ledgerEntriesFor('call', move({ type: 'CLOSE' }, 'open', 'closed', call))).toEqual([]);
  });

  it('commits an award, and frees it whole when the group declines or withdraws', () => {
    const committed = ledgerEntriesFor('application', move({ type: 'AWARD' }, 'reviewed', 'awarded', application));
    expect(committed).toEqual([{ kind: 'committed', amountMinor: 200_000, currency: APPLICATION_INPUT.currency }]);
    for (const [event, to] of [
      ['DECLINE_AWARD', 'declined'],
      ['WITHDRAW', 'withdrawn'],
    ])
      expect(ledgerEntriesFor('application', move({ type: event }, 'awarded', to, application))).toEqual([
        { kind: 'released', amountMinor: 200_000, currency: APPLICATION_INPUT.currency },
      ]);
    // Withdrawing before any award frees nothing.
    expect(ledgerEntriesFor('application', move({ type: 'WITHDRAW' }, 'eligible', 'withdrawn', application))).toEqual(
      [],
    );
  });

  it('frees what a grant ended early or closed was not paid, and nothing when it was paid in full', () => {
    const ended = move({ type: 'TERMINATE', facts: { paidMinor: 140_000 } }, 'active', 'terminated', application);
    expect(ledgerEntriesFor('application', ended)).toEqual([
      { kind: 'released', amountMinor: 60_000, currency: APPLICATION_INPUT.currency },
    ]);
    const closed = move({ type: 'CLOSE', facts: { paidMinor: 200_000 } }, 'reporting', 'closed', application);
    expect(ledgerEntriesFor('application', closed)).toEqual([]);
  });

  it('records a payment and a payment the bank returned, at the tranche’s amount', () => {
    const paid = ledgerEntriesFor('disbursement', move({ type: 'RECORD_PAYMENT' }, 'approved', 'paid', tranche));
    const returned = ledgerEntriesFor('disbursement', move({ type: 'RETURN' }, 'paid', 'returned', tranche));
    expect([...paid, ...returned]).toEqual([
      { kind: 'disbursed', amountMinor: tranche.amountMinor, currency: tranche.currency },
      { kind: 'returned', amountMinor: tranche.amountMinor, currency: tranche.currency },
    ]);
    expect(ledgerEntriesFor('disbursement', move({ type: 'APPROVE' }, 'requested', 'approved', tranche))).toEqual([]);
    expect(ledgerEntriesFor('review', move({ type: 'SUBMIT' }, 'draft', 'submitted', {}))).toEqual([]);
  });
});

describe('balances', () => {
  const rows: LedgerEntry[] = [
    { kind: 'budgeted', amountMinor: 1_250_000, currency: 'EUR' },
    { kind: 'committed', amountMinor: 250_000, currency: 'EUR' },
    { kind: 'committed', amountMinor: 200_000, currency: 'EUR' },
    { kind: 'released', amountMinor: 200_000, currency: 'EUR' },
    { kind: 'disbursed', amountMinor: 175_000, currency: 'EUR' },
    { kind: 'returned', amountMinor: 175_000, currency: 'EUR' },
    { kind: 'disbursed', amountMinor: 175_000, currency: 'EUR' },
  ];

  it('gives a call its budget, what awards hold, what was paid and what is left', () => {
    expect(callBalance(totalsOf(rows))).toEqual({
      budgetMinor: 1_250_000,
      committedMinor: 250_000,
      disbursedMinor: 175_000,
      refundedMinor: 0,
      availableMinor: 1_000_000,
    });
  });

  it('gives a grant its award, what it was paid and what it is still owed', () => {
    expect(grantBalance(totalsOf(rows.slice(1)))).toEqual({
      awardedMinor: 250_000,
      paidMinor: 175_000,
      outstandingMinor: 75_000,
      refundedMinor: 0,
    });
  });
});
