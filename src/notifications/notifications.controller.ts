import { Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { Optional } from '../common/dto';
import type { Response } from 'express';
import { AccessPolicy } from '../access/access.policy';
import { CurrentUser, Roles } from '../identity/auth.guard';
import type { NotificationStatus } from './notification.entity';
import { NotificationsService, type NotificationView } from './notifications.service';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

const STATUSES: NotificationStatus[] = ['pending', 'sent', 'failed', 'dead'];

export class ListNotificationsQuery {
  @Optional()
  @IsIn(STATUSES)
  status?: NotificationStatus;

  @Optional()
  @IsIn(['call', 'application', 'tranche', 'report', 'review'])
  subjectType?: string;

  @Optional()
  @IsUUID()
  subjectId?: string;

  @Optional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  /** The `next` cursor of the previous page. */
  @Optional()
  @IsUUID()
  before?: string;
}

export class PreviewQuery {
  @Optional()
  @IsIn(LOCALES)
  locale: Locale = 'en';

  /** `html` or `text` answer with that part alone, to open in a browser. */
  @Optional()
  @IsIn(['json', 'html', 'text'])
  format: 'json' | 'html' | 'text' = 'json';
}

/** Emails the service sends, for the programme's managers: what went out, what is stuck, what it looks like. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('notifications')
@Roles('manager')
export class NotificationsController {
  constructor(
    private readonly service: NotificationsService,
    private readonly policy: AccessPolicy,
  ) {}

  /** Newest first. `?status=dead` lists the emails that gave up and wait for a retry. */
  @Get()
  list(
    @Query() query: ListNotificationsQuery,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<{ items: NotificationView[]; next: string | null }> {
    return this.service.list(query, user.programmeId);
  }

  /** A message rendered with sample data, in one locale. */
  @Get('preview/:message')
  @Header('Cache-Control', 'no-store')
  preview(@Param('message') message: string, @Query() query: PreviewQuery, @Res({ passthrough: true }) res: Response) {
    const rendered = this.service.preview(message, query.locale);
    if (query.format === 'json') return rendered;
    res.type(query.format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8');
    return query.format === 'html' ? rendered.html : rendered.text;
  }

  /** One email, with its content as it renders now. */
  @Get(':id')
  async show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser) {
    await this.policy.see('notification', id, user, 'GET /notifications/:id');
    return this.service.get(id);
  }

  /** Sends a dead or failed email again. */
  @Post(':id/retry')
  async retry(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<NotificationView> {
    await this.policy.act('notification', id, user, 'POST /notifications/:id/retry');
    return this.service.retry(id);
  }
}
