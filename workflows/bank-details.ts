import type { DisbursementState } from './disbursement.machine';

/**
 * Tranches approved, in part or in full, against the group's bank account and not paid into it
 * (approved, waiting for a second approval, failed, or sent back by the bank): new bank details
 * send each back to `requested`, to be approved again against the new account.
 */
export const REAPPROVAL_STATES = [
  'partly_approved',
  'approved',
  'payment_failed',
  'returned',
] as const satisfies readonly DisbursementState[];
