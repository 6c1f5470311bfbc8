import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** One running machine for one subject (a call, an application, a tranche, a report). */
@Entity({ tableName: 'workflow_instance' })
@Index({ properties: ['machineId', 'state'] })
@Unique({ properties: ['subjectType', 'subjectId'] })
export class WorkflowInstance {
  [OptionalProps]?: 'id' | 'version' | 'createdAt' | 'updatedAt' | 'parentId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  machineId!: string;

  @Property({ type: 'integer' })
  machineVersion!: number;

  @Property({ type: 'text' })
  state!: string;

  @Property({ type: 'json' })
  snapshot!: Record<string, unknown>;

  /** Optimistic lock: every committed transition increments it. */
  @Property({ type: 'integer', version: true })
  version = 1;

  @Property({ type: 'text' })
  subjectType!: string;

  @Property({ type: 'uuid' })
  subjectId!: string;

  @Index()
  @Property({ type: 'uuid', nullable: true })
  parentId?: string | null;

  /** The hash of the newest transition-log row: the next row chains to it. */
  @Property({ type: 'text' })
  lastHash!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime' })
  updatedAt: Date = new Date();
}

/** Append-only: a trigger refuses UPDATE and DELETE; each row's hash chains to the previous one. */
@Entity({ tableName: 'transition_log' })
@Unique({ properties: ['instanceId', 'seq'] })
export class TransitionLog {
  [OptionalProps]?: 'id' | 'reason';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  instanceId!: string;

  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'text' })
  eventType!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'text' })
  actorId!: string;

  @Property({ type: 'text' })
  actorRole!: string;

  /** Null on the row that records the instance's creation. */
  @Property({ type: 'text', nullable: true })
  fromState!: string | null;

  @Property({ type: 'text' })
  toState!: string;

  @Property({ type: 'datetime' })
  at!: Date;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'text' })
  prevHash!: string;

  @Property({ type: 'text' })
  hash!: string;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'dead';

/** A side effect a transition asked for, committed with it and carried out afterwards. */
@Entity({ tableName: 'outbox' })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class OutboxMessage {
  [OptionalProps]?: 'id' | 'status' | 'attempts' | 'nextAttemptAt' | 'createdAt' | 'lastError';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  instanceId!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'json' })
  payload!: Record<string, unknown>;

  @Property({ type: 'text' })
  status: OutboxStatus = 'pending';

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime' })
  nextAttemptAt: Date = new Date();

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** A durable timer: `event` is sent to the instance once `dueAt` has passed, exactly once. */
@Entity({ tableName: 'workflow_timer' })
export class WorkflowTimer {
  [OptionalProps]?: 'id' | 'createdAt' | 'firedAt' | 'cancelledAt' | 'outcome';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  instanceId!: string;

  @Property({ type: 'text' })
  event!: string;

  @Property({ type: 'datetime' })
  dueAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  firedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  cancelledAt?: Date | null;

  /** What happened when it fired: the new state, or why the machine refused the event. */
  @Property({ type: 'text', nullable: true })
  outcome?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
