import { initialTransition } from 'xstate';
import {
  disbursementMachine,
  disbursementWorkflow,
  waitingFor,
  type DisbursementContext,
  type DisbursementEvent,
} from './disbursement.machine';
import type { ReportKind } from './report.machine';
import { DISBURSEMENT_INPUT, DISBURSEMENT_SAMPLES } from './fixtures';
import type { Actor } from './kit';
import { Fixture, PEOPLE, by, notifyEffect, type GuardCase, type Table } from './testing';
import { itHonoursItsTableAndGuards } from './contract.spec-helper';
import { REAPPROVAL_STATES } from './bank-details';

const INPUT = DISBURSEMENT_INPUT;

const BASE: DisbursementContext = {
  ...INPUT,
  release: 'on_acceptance',
  requestedBy: null,
  approvedBy: [],
  reason: null,
  paymentReference: null,
  paidOn: null,
};

const { manager, manager2, finance, finance2 } = PEOPLE;
const requested = { requestedBy: manager.id };

const f = new Fixture<DisbursementContext, DisbursementEvent>(disbursementMachine, BASE, {
  requested,
  partly_approved: { ...requested, amountMinor: 250_000, approvedBy: [finance.id] },
  approved: { ...requested, approvedBy: [finance.id] },
  rejected: { ...requested, reason: 'Bank details missing' },
  payment_failed: { ...requested, approvedBy: [finance.id], reason: 'Account closed' },
  paid: { ...requested, approvedBy: [finance.id], paymentReference: 'KICB-0412', paidOn: '2020-03-02' },
  returned: { ...requested, approvedBy: [finance.id], reason: 'The account was closed' },
});

const SAMPLES = DISBURSEMENT_SAMPLES;

const TABLE: Table<DisbursementEvent> = {
  scheduled: { REQUEST: 'requested', CANCEL: 'cancelled' },
  requested: { APPROVE: 'approved', REJECT: 'rejected', CANCEL: 'cancelled' },
  partly_approved: {
    APPROVE: 'approved',
    REJECT: 'rejected',
    CANCEL: 'cancelled',
    BANK_DETAILS_CHANGED: 'requested',
  },
  approved: {
    RECORD_PAYMENT: 'paid',
    PAYMENT_FAILED: 'payment_failed',
    CANCEL: 'cancelled',
    BANK_DETAILS_CHANGED: 'requested',
  },
  rejected: { AMEND_AND_REQUEST: 'requested', CANCEL: 'cancelled' },
  payment_failed: { RECORD_PAYMENT: 'paid', CANCEL: 'cancelled', BANK_DETAILS_CHANGED: 'requested' },
  paid: { RETURN: 'returned' },
  returned: { RECORD_PAYMENT: 'paid', CANCEL: 'cancelled', BANK_DETAILS_CHANGED: 'requested' },
  cancelled: {},
};

const request = (acceptedReports: ReportKind[], awardLeftMinor: number): DisbursementEvent => ({
  type: 'REQUEST',
  facts: { acceptedReports, awardLeftMinor },
  ...by(manager),
});
const amend = (amountMinor: number): DisbursementEvent => ({
  type: 'AMEND_AND_REQUEST',
  amountMinor,
  facts: { awardLeftMinor: 240_000 },
  ...by(manager2),
});
const approveBy = (actor: Actor): DisbursementEvent => ({ type: 'APPROVE', ...by(actor) });
// A manager who also holds a finance login is still the requester.
const requesterAsFinance: Actor = { id: manager.id, role: 'finance' };
const pay = (reference: string, paidOn: string, at?: string, amountMinor = 120_000): DisbursementEvent => ({
  type: 'RECORD_PAYMENT',
  amountMinor,
  reference,
  paidOn,
  ...by(finance, at),
});
const atThreshold = { grantAmountMinor: 200_000 };
// A grant at the threshold paid in small tranches: each still needs two officers.
const smallTrancheOfLargeGrant = { amountMinor: 70_000, grantAmountMinor: 200_000 };
const afterInterim = { release: 'interim_report_accepted' } as const;
const afterFinal = { release: 'final_report_accepted' } as const;

const GUARD_CASES: GuardCase<DisbursementContext, DisbursementEvent>[] = [
  {
    guard: 'trancheRequestable',
    state: 'scheduled',
    event: SAMPLES.REQUEST,
    to: 'requested',
    effects: [notifyEffect('disbursement.approval_requested')],
  },
  {
    guard: 'trancheRequestable',
    state: 'scheduled',
    context: afterInterim,
    event: request([], 240_000),
    refused: ['trancheConditionMet'],
  },
  {
    guard: 'trancheRequestable',
    state: 'scheduled',
    context: afterInterim,
    event: request(['interim'], 240_000),
    to: 'requested',
    effects: [notifyEffect('disbursement.approval_requested')],
  },
  {
    guard: 'trancheRequestable',
    state: 'scheduled',
    context: afterFinal,
    event: request(['interim'], 240_000),
    refused: ['trancheConditionMet'],
  },
  {
    guard: 'trancheRequestable',
    state: 'scheduled',
    context: afterFinal,
    event: request(['interim', 'final'], 240_000),
    to: 'requested',
    effects: [notifyEffect('disbursement.approval_requested')],
  },
  { guard: 'trancheRequestable', state: 'scheduled', event: request([], 119_999), refused: ['withinRemainingAward'] },
  {
    guard: 'trancheRequestable',
    state: 'scheduled',
    context: afterInterim,
    event: request([], 0),
    refused: ['trancheConditionMet', 'withinRemainingAward'],
  },
  {
    guard: 'withinRemainingAward',
    state: 'rejected',
    event: amend(100_000),
    to: 'requested',
    effects: [notifyEffect('disbursement.approval_requested')],
  },
  { guard: 'withinRemainingAward', state: 'rejected', event: amend(240_001), refused: ['withinRemainingAward'] },
  { guard: 'withinRemainingAward', state: 'rejected', event: amend(0), refused: ['withinRemainingAward'] },
  {
    guard: 'approvalBelowThreshold',
    state: 'requested',
    event: approveBy(finance),
    to: 'approved',
    effects: [],
  },
  {
    guard: 'approvalBelowThreshold',
    state: 'requested',
    event: approveBy(requesterAsFinance),
    refused: ['approverIsNotRequester'],
  },
  {
    guard: 'firstOfTwoApprovals',
    state: 'requested',
    context: atThreshold,
    event: approveBy(finance),
    to: 'partly_approved',
    effects: [notifyEffect('disbursement.second_approval_requested')],
  },
  {
    guard: 'firstOfTwoApprovals',
    state: 'requested',
    context: smallTrancheOfLargeGrant,
    event: approveBy(finance),
    to: 'partly_approved',
    effects: [notifyEffect('disbursement.second_approval_requested')],
  },
  {
    guard: 'firstOfTwoApprovals',
    state: 'requested',
    context: atThreshold,
    event: approveBy(requesterAsFinance),
    refused: ['approverIsNotRequester'],
  },
  {
    guard: 'secondApproval',
    state: 'partly_approved',
    event: approveBy(finance2),
    to: 'approved',
    effects: [],
  },
  {
    guard: 'secondApproval',
    state: 'partly_approved',
    event: approveBy(finance),
    refused: ['approverIsNotFirstApprover'],
  },
  {
    guard: 'secondApproval',
    state: 'partly_approved',
    event: approveBy(requesterAsFinance),
    refused: ['approverIsNotRequester'],
  },
  {
    guard: 'paymentRecordable',
    state: 'approved',
    event: SAMPLES.RECORD_PAYMENT,
    to: 'paid',
    effects: [notifyEffect('disbursement.paid')],
  },
  // 20:00 UTC is already the next morning in Bishkek.
  {
    guard: 'paymentRecordable',
    state: 'payment_failed',
    event: pay('KICB-0413', '2020-03-03', '2020-03-02T20:00:00.000Z'),
    to: 'paid',
  },
  { guard: 'paymentRecordable', state: 'approved', event: pay(' ', '2020-03-02'), refused: ['paymentReferenceGiven'] },
  // The whole tranche or nothing: a part payment is not recorded.
  {
    guard: 'paymentRecordable',
    state: 'approved',
    event: pay('KICB-0412', '2020-03-02', undefined, 100_000),
    refused: ['paymentIsTheTranche'],
  },
  // A payment the bank sent back is made again, on the same approvals.
  {
    guard: 'paymentRecordable',
    state: 'returned',
    event: pay('KICB-0414', '2020-03-02'),
    to: 'paid',
    effects: [notifyEffect('disbursement.paid')],
  },
  {
    guard: 'paymentRecordable',
    state: 'approved',
    event: pay('KICB-0412', '2020-02-30'),
    refused: ['paidOnValidDate'],
  },
  {
    guard: 'paymentRecordable',
    state: 'approved',
    event: pay('KICB-0412', '2020-03-04'),
    refused: ['paidOnValidDate'],
  },
  {
    guard: 'paymentRecordable',
    state: 'approved',
    event: pay('', '02.03.2020'),
    refused: ['paymentReferenceGiven', 'paidOnValidDate'],
  },
  // A payment never goes out on fewer approvals than its amount needs, whatever state the tranche reached.
  {
    guard: 'paymentRecordable',
    state: 'approved',
    context: { approvedBy: [] },
    event: SAMPLES.RECORD_PAYMENT,
    refused: ['approvalsComplete'],
  },
  {
    guard: 'paymentRecordable',
    state: 'approved',
    context: atThreshold,
    event: SAMPLES.RECORD_PAYMENT,
    refused: ['approvalsComplete'],
  },
  {
    guard: 'paymentRecordable',
    state: 'approved',
    context: { ...atThreshold, approvedBy: [finance.id, finance2.id] },
    event: SAMPLES.RECORD_PAYMENT,
    to: 'paid',
  },
  {
    guard: 'reasonGiven',
    state: 'requested',
    event: SAMPLES.REJECT,
    to: 'rejected',
    effects: [notifyEffect('disbursement.rejected')],
  },
  {
    guard: 'reasonGiven',
    state: 'partly_approved',
    event: { type: 'REJECT', reason: '', ...by(finance2) },
    refused: ['reasonGiven'],
  },
  {
    guard: 'reasonGiven',
    state: 'approved',
    event: SAMPLES.PAYMENT_FAILED,
    to: 'payment_failed',
    effects: [],
  },
  {
    guard: 'reasonGiven',
    state: 'approved',
    event: { type: 'PAYMENT_FAILED', reason: ' ', ...by(finance) },
    refused: ['reasonGiven'],
  },
  { guard: 'reasonGiven', state: 'paid', event: SAMPLES.RETURN, to: 'returned', effects: [] },
  {
    guard: 'reasonGiven',
    state: 'paid',
    event: { type: 'RETURN', reason: '', ...by(finance) },
    refused: ['reasonGiven'],
  },
  { guard: 'reasonGiven', state: 'payment_failed', event: SAMPLES.CANCEL, to: 'cancelled', effects: [] },
  {
    guard: 'reasonGiven',
    state: 'scheduled',
    event: { type: 'CANCEL', reason: '', ...by(manager) },
    refused: ['reasonGiven'],
  },
];

describe('disbursement machine', () => {
  it('starts scheduled, released on acceptance unless the input names a report', () => {
    const [snapshot, actions] = initialTransition(disbursementMachine, INPUT);
    expect(snapshot.value).toBe('scheduled');
    expect(snapshot.context).toEqual(BASE);
    const release = 'interim_report_accepted' as const;
    expect(initialTransition(disbursementMachine, { ...INPUT, release })[0].context.release).toBe(release);
    expect(actions).toEqual([]);
  });

  it('brings a version 1 snapshot up: its fixed flag becomes a release condition, the grant the tranche', () => {
    const migrate = disbursementWorkflow.migrations[1];
    const v1 = (conditionMet: boolean) => ({
      value: 'scheduled',
      context: { ...INPUT, grantAmountMinor: undefined, conditionMet },
    });
    expect(migrate(v1(true)).context).toMatchObject({ release: 'on_acceptance', grantAmountMinor: 120_000 });
    expect(migrate(v1(false)).context).toMatchObject({ release: 'interim_report_accepted' });
    expect(migrate(v1(false)).context).not.toHaveProperty('conditionMet');
  });

  itHonoursItsTableAndGuards(f, SAMPLES, TABLE, GUARD_CASES);

  it('needs two different officers at the threshold, neither the requester', () => {
    const first = f.send(f.at('requested', atThreshold), approveBy(finance)).snapshot;
    expect(first.value).toBe('partly_approved');
    expect(f.send(first, approveBy(finance)).changed).toBe(false);
    const second = f.send(first, approveBy(finance2)).snapshot;
    expect(second.value).toBe('approved');
    expect(second.context.approvedBy).toEqual([finance.id, finance2.id]);
  });

  it('sends a tranche approved against the old bank details back for approval, its requester kept', () => {
    for (const state of REAPPROVAL_STATES) {
      const { snapshot } = f.send(f.at(state), SAMPLES.BANK_DETAILS_CHANGED);
      expect({ state, to: snapshot.value }).toEqual({ state, to: 'requested' });
      expect(snapshot.context).toMatchObject({
        requestedBy: manager.id,
        approvedBy: [],
        reason: 'The group opened an account at another bank',
      });
    }
    // the requester still may not approve it
    const again = f.send(f.at('approved'), SAMPLES.BANK_DETAILS_CHANGED).snapshot;
    expect(f.send(again, approveBy(requesterAsFinance)).changed).toBe(false);
    expect(f.send(again, approveBy(finance)).snapshot.value).toBe('approved');
  });

  it('an amended request starts approvals again under its new requester', () => {
    const { snapshot } = f.send(f.at('rejected', { approvedBy: [finance.id] }), amend(100_000));
    expect(snapshot.context).toMatchObject({
      amountMinor: 100_000,
      requestedBy: manager2.id,
      approvedBy: [],
      reason: null,
    });
  });

  it('records the payment, and keeps a paid tranche open only to a return by the bank', () => {
    const { snapshot } = f.send(f.at('approved'), SAMPLES.RECORD_PAYMENT);
    expect(snapshot.context).toMatchObject({ paymentReference: 'KICB-2020-0412', paidOn: '2020-03-02' });
    expect(snapshot.value).toBe('paid');
    const returned = f.send(snapshot, SAMPLES.RETURN).snapshot;
    expect(returned.value).toBe('returned');
    expect(returned.context.reason).toBe('The account was closed');
    const again = f.send(returned, { ...SAMPLES.RECORD_PAYMENT, reference: 'KICB-2020-0450' }).snapshot;
    expect(again.context).toMatchObject({ paymentReference: 'KICB-2020-0450', approvedBy: [finance.id] });
  });
});

describe('what a tranche waits for', () => {
  const context = { ...initialTransition(disbursementMachine, DISBURSEMENT_INPUT)[0].context };
  const interim = { ...context, release: 'interim_report_accepted' as const };
  const final = { ...context, release: 'final_report_accepted' as const };

  it('waits for the report its condition names, then for the manager’s request', () => {
    expect(waitingFor('scheduled', interim, [])).toBe('interim_report');
    expect(waitingFor('scheduled', final, ['interim'])).toBe('final_report');
    expect(waitingFor('scheduled', interim, ['interim'])).toBe('request');
    expect(waitingFor('rejected', context, [])).toBe('request');
  });

  it('waits for each approval, then the payment, and for nothing once paid or cancelled', () => {
    expect(waitingFor('requested', context, [])).toBe('approval');
    expect(waitingFor('partly_approved', context, [])).toBe('second_approval');
    for (const state of ['approved', 'payment_failed', 'returned'] as const)
      expect(waitingFor(state, context, [])).toBe('payment');
    for (const state of ['paid', 'cancelled'] as const) expect(waitingFor(state, context, [])).toBeNull();
  });
});
