import { DEFAULT_PAYMENT_PLAN, type PlannedTranche } from '../../workflows/payment-plan';
import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type {
  CompositionRule,
  Criterion,
  EligibilityQuestion,
  RankBy,
  ReportDue,
  ScoringScale,
} from '../../workflows/call.machine';
import type { Localised } from '../../workflows/localised';

/** A call for proposals: its money is integer minor units of `currency`. Mirrors its machine's context. */
@Entity({ tableName: 'call' })
export class Call {
  [OptionalProps]?:
    | 'id'
    | 'createdAt'
    | 'reviewReminderDays'
    | 'rankBy'
    | 'disagreementThreshold'
    | 'minimumScore'
    | 'maxAwardsPerMunicipality'
    | 'reviewDueAt'
    | 'scoresHiddenUntilComplete';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'json' })
  title!: Localised;

  @Property({ type: 'json' })
  description!: Localised;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'bigint', runtimeType: 'number' })
  budgetMinor!: number;

  @Property({ type: 'bigint', runtimeType: 'number' })
  maxAwardMinor!: number;

  @Property({ type: 'datetime' })
  opensAt!: Date;

  @Property({ type: 'datetime' })
  closesAt!: Date;

  @Property({ type: 'json' })
  municipalities!: string[];

  @Property({ type: 'json' })
  questions!: EligibilityQuestion[];

  @Property({ type: 'json', nullable: true })
  composition!: CompositionRule | null;

  @Property({ type: 'json' })
  criteria!: Criterion[];

  @Property({ type: 'json' })
  scale!: ScoringScale;

  @Property({ type: 'integer' })
  reviewersPerApplication!: number;

  @Property({ type: 'bigint', runtimeType: 'number' })
  financeThresholdMinor!: number;

  @Property({ type: 'json' })
  reportSchedule!: ReportDue[];

  @Property({ type: 'json' })
  paymentPlan: PlannedTranche[] = [...DEFAULT_PAYMENT_PLAN];

  @Property({ type: 'integer' })
  applicationsPerGroup!: number;

  @Property({ type: 'integer' })
  reviewReminderDays: number = 3;

  @Property({ type: 'text' })
  rankBy: RankBy = 'raw';

  @Property({ type: 'double' })
  disagreementThreshold: number = 15;

  @Property({ type: 'double' })
  minimumScore: number = 0;

  @Property({ type: 'integer', nullable: true })
  maxAwardsPerMunicipality: number | null = null;

  @Property({ type: 'datetime', nullable: true })
  reviewDueAt: Date | null = null;

  /** Set by the committee's chair: members see one another's scores only once every review is in. */
  @Property({ type: 'boolean' })
  scoresHiddenUntilComplete: boolean = false;

  @Property({ type: 'uuid' })
  createdBy!: string;

  /** The programme that runs the call; its staff manage it. */
  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
