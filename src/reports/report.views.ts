import { ApiProperty } from '@nestjs/swagger';
import { REPORT_STATES, type ReportKind } from '../../workflows/report.machine';
import { WorkflowView } from '../workflow-http/workflow-views';

/** An interim or final report a grant owes, and where it stands. */
export class ReportView extends WorkflowView {
  // Declared, not redefined: the base class's field, documented with the report's own states.
  @ApiProperty({
    enum: REPORT_STATES,
    description: 'timers make a scheduled report `due` at `dueAt` and `overdue` at `overdueAt`',
    example: 'due',
  })
  declare state: string;

  @ApiProperty({ format: 'uuid', example: '7c4e2a91-5b3f-4d68-9e1a-0f2b6c8d4e73' })
  id!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'the awarded application the report is owed for',
    example: '4f1c2a9e-6b1d-4c56-9a0e-2f3b7c8d9e10',
  })
  applicationId!: string;

  @ApiProperty({ enum: ['interim', 'final'], example: 'interim' })
  kind!: ReportKind;

  @ApiProperty({ format: 'date-time', description: 'when the report falls due', example: '2026-07-15T12:00:00.000Z' })
  dueAt!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'when a report not yet submitted counts as late',
    example: '2026-07-29T12:00:00.000Z',
  })
  overdueAt!: string;

  @ApiProperty({ format: 'date-time', example: '2026-05-20T09:00:00.000Z' })
  createdAt!: string;
}
