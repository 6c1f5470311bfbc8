import { Inject, Injectable, Logger } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { AppConfig } from '../config/config';
import { db } from '../common/kysely';
import { sqlRows } from '../common/sql';
import { afterFailure, describeError, retryDelayMs, sendingOrder } from './delivery';
import { senderDomain, type ComposedMail, type MailTransport } from './mail-transport';
import type { MessageModel } from './model';
import { TemplateSet } from './templates';
import { ServiceSecret } from '../identity/secret';
import { signInUrl } from '../identity/sign-in.service';
import type { Locale } from '../../workflows/localised';

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

const BATCH = 100;

interface Claimed {
  id: string;
  seq: string;
  message: string;
  subject_type: string | null;
  subject_id: string | null;
  template: string;
  email: string;
  locale: Locale;
  data: Omit<MessageModel, 'locale'>;
  attempts: number;
  created_at: Date | string;
}

type Outcome = 'sent' | 'failed' | 'dead';

/** A claimed email rendered and composed, or why it could not be. */
type Ready = { subject: string; composed: ComposedMail } | { subject: string | null; error: unknown };

interface Sent {
  id: string;
  subject: string;
  file: string | null;
}

export interface DispatchResult {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
  /** Sent, but the record of it failed: they go again once their lease runs out. */
  unrecorded: number;
}

/**
 * Sends due emails. A batch is claimed with FOR UPDATE SKIP LOCKED and leased (committed) before
 * anything is sent, so another dispatcher skips it; an email whose sender died half-way is taken
 * again once its lease runs out, with the same Message-ID, so a mail program shows it once.
 */
@Injectable()
export class MailDispatcher {
  private readonly logger = new Logger('mail');
  private readonly domain: string;

  constructor(
    private readonly orm: MikroORM,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly templates: TemplateSet,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    private readonly secret: ServiceSecret,
  ) {
    this.domain = senderDomain(config.MAIL_FROM);
  }

  /**
   * Claims and sends one batch of due emails, then records every one sent in one statement. The
   * whole batch is rendered and composed at once (no order is needed for that); then emails to one
   * person about one record go one after another, in the order they were queued ("more information
   * needed" before "answers received"), and all others in parallel.
   */
  async runOnce(now: Date = new Date()): Promise<DispatchResult> {
    const claimed = await this.claim(now);
    const prepared = claimed.map((row) => ({ ...row, ready: this.prepare(row) }));
    const sent: Sent[] = [];
    const outcomes = (
      await Promise.all(
        sendingOrder(prepared).map(async (rows) => {
          const done: Outcome[] = [];
          for (const row of rows) done.push(await this.deliver(row, await row.ready, now, sent));
          return done;
        }),
      )
    ).flat();
    const recorded = await this.record(sent);
    const count = (outcome: Outcome) => outcomes.filter((o) => o === outcome).length;
    return {
      claimed: claimed.length,
      sent: recorded,
      failed: count('failed'),
      dead: count('dead'),
      unrecorded: sent.length - recorded,
    };
  }

  /** A sign-in email's link is derived only now, from the link's id: the queue never holds it. */
  private withSecrets(row: Claimed): Claimed['data'] {
    if (row.subject_type !== 'login_link' || !row.subject_id) return row.data;
    return { ...row.data, link: signInUrl(this.config.BASE_URL, this.secret.key, row.subject_id) };
  }

  messageIdOf(id: string): string {
    return `<${id}@${this.domain}>`;
  }

  private claim(now: Date): Promise<Claimed[]> {
    const leaseEnds = new Date(now.getTime() + this.config.MAIL_LEASE_MS);
    return sqlRows<Claimed>(
      this.orm.em.fork(),
      `update notification set locked_until = ?, attempts = attempts + 1
        where id in (
          select id from notification
           where status in ('pending', 'failed') and next_attempt_at <= ? and (locked_until is null or locked_until <= ?)
           order by next_attempt_at, seq
           limit ? for update skip locked)
        returning id, seq, message, template, email, locale, subject_type, subject_id, data, attempts, created_at`,
      [leaseEnds.toISOString(), now.toISOString(), now.toISOString(), BATCH],
    );
  }

  /** Renders and composes one email; never throws: a failure is kept for `deliver` to record. */
  private async prepare(row: Claimed): Promise<Ready> {
    let subject: string | null = null;
    try {
      const rendered = this.templates.render(row.template, row.locale, this.withSecrets(row));
      if (rendered.locale !== row.locale) {
        this.logger.warn(
          { notification: row.id, template: row.template, locale: row.locale },
          'no template in this locale: sent in English',
        );
      }
      subject = rendered.subject;
      const composed = await this.transport.compose({
        id: row.id,
        from: this.config.MAIL_FROM,
        // The address alone: a name is applicant-supplied text, and no header carries any.
        to: row.email,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        messageId: this.messageIdOf(row.id),
        message: row.message,
        locale: rendered.locale,
        createdAt: new Date(row.created_at),
      });
      return { subject, composed };
    } catch (error) {
      return { subject, error };
    }
  }

  /** Sends one composed email; a sent one joins `sent`, to be recorded with its batch. */
  private async deliver(row: Claimed, ready: Ready, now: Date, sent: Sent[]): Promise<Outcome> {
    if (!('composed' in ready)) return this.markFailed(row, ready.subject, ready.error, now);
    try {
      const { file } = await this.transport.send(ready.composed);
      sent.push({ id: row.id, subject: ready.subject, file: file ?? null });
      return 'sent';
    } catch (error) {
      return this.markFailed(row, ready.subject, error, now);
    }
  }

  /** Records a batch's deliveries; returns how many. */
  private async record(sent: Sent[]): Promise<number> {
    if (sent.length === 0) return 0;
    try {
      await this.markSent(sent);
      return sent.length;
    } catch (error) {
      // Sent but not recorded: the leases run out and they are sent again, with the same Message-IDs.
      this.logger.error({ notifications: sent.map((s) => s.id), err: error }, 'emails sent but not recorded as sent');
      return 0;
    }
  }

  /** Records deliveries, in one statement. Sending and recording are two steps: a crash between them means one resend. */
  protected async markSent(sent: Sent[]): Promise<void> {
    await sqlRows(
      this.orm.em.fork(),
      `update notification n set status = 'sent', sent_at = now(), subject = v.subject, file = v.file, locked_until = null, last_error = null
         from (values ${sent.map(() => '(?::uuid, ?::text, ?::text)').join(', ')}) as v (id, subject, file)
        where n.id = v.id`,
      sent.flatMap((s) => [s.id, s.subject, s.file]),
    );
  }

  private async markFailed(
    row: Claimed,
    subject: string | null,
    error: unknown,
    now: Date,
  ): Promise<'failed' | 'dead'> {
    const { status, verdict } = afterFailure(error, row.attempts, this.config.MAIL_MAX_ATTEMPTS);
    const next = new Date(now.getTime() + retryDelayMs(row.attempts, this.config.MAIL_RETRY_BASE_MS));
    const lastError = describeError(error);
    await db(this.orm.em.fork())
      .updateTable('notification')
      .set((eb) => ({
        status,
        last_error: lastError,
        next_attempt_at: next.toISOString(),
        subject: eb.fn.coalesce(eb.val(subject), 'subject'),
        locked_until: null,
      }))
      .where('id', '=', row.id)
      .execute();
    const log = { notification: row.id, message: row.message, attempts: row.attempts, verdict, error: lastError };
    if (status === 'dead') this.logger.error(log, 'email is dead: a manager can retry it');
    else this.logger.warn(log, 'email not sent: will retry');
    return status;
  }
}
