import { agreementBlocks } from '../../applications/agreement-pdf';
import { validateAs } from '../../common/validation';
import { formErrors } from '../form-errors';
import {
  BankDetailsForm,
  agreementParts,
  bankDetailsBody,
  grantRunning,
  maskedAccount,
  shortChecksum,
  takesBankDetails,
} from './award-forms';

const problemsOf = (body: object) => validateAs(BankDetailsForm, body).then(() => [], formErrors);

describe('the bank details form', () => {
  const filled = { accountHolder: 'Zhazy parents’ committee', bankName: 'KICB', accountNumber: '1280 0160-4441' };

  it('takes an account without BIC or reason', async () => {
    expect(await problemsOf(filled)).toEqual([]);
    expect(await problemsOf({ ...filled, bic: 'KICBKG22', reason: 'A new bank' })).toEqual([]);
  });

  it('names each bad field with the page’s words', async () => {
    expect(await problemsOf({ accountHolder: ' ', bankName: '', accountNumber: 'ж123', bic: 'KICB' })).toEqual([
      { field: 'accountHolder', key: 'web.award.form.holderMissing' },
      { field: 'bankName', key: 'web.award.form.bankMissing' },
      { field: 'accountNumber', key: 'web.award.form.accountInvalid' },
      { field: 'bic', key: 'web.award.form.bicInvalid' },
    ]);
    expect(await problemsOf({ ...filled, accountNumber: '1'.repeat(65), reason: 'x'.repeat(2001) })).toEqual([
      { field: 'accountNumber', key: 'web.award.form.accountTooLong' },
      { field: 'reason', key: 'web.award.form.reasonTooLong' },
    ]);
  });

  it('leaves an empty BIC and reason out of the body', () => {
    expect(bankDetailsBody({ ...filled, bic: '', reason: '' })).toEqual(filled);
    expect(bankDetailsBody({ ...filled, bic: 'KICBKG22', reason: 'Moved' })).toMatchObject({ bic: 'KICBKG22' });
  });

  it('is open from the award while the grant runs, and needs a reason once it runs', () => {
    expect(['awarded', 'active', 'reporting', 'submitted', 'closed'].map(takesBankDetails)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
    expect(['awarded', 'active', 'reporting'].map(grantRunning)).toEqual([false, true, true]);
  });
});

describe('what the award page shows', () => {
  it('hides all of an account number but its last four characters', () => {
    expect(maskedAccount('1280016044410123')).toBe('••••••••••••0123');
    expect(maskedAccount('KG12 3456-7890')).toBe('••••••••7890');
    expect(maskedAccount('123')).toBe('123');
  });

  it('shortens a checksum to 12 hex digits', () => {
    expect(shortChecksum('3f0c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7')).toBe('3f0c1a2b3c4d');
  });

  it('gathers the agreement’s list items into lists and its rows into tables', () => {
    const html =
      '<body><h1>Agreement</h1><p>Text &amp; more</p><ul><li>One</li><li>Two</li></ul>' +
      '<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>' +
      '<h2>Next</h2><ol><li>Three</li></ol></body>';
    expect(agreementParts(agreementBlocks(html))).toEqual([
      { kind: 'h1', text: 'Agreement' },
      { kind: 'p', text: 'Text & more' },
      { kind: 'list', items: ['One', 'Two'] },
      {
        kind: 'table',
        head: ['A', 'B'],
        rows: [
          ['1', '2'],
          ['3', '4'],
        ],
      },
      { kind: 'h2', text: 'Next' },
      { kind: 'list', items: ['Three'] },
    ]);
  });
});
