import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** One payment of an award; its approval and payment run through the disbursement machine. */
@Entity({ tableName: 'tranche' })
export class Tranche {
  [OptionalProps]?: 'id' | 'createdAt' | 'position';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'bigint', runtimeType: 'number' })
  amountMinor!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  /** Its place in the grant's payment plan, from 1; 0 for a tranche added by hand. Orders those made together. */
  @Property({ type: 'integer' })
  position: number = 0;
}
