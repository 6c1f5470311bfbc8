import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { ReviewState } from '../../workflows/review.machine';

/**
 * One committee member's review of one application. Scores, comments and the recommendation live
 * in its machine's context; this row says whose it is and mirrors its state for the queries that
 * count and list reviews.
 */
@Entity({ tableName: 'review' })
export class Review {
  [OptionalProps]?: 'id' | 'assignedAt' | 'submittedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  callId!: string;

  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'uuid' })
  reviewerId!: string;

  @Property({ type: 'text' })
  state!: ReviewState;

  @Property({ type: 'uuid' })
  assignedBy!: string;

  @Property({ type: 'datetime' })
  assignedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  submittedAt: Date | null = null;
}
