import { ApiProperty } from '@nestjs/swagger';
import { DISBURSEMENT_STATES, TRANCHE_WAITS, type TrancheWait } from '../../workflows/disbursement.machine';
import { RELEASE_CONDITIONS, type ReleaseCondition } from '../../workflows/payment-plan';
import { WorkflowView } from '../workflow-http/workflow-views';
import { BankDetailsView } from '../applications/bank-details.views';

/** A finance officer's approval of a tranche's current request. */
export class ApprovalView {
  @ApiProperty({ format: 'uuid', description: 'the finance officer' })
  by!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

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

  @ApiProperty({
    enum: RELEASE_CONDITIONS,
    description:
      'when the tranche may be requested: on acceptance, or once the interim or the final report is accepted',
    example: 'on_acceptance',
  })
  release!: ReleaseCondition;

  @ApiProperty({ description: 'the award the tranche pays part of', example: '2500.00' })
  grantAmount!: string;

  @ApiProperty({
    description: 'the call’s finance threshold: every tranche of a grant at or above it needs two finance officers',
    example: '2000.00',
  })
  approvalThreshold!: string;

  @ApiProperty({ enum: [1, 2], description: 'how many different finance officers must approve it', example: 2 })
  approvalsNeeded!: number;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the manager who asked for it' })
  requestedBy!: string | null;

  @ApiProperty({ type: [String], description: 'the finance officers who approved the current request, in order' })
  approvedBy!: string[];

  @ApiProperty({ type: () => [ApprovalView], description: 'each approval of the current request: who, and when' })
  approvals!: ApprovalView[];

  @ApiProperty({
    enum: TRANCHE_WAITS,
    nullable: true,
    description:
      'what it waits for: the report its condition names, a manager’s request, a first or second approval, or the payment; null once paid or cancelled',
    example: 'approval',
  })
  waitingFor!: TrancheWait | null;

  @ApiProperty({ type: String, nullable: true, description: 'the bank’s reference of the payment', example: null })
  paymentReference!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'the day the money left the account', example: null })
  paidOn!: string | null;

  @ApiProperty({
    type: () => BankDetailsView,
    nullable: true,
    description:
      'the account the group gave, which the payment goes to: shown to the programme’s finance officers, who approve against it; null for everyone else and until given',
  })
  bankDetails!: BankDetailsView | null;

  @ApiProperty({ format: 'date-time', example: '2026-06-01T04:30:00.000Z' })
  createdAt!: string;
}

/** A tranche waiting for the finance officer who reads the queue. */
export class FinanceQueueItem {
  @ApiProperty({ format: 'uuid' })
  trancheId!: string;

  @ApiProperty({ format: 'uuid' })
  applicationId!: string;

  @ApiProperty({ example: 'KG-2026-0007' })
  reference!: string;

  @ApiProperty({ description: 'the project’s title, as the group wrote it', example: 'Clean water for Zhazy school' })
  project!: string;

  @ApiProperty({ description: 'the initiative group', example: 'Zhazy parents’ committee' })
  group!: string;

  @ApiProperty({ example: 'Zhazy' })
  municipality!: string;

  @ApiProperty({ example: '1750.00' })
  amount!: string;

  @ApiProperty({ example: 'EUR' })
  currency!: string;

  @ApiProperty({ enum: ['requested', 'partly_approved'], example: 'requested' })
  state!: string;

  @ApiProperty({ enum: RELEASE_CONDITIONS, example: 'on_acceptance' })
  release!: ReleaseCondition;

  @ApiProperty({ enum: [1, 2], example: 2 })
  approvalsNeeded!: number;

  @ApiProperty({ example: 1 })
  approvalsGiven!: number;

  @ApiProperty({ type: String, nullable: true, format: 'uuid', description: 'the manager who asked for it' })
  requestedBy!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'Aida Toktogulova' })
  requestedByName!: string | null;

  @ApiProperty({ format: 'date-time', description: 'since its last step: its request, or the first approval' })
  waitingSince!: string;
}
