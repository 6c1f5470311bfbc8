import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { IsText, Optional, type BodyExamples } from '../../common/dto';

/** The account a group's grant is paid into. */
export class BankDetailsDto {
  @ApiProperty({ description: 'whose account it is, as the bank knows them', example: 'Zhazy parents’ committee' })
  @IsText(200)
  accountHolder!: string;

  @ApiProperty({ example: 'KICB, Osh branch' })
  @IsText(200)
  bankName!: string;

  @ApiProperty({ description: 'the account number or IBAN: letters, digits and spaces', example: '1280016044410123' })
  @IsText(64)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 -]*$/, {
    message: '$property must hold only letters, digits, spaces and hyphens',
  })
  accountNumber!: string;

  @ApiProperty({ required: false, description: 'BIC/SWIFT, where the bank has one', example: 'KICBKG22' })
  @Optional()
  @IsString()
  @Matches(/^[A-Za-z]{6}[A-Za-z0-9]{2}([A-Za-z0-9]{3})?$/, { message: '$property must be a BIC of 8 or 11 characters' })
  bic?: string;

  @ApiProperty({
    required: false,
    description: 'why the details change: required once the grant runs, when every member and finance are told',
    example: 'The group opened an account at another bank',
  })
  @Optional()
  @IsText(2000)
  reason?: string;
}

export const BANK_DETAILS_EXAMPLES: BodyExamples<BankDetailsDto> = {
  beforeAcceptance: {
    summary: 'The account, given before the group accepts the grant',
    value: {
      accountHolder: 'Zhazy parents’ committee',
      bankName: 'KICB, Osh branch',
      accountNumber: '1280016044410123',
    },
  },
  change: {
    summary: 'A new account while the grant runs: it takes a reason',
    value: {
      accountHolder: 'Zhazy parents’ committee',
      bankName: 'Aiyl Bank, Osh',
      accountNumber: '1350100012345678',
      bic: 'AIYLKG22',
      reason: 'The group opened an account at another bank',
    },
  },
};
