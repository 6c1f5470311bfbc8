import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsISO8601 } from 'class-validator';
import { RELEASE_CONDITIONS, type ReleaseCondition } from '../../../workflows/payment-plan';
import { EventDto, IsAmount, IsText, Optional, type BodyExamples } from '../../common/dto';

export class CreateTrancheDto {
  @IsAmount()
  amount!: string;

  @ApiProperty({
    enum: RELEASE_CONDITIONS,
    description:
      'when the tranche may be requested: once the award is accepted (the default), or once the interim or the final report is accepted; the engine reads the report’s state when the request arrives',
    required: false,
  })
  @Optional()
  @IsIn(RELEASE_CONDITIONS)
  release?: ReleaseCondition;
}

/** A EUR 2,500 grant paid in two tranches: most on acceptance, the rest once the interim report is accepted. */
export const CREATE_TRANCHE_EXAMPLES: BodyExamples<CreateTrancheDto> = {
  onAcceptance: {
    summary: 'The first tranche, paid once the group has accepted the award',
    value: { amount: '1750.00', release: 'on_acceptance' },
  },
  afterInterimReport: {
    summary: 'The second tranche, requested only once the interim report is accepted',
    value: { amount: '750.00', release: 'interim_report_accepted' },
  },
};

export class AmendAndRequestEventDto extends EventDto {
  @Optional() @IsAmount() amount?: string;
}

export class RecordPaymentEventDto extends EventDto {
  @ApiProperty({ description: 'the amount the bank moved: the whole tranche', example: '1750.00' })
  @IsAmount()
  amount!: string;

  @IsText(200)
  reference!: string;

  @ApiProperty({ example: '2027-02-01' })
  @IsISO8601({ strict: true })
  paidOn!: string;
}
