import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { EventDto } from '../../common/dto';
import type { ReportKind } from '../report.entity';

export class CreateReportDto {
  @ApiProperty({ enum: ['interim', 'final'] })
  @IsIn(['interim', 'final'])
  kind!: ReportKind;

  @ApiProperty({ example: '2027-03-01T00:00:00Z' })
  @IsISO8601({ strict: true })
  dueAt!: string;

  @ApiProperty({ example: '2027-03-15T00:00:00Z', description: 'when a missing report counts as late' })
  @IsISO8601({ strict: true })
  overdueAt!: string;
}

export class RequestRevisionEventDto extends EventDto {
  @ApiProperty({ type: [String] })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(4000, { each: true })
  @Matches(/\S/, { each: true, message: 'each comment must be non-empty text' })
  comments!: string[];
}
