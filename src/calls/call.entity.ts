import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { CompositionRule, Criterion, EligibilityQuestion, ReportDue, ScoringScale } from '../../workflows/call.machine';
import type { Localised } from '../../workflows/localised';

/** A call for proposals: its money is integer minor units of `currency`. Mirrors its machine's context. */
@Entity({ tableName: 'call' })
export class Call {
  [OptionalProps]?: 'id' | 'createdAt';

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

  @Property({ type: 'integer' })
  applicationsPerGroup!: number;

  @Property({ type: 'uuid' })
  createdBy!: string;

  /** The programme that runs the call; its staff manage it. */
  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
