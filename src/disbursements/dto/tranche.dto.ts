import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsISO8601 } from 'class-validator';
import { EventDto, IsAmount, IsText, Optional } from '../../common/dto';

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
