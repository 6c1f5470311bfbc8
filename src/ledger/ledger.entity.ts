import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { LedgerKind } from '../../workflows/ledger';

/**
 * One money movement, written by the engine with the transition that caused it (workflows/ledger.ts
 * says which): never updated or deleted. `rootInstanceId` is the call's instance, for a call's own
 * rows and for those of its grants and their tranches.
 */
@Entity({ tableName: 'ledger_entry' })
@Index({ properties: ['rootInstanceId', 'at'] })
export class LedgerEntryRow {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  instanceId!: string;

  @Property({ type: 'uuid' })
  rootInstanceId!: string;

  /** The transition that moved the money: its row in the log is (instanceId, seq). */
  @Property({ type: 'integer' })
  seq!: number;

  @Property({ type: 'text' })
  kind!: LedgerKind;

  @Property({ type: 'bigint', runtimeType: 'number' })
  amountMinor!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'datetime' })
  at!: Date;
}
