import { actionForm, actionOf, refusedField } from './finance-forms';

describe('the finance officer’s forms', () => {
  it('knows only its own actions', () => {
    expect(actionOf('approve')).toBe('approve');
    expect(actionOf('returned')).toBe('returned');
    expect(actionOf('cancel')).toBeNull();
    expect(actionOf(undefined)).toBeNull();
  });

  it('sends an approval with no field, and a reason trimmed, refusing a blank or long one', () => {
    expect(actionForm('approve', {})).toEqual({ values: {}, errors: [], event: { type: 'APPROVE' } });
    expect(actionForm('reject', { reason: '  Wrong account  ' }).event).toEqual({
      type: 'REJECT',
      reason: 'Wrong account',
    });
    expect(actionForm('failed', { reason: ' ' }).errors).toEqual([
      { field: 'reason', key: 'web.finance.failed.reasonMissing' },
    ]);
    expect(actionForm('returned', { reason: 'x'.repeat(2001) }).errors).toEqual([
      { field: 'reason', key: 'web.finance.reasonTooLong' },
    ]);
    expect(actionForm('reject', { reason: ['a'] }).event).toBeNull();
  });

  it('reads a payment’s amount, value date and reference, naming each field it cannot read', () => {
    const paid = actionForm('payment', {
      amount: '1750,00',
      'paidOn-day': '1',
      'paidOn-month': '2',
      'paidOn-year': '2027',
      reference: ' KICB-2027-000418 ',
    });
    expect(paid.event).toEqual({
      type: 'RECORD_PAYMENT',
      amount: '1750.00',
      paidOn: '2027-02-01',
      reference: 'KICB-2027-000418',
    });
    const wrong = actionForm('payment', {
      amount: '1 750',
      'paidOn-day': '31',
      'paidOn-month': '2',
      'paidOn-year': '2027',
    });
    expect(wrong.errors.map((e) => e.field)).toEqual(['amount', 'paidOn', 'reference']);
    expect(wrong.event).toBeNull();
  });

  it('points a machine’s refusal at the field its condition is about, else at the button', () => {
    expect(refusedField('payment', ['paymentIsTheTranche'])).toBe('amount');
    expect(refusedField('payment', ['paidOnValidDate'])).toBe('paidOn');
    expect(refusedField('reject', ['reasonGiven'])).toBe('reason');
    expect(refusedField('approve', ['approverIsNotFirstApprover'])).toBe('confirm');
    expect(refusedField('approve', undefined)).toBe('confirm');
  });
});
