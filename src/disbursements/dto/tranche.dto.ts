import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsISO8601 } from 'class-validator';
import { EventDto, IsAmount, IsText, Optional, type BodyExamples } from '../../common/dto';

export class CreateTrancheDto {
  @IsAmount()
  amount!: string;

  @ApiProperty({
    description: 'whether the tranche’s condition (signed agreement, interim report...) is already met',
    required: false,
  })
  @Optional()
  @IsBoolean()
  conditionMet?: boolean;
}

/** A EUR 2,500 grant paid in two tranches: most on signing, the rest once the interim report is in. */
export const CREATE_TRANCHE_EXAMPLES: BodyExamples<CreateTrancheDto> = {
  onSigning: {
    summary: 'The first tranche, its condition met: the grant agreement is signed',
    value: { amount: '1500.00', conditionMet: true },
  },
  afterInterimReport: {
    summary: 'The second tranche, waiting for its condition: the interim report accepted',
    value: { amount: '1000.00', conditionMet: false },
  },
};

export class AmendAndRequestEventDto extends EventDto {
  @Optional() @IsAmount() amount?: string;
}

export class RecordPaymentEventDto extends EventDto {
  @IsText(200)
  reference!: string;

  @ApiProperty({ example: '2027-02-01' })
  @IsISO8601({ strict: true })
  paidOn!: string;
}
