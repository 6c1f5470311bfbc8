import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** One initiative group's proposal under one call. */
@Entity({ tableName: 'application' })
export class Application {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  callId!: string;

  /** Human reference, `KG-2026-0007`: what a group quotes on the phone, shown in every email. */
  @Property({ type: 'text', unique: true })
  reference!: string;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'bigint', runtimeType: 'number' })
  requestedMinor!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'uuid' })
  createdBy!: string;

  /** The initiative group that applies: every member may see and act on it. */
  @Property({ type: 'uuid' })
  groupId!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
