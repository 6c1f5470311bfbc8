import { ApiProperty } from '@nestjs/swagger';
import { LEDGER_KINDS, type LedgerKind } from '../../workflows/ledger';

// Amounts are decimals in the currency named beside them, with its minor units.

/** Balances derived from ledger rows of one currency. */
export class LedgerBalanceView {
  @ApiProperty({ description: 'ISO 4217', example: 'EUR' })
  currency!: string;

  @ApiProperty({ description: 'set aside when the call was published', example: '12500.00' })
  budget!: string;

  @ApiProperty({ description: 'awards spoken for and not freed: paid or still to be paid', example: '12500.00' })
  committed!: string;

  @ApiProperty({ description: 'paid to groups, less what the banks sent back', example: '8750.00' })
  disbursed!: string;

  @ApiProperty({ description: 'unspent money groups paid back', example: '0.00' })
  refunded!: string;

  @ApiProperty({ description: 'budget no award speaks for', example: '0.00' })
  available!: string;
}

export class GrantBalanceView {
  @ApiProperty({ format: 'uuid' })
  applicationId!: string;

  @ApiProperty({ example: 'KG-2027-0007' })
  reference!: string;

  @ApiProperty({ description: 'the project’s title, as the group wrote it', example: 'Clean water for Zhazy school' })
  project!: string;

  @ApiProperty({ description: 'the award, less what was freed', example: '2500.00' })
  awarded!: string;

  @ApiProperty({ description: 'paid, less what the bank sent back', example: '1750.00' })
  paid!: string;

  @ApiProperty({ description: 'awarded and not yet paid', example: '750.00' })
  outstanding!: string;

  @ApiProperty({ example: '0.00' })
  refunded!: string;
}

export class LedgerEntryView {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ enum: Object.keys(LEDGER_KINDS), example: 'disbursed' })
  kind!: LedgerKind;

  @ApiProperty({ description: 'always positive: the kind says which way the money moved', example: '1750.00' })
  amount!: string;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'the grant; null for the call’s budget' })
  applicationId!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'KG-2027-0007' })
  reference!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'the tranche paid or returned' })
  trancheId!: string | null;
}

export class CallLedgerView {
  @ApiProperty({ format: 'uuid' })
  callId!: string;

  @ApiProperty({ type: LedgerBalanceView })
  balance!: LedgerBalanceView;

  @ApiProperty({ type: [GrantBalanceView], description: 'every grant with a row in the ledger, by reference' })
  grants!: GrantBalanceView[];

  @ApiProperty({ type: [LedgerEntryView], description: 'oldest first' })
  entries!: LedgerEntryView[];
}

export class CallBalanceView extends LedgerBalanceView {
  @ApiProperty({ format: 'uuid' })
  callId!: string;

  @ApiProperty({
    description: 'the call’s title in English, or the first language it has',
    example: 'Mini-grants 2027',
  })
  title!: string;
}

export class ProgrammeLedgerView {
  @ApiProperty({ format: 'uuid' })
  programmeId!: string;

  @ApiProperty({
    type: [LedgerBalanceView],
    description: 'one per currency: amounts of two currencies are never added',
  })
  currencies!: LedgerBalanceView[];

  @ApiProperty({ type: [CallBalanceView], description: 'by currency, then title' })
  calls!: CallBalanceView[];
}
