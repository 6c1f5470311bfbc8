import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsISO8601, IsNumber, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { EventDto, IsAmount, IsCurrencyCode, IsText } from '../../common/dto';

export class CriterionDto {
  @IsText(200)
  name!: string;

  @ApiProperty({ description: 'percent of the total score; the weights of a call sum to 100' })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  weight!: number;
}

export class CreateCallDto {
  @IsText(300)
  title!: string;

  @IsCurrencyCode()
  currency!: string;

  @IsAmount()
  budget!: string;

  @IsAmount()
  maxAward!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  opensAt!: string;

  @ApiProperty({ example: '2027-01-15T18:00:00Z' })
  @IsISO8601({ strict: true })
  closesAt!: string;

  @ApiProperty({ type: [CriterionDto] })
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  criteria!: CriterionDto[];
}

/** Changes to a draft call: any subset of its fields. */
export class UpdateCallEventDto extends EventDto {
  @IsOptional() @IsText(300) title?: string;
  @IsOptional() @IsCurrencyCode() currency?: string;
  @IsOptional() @IsAmount() budget?: string;
  @IsOptional() @IsAmount() maxAward?: string;
  @IsOptional() @IsISO8601({ strict: true }) opensAt?: string;
  @IsOptional() @IsISO8601({ strict: true }) closesAt?: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => CriterionDto) @ArrayMinSize(1) @ArrayMaxSize(50) criteria?: CriterionDto[];
}

export class ExtendDeadlineEventDto extends EventDto {
  @ApiProperty({ example: '2027-01-31T18:00:00Z' })
  @IsISO8601({ strict: true })
  closesAt!: string;
}
