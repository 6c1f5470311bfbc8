import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { EventDto, type BodyExamples } from '../../common/dto';
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

/** The reports of a project that runs from April to June, in the programme's time zone. */
export const CREATE_REPORT_EXAMPLES: BodyExamples<CreateReportDto> = {
  interim: {
    summary: 'An interim report halfway through, late ten days after it is due',
    value: { kind: 'interim', dueAt: '2027-05-15T18:00:00+06:00', overdueAt: '2027-05-25T18:00:00+06:00' },
  },
  final: {
    summary: 'The final report once the project ends, late two weeks after it is due',
    value: { kind: 'final', dueAt: '2027-06-30T18:00:00+06:00', overdueAt: '2027-07-14T18:00:00+06:00' },
  },
};

export class RequestRevisionEventDto extends EventDto {
  @ApiProperty({ type: [String] })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(4000, { each: true })
  @Matches(/\S/, { each: true, message: 'each comment must be non-empty text' })
  comments!: string[];
}
