import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * The account a group's grant is paid into, as given once: rows are only ever added (a trigger
 * refuses the rest), the newest is the account now. Sensitive: read only by the group and the
 * programme's managers and finance officers, and never written to a log.
 */
@Entity({ tableName: 'bank_details' })
export class BankDetails {
  [OptionalProps]?: 'id' | 'enteredAt' | 'bic' | 'reason';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'text' })
  accountHolder!: string;

  @Property({ type: 'text' })
  bankName!: string;

  @Property({ type: 'text' })
  accountNumber!: string;

  /** BIC/SWIFT, where the bank has one. */
  @Property({ type: 'text', nullable: true })
  bic: string | null = null;

  @Property({ type: 'uuid' })
  enteredBy!: string;

  @Property({ type: 'datetime' })
  enteredAt: Date = new Date();

  /** Why they changed: required once the grant runs. */
  @Property({ type: 'text', nullable: true })
  reason: string | null = null;
}
