import { Inject, Injectable } from '@nestjs/common';
import { MikroORM, type FilterQuery } from '@mikro-orm/core';
import { MESSAGES } from '../../workflows/messages';
import { AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { fieldRefused } from '../common/validation';
import { programmeOf, sampleModel } from './model';
import { Notification, type NotificationStatus } from './notification.entity';
import { TemplateSet } from './templates';
import type { MessagePreview, NotificationDetail, NotificationPage, NotificationView } from './notification.views';
import type { Locale } from '../../workflows/localised';

export interface NotificationFilter {
  status?: NotificationStatus;
  subjectType?: string;
  subjectId?: string;
  limit: number;
  /** The `next` of the previous page. */
  before?: string;
}

@Injectable()
export class NotificationsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly templates: TemplateSet,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /** Newest first; `next` is the cursor of the following page, null on the last. */
  /** The emails about the manager's programme; mail about accounts (sign-in links) is nobody's to read. */
  async list(filter: NotificationFilter, programmeId: string | null): Promise<NotificationPage> {
    const where: FilterQuery<Notification> = {
      programmeId: programmeId ?? '00000000-0000-0000-0000-000000000000',
      ...(filter.status && { status: filter.status }),
      ...(filter.subjectType && { subjectType: filter.subjectType }),
      ...(filter.subjectId && { subjectId: filter.subjectId }),
    };
    // The cursor is a notification of the same programme; another's would only tell that it exists.
    const cursor = filter.before
      ? await this.orm.em.fork().findOne(Notification, { id: filter.before, programmeId: where.programmeId })
      : null;
    if (filter.before && !cursor) throw fieldRefused('before', 'notifications.cursor');
    const rows = await this.orm.em.fork().find(
      Notification,
      cursor
        ? {
            $and: [
              where,
              {
                $or: [
                  { createdAt: { $lt: cursor.createdAt } },
                  { createdAt: cursor.createdAt, id: { $lt: cursor.id } },
                ],
              },
            ],
          }
        : where,
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: filter.limit + 1 },
    );
    const items = rows.slice(0, filter.limit).map(viewOf);
    return { items, next: rows.length > filter.limit ? items[items.length - 1].id : null };
  }

  async get(id: string): Promise<NotificationDetail> {
    const row = await this.orm.em.fork().findOne(Notification, { id });
    if (!row) throw DomainError.notFound('notification', id);
    return { ...viewOf(row), content: this.templates.render(row.template, row.locale, row.data) };
  }

  /** Queues a dead or failed email to be sent again now, with a fresh count of attempts. */
  async retry(id: string): Promise<NotificationView> {
    return this.orm.em.fork().transactional(async (em) => {
      const row = await em.findOne(Notification, { id });
      if (!row) throw DomainError.notFound('notification', id);
      if (row.status !== 'dead' && row.status !== 'failed') {
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'notifications.notRetryable', params: { id, status: row.status } },
        ]);
      }
      Object.assign(row, { status: 'pending', attempts: 0, nextAttemptAt: new Date(), lockedUntil: null });
      await em.flush();
      return viewOf(row);
    });
  }

  /** A message rendered with sample data, by message key or template name. */
  preview(message: string, locale: Locale): MessagePreview {
    const template = MESSAGES.find((m) => m.key === message)?.template ?? message;
    if (!this.templates.names().includes(template)) throw DomainError.notFound('message', message);
    const sample = sampleModel(programmeOf(this.config), this.config.BASE_URL.replace(/\/+$/, ''));
    return { message, template, ...this.templates.render(template, locale, sample) };
  }
}

function viewOf(row: Notification): NotificationView {
  return {
    id: row.id,
    message: row.message,
    to: row.email,
    locale: row.locale,
    subjectType: row.subjectType ?? null,
    subjectId: row.subjectId ?? null,
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError ?? null,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    subject: row.subject ?? null,
    file: row.file ?? null,
    sentAt: row.sentAt ? row.sentAt.toISOString() : null,
    createdAt: row.createdAt.toISOString(),
  };
}
