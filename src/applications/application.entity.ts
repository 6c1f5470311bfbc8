import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Proposal } from '../../workflows/proposal';

/** One initiative group's proposal under one call. */
@Entity({ tableName: 'application' })
export class Application {
  [OptionalProps]?: 'id' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  callId!: string;

  /** The call's programme, kept here so a programme's lists read one index. */
  @Property({ type: 'uuid' })
  programmeId!: string;

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

  /** Where the project happens; the proposal's, kept here for filtering. */
  @Property({ type: 'text' })
  municipality!: string;

  /** The proposal as the machine's context last held it. */
  @Property({ type: 'json' })
  proposal!: Proposal;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
