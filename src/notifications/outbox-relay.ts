import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { AppConfig } from '../config/config';
import { db } from '../common/kysely';
import { sqlRows } from '../common/sql';
import { Notification } from './notification.entity';
import { programmeOf } from './model';
import { Addresser, type Addressed, type NotifyPayload, type Site } from './message-data';
import { describeError, retryDelayMs } from './delivery';

const BATCH = 100;

/**
 * The oldest due `notify` rows, a batch of them. `outbox_notify_due_index` has this predicate and
 * this order, so a batch is read off its start however long the backlog is.
 */
export const DUE_NOTIFY_ROWS = `select id, attempts, payload from outbox
  where status = 'pending' and type = 'notify' and next_attempt_at <= ?
  order by next_attempt_at, created_at, id
  limit ?`;

interface OutboxRow {
  id: string;
  attempts: number;
  payload: NotifyPayload;
}

/**
 * Hands committed `notify` outbox rows on as emails: one notification row per recipient, written
 * in the same transaction that marks the outbox row done. Rows are claimed with FOR UPDATE SKIP
 * LOCKED, so two processes never hand on the same row, and nothing here talks to the mail server.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger('outbox');

  constructor(
    private readonly orm: MikroORM,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  private get site(): Site {
    return {
      baseUrl: this.config.BASE_URL.replace(/\/+$/, ''),
      programme: programmeOf(this.config),
    };
  }

  /** Hands on one batch of due rows; returns how many rows it took. */
  runOnce(now: Date = new Date()): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const rows = await sqlRows<OutboxRow>(em, `${DUE_NOTIFY_ROWS} for update skip locked`, [
        now.toISOString(),
        BATCH,
      ]);
      if (rows.length === 0) return 0;
      const addresser = new Addresser(em, this.site);
      await addresser.preload(rows.map((r) => r.payload));
      const handedOn: string[] = [];
      for (const row of rows) {
        // Addressing only reads: a row that cannot be addressed is retried later and holds up no other.
        try {
          this.queue(em, row, await addresser.address(row.payload), now);
          handedOn.push(row.id);
        } catch (error) {
          await this.postpone(em, row, error, now);
        }
      }
      await em.flush();
      if (handedOn.length > 0)
        await db(em)
          .updateTable('outbox')
          .set({ status: 'sent', last_error: null })
          .where('id', 'in', handedOn)
          .execute();
      return rows.length;
    });
  }

  private queue(em: EntityManager, row: OutboxRow, emails: Addressed[], now: Date): void {
    for (const { recipient, data, programmeId } of emails) {
      em.create(Notification, {
        programmeId,
        outboxId: row.id,
        message: row.payload.message,
        template: row.payload.template,
        recipientId: recipient.id,
        email: recipient.email,
        locale: recipient.locale,
        subjectType: row.payload.subjectType,
        subjectId: row.payload.subjectId,
        data,
        createdAt: now,
        nextAttemptAt: now,
      });
    }
  }

  private async postpone(em: EntityManager, row: OutboxRow, error: unknown, now: Date): Promise<void> {
    const attempts = row.attempts + 1;
    const dead = attempts >= this.config.MAIL_MAX_ATTEMPTS;
    const next = new Date(now.getTime() + retryDelayMs(attempts, this.config.MAIL_RETRY_BASE_MS));
    await db(em)
      .updateTable('outbox')
      .set({
        attempts,
        last_error: describeError(error),
        status: dead ? 'dead' : 'pending',
        next_attempt_at: next.toISOString(),
      })
      .where('id', '=', row.id)
      .execute();
    this.logger.error(
      { outbox: row.id, message: row.payload.message, attempts, err: error },
      'could not address a message',
    );
  }
}
