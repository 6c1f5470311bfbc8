import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { MessageModel } from './model';
import type { Locale } from '../../workflows/localised';

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * One email to one recipient. Its id is its Message-ID, so a resend after a crash carries the same
 * one. `failed` waits for `nextAttemptAt`; `dead` waits for a manager's retry.
 */
@Entity({ tableName: 'notification' })
export class Notification {
  [OptionalProps]?: 'id' | 'status' | 'attempts' | 'nextAttemptAt' | 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The outbox row of the transition that sent it; null for mail outside a transition. */
  @Property({ type: 'uuid', nullable: true })
  outboxId?: string | null;

  @Property({ type: 'text' })
  message!: string;

  @Property({ type: 'text' })
  template!: string;

  @Property({ type: 'uuid', nullable: true })
  recipientId?: string | null;

  /** Copied from the recipient's account, validated there: never taken from free text. */
  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text' })
  locale!: Locale;

  @Property({ type: 'text', nullable: true })
  subjectType?: string | null;

  @Property({ type: 'uuid', nullable: true })
  subjectId?: string | null;

  /** The programme whose managers see it; null for mail about an account (sign-in links). */
  @Property({ type: 'uuid', nullable: true })
  programmeId?: string | null;

  @Property({ type: 'json' })
  data!: Omit<MessageModel, 'locale'>;

  @Property({ type: 'text' })
  status: NotificationStatus = 'pending';

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'datetime' })
  nextAttemptAt: Date = new Date();

  /** While set and in the future, a dispatcher is sending it. */
  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null;

  /** The subject line as rendered when it was last sent. */
  @Property({ type: 'text', nullable: true })
  subject?: string | null;

  /** Where the embedded default wrote the .eml file. */
  @Property({ type: 'text', nullable: true })
  file?: string | null;

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
