import { ApiProperty } from '@nestjs/swagger';
import { LOCALES, type Locale } from '../../workflows/localised';
import { NOTIFICATION_STATUSES, type NotificationStatus } from './notification.entity';

const EXAMPLE_ID = '6a0d3f2e-1b4c-4e8f-9a7d-5c2b8e1f0a94';

/** One email the service sends, and where its delivery stands. */
export class NotificationView {
  @ApiProperty({ format: 'uuid', description: 'also the local part of the email’s Message-ID', example: EXAMPLE_ID })
  id!: string;

  @ApiProperty({ description: 'the key of the message in the table of messages', example: 'application.awarded' })
  message!: string;

  @ApiProperty({ format: 'email', description: 'the recipient’s address', example: 'aigul.mamatova@example.kg' })
  to!: string;

  @ApiProperty({ enum: LOCALES, description: 'the recipient’s language', example: 'ky' })
  locale!: Locale;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'the kind of record the email is about (call, application, tranche, report or review); null for none',
    example: 'application',
  })
  subjectType!: string | null;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'the record the email is about',
    example: '4f1c2a9e-6b1d-4c56-9a0e-2f3b7c8d9e10',
  })
  subjectId!: string | null;

  @ApiProperty({
    enum: NOTIFICATION_STATUSES,
    description: '`failed` is tried again at `nextAttemptAt`; `dead` gave up and waits for a manager’s retry',
    example: 'sent',
  })
  status!: NotificationStatus;

  @ApiProperty({ type: 'integer', description: 'sending attempts since it was queued or last retried', example: 1 })
  attempts!: number;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'why the last attempt failed; null once sent',
    example: null,
  })
  lastError!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-06-03T08:00:04.000Z' })
  nextAttemptAt!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'the subject line as rendered when it was last sent; null before',
    example: 'Долбооруңузга грант бөлүндү: KG-2026-0007',
  })
  subject!: string | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'where the embedded mail transport wrote the email as an .eml file; null with SMTP',
    example: `data/mail/20260603T080004Z-application.awarded-${EXAMPLE_ID}.eml`,
  })
  file!: string | null;

  @ApiProperty({ type: 'string', format: 'date-time', nullable: true, example: '2026-06-03T08:00:05.000Z' })
  sentAt!: string | null;

  @ApiProperty({ format: 'date-time', example: '2026-06-03T08:00:03.000Z' })
  createdAt!: string;
}

/** A page of emails, newest first. */
export class NotificationPage {
  @ApiProperty({ type: () => [NotificationView] })
  items!: NotificationView[];

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    nullable: true,
    description: 'pass as `before` for the next page; null on the last',
    example: '1e9c7b25-8f4a-4d03-b6e2-9a5c0d7f3b18',
  })
  next!: string | null;
}

/** An email as it renders: subject, HTML and plain-text parts. */
export class RenderedEmail {
  @ApiProperty({ example: 'Долбооруңузга грант бөлүндү: KG-2026-0007' })
  subject!: string;

  @ApiProperty({ example: '<!doctype html><html lang="ky"><head><meta charset="utf-8">…</html>' })
  html!: string;

  @ApiProperty({
    example: 'Саламатсызбы, Айгүл Маматова.\n\nКуттуктайбыз! Гранттык комиссия долбооруңузду каржылоону чечти.\n…',
  })
  text!: string;

  @ApiProperty({
    enum: LOCALES,
    description: 'the locale rendered: the one asked for, or `en` when the message has no template in it',
    example: 'ky',
  })
  locale!: Locale;
}

/** One email with its content as it renders now. */
export class NotificationDetail extends NotificationView {
  @ApiProperty({ type: () => RenderedEmail })
  content!: RenderedEmail;
}

/** A message rendered with sample data. */
export class MessagePreview extends RenderedEmail {
  @ApiProperty({ description: 'the message key or template name asked for', example: 'application.awarded' })
  message!: string;

  @ApiProperty({ description: 'the template folder under templates/messages/', example: 'application.awarded' })
  template!: string;
}
