import { ApiProperty } from '@nestjs/swagger';
import { DISBURSEMENT_STATES } from '../../workflows/disbursement.machine';
import { WorkflowView } from '../workflow-http/workflow-views';

/** One payment of an award, and where its approval and payment stand. */
export class TrancheView extends WorkflowView {
  // Declared, not redefined: the base class's field, documented with the tranche's own states.
  @ApiProperty({
    enum: DISBURSEMENT_STATES,
    description: '`partly_approved`: one finance officer approved a tranche above the call’s threshold, a second must',
    example: 'requested',
  })
  declare state: string;

  @ApiProperty({ format: 'uuid', example: '2f6b9c14-3e8d-4a71-b5c2-7d0e1f9a8b36' })
  id!: string;

  @ApiProperty({
    format: 'uuid',
    description: 'the awarded application the tranche pays',
    example: '4f1c2a9e-6b1d-4c56-9a0e-2f3b7c8d9e10',
  })
  applicationId!: string;

  @ApiProperty({ description: 'a decimal in the award’s currency, with its minor units', example: '1250.00' })
  amount!: string;

  @ApiProperty({ description: 'ISO 4217: the award’s currency', example: 'EUR' })
  currency!: string;

  @ApiProperty({ format: 'date-time', example: '2026-06-01T04:30:00.000Z' })
  createdAt!: string;
}
