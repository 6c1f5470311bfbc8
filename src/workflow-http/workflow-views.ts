import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES } from '../../workflows/kit';

export class WorkflowLinks {
  @ApiProperty({ example: '/applications/4f1c2a9e-6b1d-4c56-9a0e-2f3b7c8d9e10/history' })
  history!: string;

  @ApiProperty({ example: '/applications/4f1c2a9e-6b1d-4c56-9a0e-2f3b7c8d9e10/events' })
  events!: string;
}

/** Where a record's workflow stands, and what the caller may send it next. */
export class WorkflowView {
  @ApiProperty({ description: 'the state the workflow is in', example: 'submitted' })
  state!: string;

  @ApiProperty({
    description: 'rises by one with every accepted event; send it back as If-Match to refuse a stale write',
    example: 3,
  })
  version!: number;

  @ApiProperty({
    description: 'the events the caller may send now; empty for a caller who may only read',
    type: [String],
    example: ['WITHDRAW'],
  })
  allowedEvents!: string[];

  @ApiProperty({ type: () => WorkflowLinks })
  links!: WorkflowLinks;
}

/** The answer to an accepted event: where the workflow came from and where it is now. */
export class TransitionView extends WorkflowView {
  @ApiProperty({ description: 'the state before the event', example: 'draft' })
  previousState!: string;
}

export class HistoryActor {
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'who acted: a user’s id, or `timer:…` / `cascade:…` when the service acted; null for staff when an applicant reads the log',
    example: '0b7e4c1a-2f3d-4e5f-8a9b-0c1d2e3f4a5b',
  })
  id!: string | null;

  @ApiProperty({ enum: [...ROLES, 'system'], example: 'applicant' })
  role!: string;
}

/** One row of a record's transition log. */
export class HistoryEntry {
  @ApiProperty({ description: 'the row’s place in the log, from 1', example: 2 })
  seq!: number;

  @ApiProperty({ example: 'SUBMIT' })
  event!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'null on the row that started the workflow',
    example: 'draft',
  })
  from!: string | null;

  @ApiProperty({ example: 'submitted' })
  to!: string;

  @ApiProperty({ format: 'date-time', example: '2026-03-02T09:15:00.000Z' })
  at!: string;

  @ApiProperty({ type: () => HistoryActor })
  actor!: HistoryActor;

  @ApiPropertyOptional({ type: 'string', nullable: true, example: null })
  reason!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event’s fields as accepted' })
  payload!: Record<string, unknown>;

  @ApiProperty({
    description: 'SHA-256 over this row and the previous row’s hash (hex)',
    example: '9b2f0c3e1d4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344',
  })
  hash!: string;
}
