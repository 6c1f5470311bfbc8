import { dayOf } from '../apply-forms';
import type { FormError } from '../form-errors';

// The finance officer's forms on a tranche: each one event of the disbursement machine, read from
// the posted fields and checked as the page words its problems; the machine then judges the event.

/** What a finance officer may do to a tranche from its page, each behind a page of its own. */
export const TRANCHE_ACTIONS = {
  approve: { event: 'APPROVE', done: 'approved' },
  reject: { event: 'REJECT', done: 'rejected' },
  payment: { event: 'RECORD_PAYMENT', done: 'paid' },
  failed: { event: 'PAYMENT_FAILED', done: 'failed' },
  returned: { event: 'RETURN', done: 'returned' },
} as const;
export type TrancheAction = keyof typeof TRANCHE_ACTIONS;

export const ACTION_NAMES = Object.keys(TRANCHE_ACTIONS) as TrancheAction[];

/** The action named in a page's address, or null for any other word. */
export function actionOf(name: unknown): TrancheAction | null {
  return ACTION_NAMES.find((a) => a === name) ?? null;
}

/** What the success banner on the tranche page may say, by the `done` flag of the redirect to it. */
export const TRANCHE_DONE = ACTION_NAMES.map((a) => TRANCHE_ACTIONS[a].done);

const PAYMENT_FIELDS = ['amount', 'paidOn-day', 'paidOn-month', 'paidOn-year', 'reference'] as const;
const REASON_MAX = 2000;
const REFERENCE_MAX = 200;

export interface ActionForm {
  values: Record<string, string>;
  errors: FormError[];
  /** The event to send, once the form has no problem. */
  event: ({ type: string } & Record<string, unknown>) | null;
}

const textOf = (body: unknown, name: string): string => {
  const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value.trim() : '';
};

/** The posted form of `action` read as its event, or the problems that keep it from being sent. */
export function actionForm(action: TrancheAction, body: unknown): ActionForm {
  const type = TRANCHE_ACTIONS[action].event;
  if (action === 'approve') return { values: {}, errors: [], event: { type } };
  if (action === 'payment') return paymentForm(body);
  const reason = textOf(body, 'reason');
  const errors: FormError[] = [];
  if (reason === '') errors.push({ field: 'reason', key: `web.finance.${action}.reasonMissing` });
  else if (reason.length > REASON_MAX) errors.push({ field: 'reason', key: 'web.finance.reasonTooLong' });
  return { values: { reason }, errors, event: errors.length ? null : { type, reason } };
}

function paymentForm(body: unknown): ActionForm {
  const values = Object.fromEntries(PAYMENT_FIELDS.map((f) => [f, textOf(body, f)]));
  const errors: FormError[] = [];
  if (!/^\d{1,12}([.,]\d{1,3})?$/.test(values.amount))
    errors.push({ field: 'amount', key: 'web.finance.payment.amountInvalid' });
  const paidOn = dayOf({ day: values['paidOn-day'], month: values['paidOn-month'], year: values['paidOn-year'] });
  if (paidOn === null) errors.push({ field: 'paidOn', key: 'web.finance.payment.dateInvalid' });
  if (values.reference === '') errors.push({ field: 'reference', key: 'web.finance.payment.referenceMissing' });
  else if (values.reference.length > REFERENCE_MAX)
    errors.push({ field: 'reference', key: 'web.finance.payment.referenceTooLong' });
  if (errors.length > 0) return { values, errors, event: null };
  const amount = values.amount.replace(',', '.');
  return { values, errors, event: { type: 'RECORD_PAYMENT', amount, paidOn, reference: values.reference } };
}

/** The field a machine's refusal of the payment is about, by the condition it names. */
const CONDITION_FIELDS: Record<string, string> = {
  paymentIsTheTranche: 'amount',
  paidOnValidDate: 'paidOn',
  paymentReferenceGiven: 'reference',
  reasonGiven: 'reason',
};

/** Where on the action's page a refusal points: the field its first condition is about, else the action. */
export function refusedField(action: TrancheAction, failedConditions: unknown): string {
  const first = Array.isArray(failedConditions) ? (failedConditions[0] as unknown) : undefined;
  const field = typeof first === 'string' ? CONDITION_FIELDS[first] : undefined;
  if (field && (action === 'payment' ? field !== 'reason' : field === 'reason')) return field;
  return 'confirm';
}
