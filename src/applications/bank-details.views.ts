import { ApiProperty } from '@nestjs/swagger';

/** The account a grant is paid into: for the group and the programme's managers and finance officers only. */
export class BankDetailsView {
  @ApiProperty({ example: 'Zhazy parents’ committee' })
  accountHolder!: string;

  @ApiProperty({ example: 'KICB, Osh branch' })
  bankName!: string;

  @ApiProperty({ example: '1280016044410123' })
  accountNumber!: string;

  @ApiProperty({ type: String, nullable: true, example: 'KICBKG22' })
  bic!: string | null;

  @ApiProperty({ format: 'uuid', description: 'the group member who gave them' })
  enteredBy!: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-20T06:15:00.000Z' })
  enteredAt!: string;
}

/** One time the account was given: who, when, why, and the account's last digits. */
export class BankDetailsChangeView {
  @ApiProperty({ format: 'uuid' })
  enteredBy!: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-20T06:15:00.000Z' })
  enteredAt!: string;

  @ApiProperty({ type: String, nullable: true, example: 'The group opened an account at another bank' })
  reason!: string | null;

  @ApiProperty({ description: 'the last four characters of the account number', example: '0123' })
  accountEnding!: string;
}

export class BankDetailsRecord {
  @ApiProperty({
    type: BankDetailsView,
    nullable: true,
    description: 'the account now; null until the group gives one',
  })
  current!: BankDetailsView | null;

  @ApiProperty({ type: [BankDetailsChangeView], description: 'every time the account was given, oldest first' })
  history!: BankDetailsChangeView[];
}

/** Who accepted the grant's agreement and when, and what they accepted. */
export class AcceptanceView {
  @ApiProperty({ format: 'uuid', description: 'the group member who accepted the grant' })
  acceptedBy!: string;

  @ApiProperty({ format: 'date-time', example: '2027-01-21T08:00:00.000Z' })
  acceptedAt!: string;

  @ApiProperty({
    type: 'object',
    properties: { ky: { type: 'string' }, ru: { type: 'string' }, en: { type: 'string' } },
    description:
      'hex SHA-256 of the agreement’s HTML in each language, exactly as GET /applications/{id}/agreement?lang= serves it',
    example: { ky: '3f0c…', ru: '9a41…', en: 'c7d2…' },
  })
  agreementSha256!: Record<'ky' | 'ru' | 'en', string>;
}
