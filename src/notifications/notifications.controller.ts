import { Controller, Get, Header, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsUUID, Max, Min } from 'class-validator';
import { Optional } from '../common/dto';
import type { Response } from 'express';
import { AccessPolicy } from '../access/access.policy';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { NOTIFICATION_STATUSES, type NotificationStatus } from './notification.entity';
import { NotificationsService } from './notifications.service';
import { MessagePreview, NotificationDetail, NotificationPage, NotificationView } from './notification.views';
import { LOCALES, type Locale } from '../../workflows/localised';
import type { AuthenticatedUser } from '../common/authenticated-user';

const STATUSES: NotificationStatus[] = [...NOTIFICATION_STATUSES];

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

  @Get()
  @ApiOperation({
    summary:
      'The emails about the manager’s programme, newest first (managers); `?status=dead` lists those that gave up and wait for a retry',
  })
  @ApiOkResponse({ type: NotificationPage, description: 'one page; `next` is the cursor of the following one' })
  list(@Query() query: ListNotificationsQuery, @CurrentUser() user: AuthenticatedUser): Promise<NotificationPage> {
    return this.service.list(query, user.programmeId);
  }

  @Get('preview/:message')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'A message rendered with sample data, in one locale (managers), by message key or template name',
  })
  @ApiExtraModels(MessagePreview)
  @ApiProduces('application/json', 'text/html', 'text/plain')
  @ApiOkResponse({
    description: 'the subject and both parts as JSON; with `format=html` or `format=text` that part alone',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(MessagePreview) } },
      'text/html': { schema: { type: 'string', example: '<!doctype html><html lang="ru">…</html>' } },
      'text/plain': { schema: { type: 'string', example: 'Здравствуйте, Айгуль Маматова.\n…' } },
    },
  })
  preview(@Param('message') message: string, @Query() query: PreviewQuery, @Res({ passthrough: true }) res: Response) {
    const rendered = this.service.preview(message, query.locale);
    if (query.format === 'json') return rendered;
    res.type(query.format === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8');
    return query.format === 'html' ? rendered.html : rendered.text;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One email of the manager’s programme, with its content as it renders now (managers)' })
  @ApiOkResponse({ type: NotificationDetail, description: 'the email and its content' })
  async show(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<NotificationDetail> {
    await this.policy.see('notification', id, user, 'GET /notifications/:id');
    return this.service.get(id);
  }

  @Post(':id/retry')
  @ApiOperation({
    summary: 'Send a dead or failed email again, with a fresh count of attempts (the programme’s managers)',
  })
  @ApiCreatedResponse({ type: NotificationView, description: 'the email, pending again' })
  async retry(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<NotificationView> {
    await this.policy.act('notification', id, user, 'POST /notifications/:id/retry');
    return this.service.retry(id);
  }
}
