import { IsString, Matches, MaxLength } from 'class-validator';
import type { ApplicationState } from '../../../workflows/application.machine';
import type { Block } from '../../applications/agreement-pdf';
import { Optional } from '../../common/dto';

/**
 * The bank details form as the page words its problems: the same rules as the API's BankDetailsDto
 * (which still validates what is saved), each message a catalogue key.
 */
export class BankDetailsForm {
  @IsString({ message: 'web.award.form.holderMissing' })
  @Matches(/\S/, { message: 'web.award.form.holderMissing' })
  @MaxLength(200, { message: 'web.award.form.tooLong200' })
  accountHolder!: string;

  @IsString({ message: 'web.award.form.bankMissing' })
  @Matches(/\S/, { message: 'web.award.form.bankMissing' })
  @MaxLength(200, { message: 'web.award.form.tooLong200' })
  bankName!: string;

  @IsString({ message: 'web.award.form.accountMissing' })
  @Matches(/\S/, { message: 'web.award.form.accountMissing' })
  @MaxLength(64, { message: 'web.award.form.accountTooLong' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, { message: 'web.award.form.accountInvalid' })
  accountNumber!: string;

  @Optional()
  @IsString({ message: 'web.award.form.bicInvalid' })
  @Matches(/^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$/, { message: 'web.award.form.bicInvalid' })
  bic?: string;

  @Optional()
  @IsString({ message: 'web.award.form.reasonTooLong' })
  @MaxLength(2000, { message: 'web.award.form.reasonTooLong' })
  reason?: string;
}

export const BANK_FIELDS = ['accountHolder', 'bankName', 'accountNumber', 'bic', 'reason'] as const;
export type BankField = (typeof BANK_FIELDS)[number];

/** Where the group may give its account, and the status page links to the award page: from the
 * award until acceptance, and while the grant runs (bank-details.service.ts refuses other states). */
const BANK_STATES: readonly ApplicationState[] = ['awarded', 'active', 'reporting'];
const RUNNING: readonly ApplicationState[] = ['active', 'reporting'];

export const takesBankDetails = (state: string): boolean => BANK_STATES.includes(state as ApplicationState);
/** Once the grant runs, a new account takes a reason, and everyone is told of it. */
export const grantRunning = (state: string): boolean => RUNNING.includes(state as ApplicationState);

/** The form's fields as the DTOs read them: an empty optional field is left out. */
export function bankDetailsBody(values: Record<BankField, string>): Partial<Record<BankField, string>> {
  return Object.fromEntries(
    BANK_FIELDS.flatMap((f) => (values[f] === '' && (f === 'bic' || f === 'reason') ? [] : [[f, values[f]]])),
  );
}

/** An account number with all but its last four letters or digits hidden. */
export function maskedAccount(accountNumber: string): string {
  const plain = accountNumber.replace(/[\s-]/g, '');
  return '•'.repeat(Math.max(plain.length - 4, 0)) + plain.slice(-4);
}

/** A checksum as a person can read it aloud and compare: its first 12 hex digits. */
export const shortChecksum = (sha256: string): string => sha256.slice(0, 12);

/** One part of the agreement as the page shows it: a heading, a paragraph, a list or a table. */
export type AgreementPart =
  | { kind: 'h1' | 'h2' | 'p'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; head: string[]; rows: string[][] };

/**
 * The agreement's blocks (the same the PDF lays out from its HTML) gathered for the page: list
 * items that follow one another into one list, table rows into one table under their header row.
 */
export function agreementParts(blocks: readonly Block[]): AgreementPart[] {
  const parts: AgreementPart[] = [];
  for (const block of blocks) {
    const last = parts.at(-1);
    if (block.kind === 'li') {
      if (last?.kind === 'list') last.items.push(block.text);
      else parts.push({ kind: 'list', items: [block.text] });
    } else if (block.kind === 'row') {
      if (last?.kind === 'table' && !block.header) last.rows.push(block.cells);
      else
        parts.push(
          block.header
            ? { kind: 'table', head: block.cells, rows: [] }
            : { kind: 'table', head: [], rows: [block.cells] },
        );
    } else {
      parts.push({ kind: block.kind, text: block.text });
    }
  }
  return parts;
}

/** The award pages' forms, for PAGE_FORMS (src/web/account.controller.ts). */
export const AWARD_FORMS = [BankDetailsForm];
