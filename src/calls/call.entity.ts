import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

export interface Criterion {
  name: string;
  weight: number;
}

/** A call for proposals: its money is integer minor units of `currency`. */
@Entity({ tableName: 'call' })
export class Call {
  [OptionalProps]?: 'id' | 'createdAt' | 'criteria';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  title!: string;

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
  criteria: Criterion[] = [];

  @Property({ type: 'uuid' })
  createdBy!: string;

  /** The programme that runs the call; its staff manage it. */
  @Property({ type: 'uuid' })
  programmeId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
