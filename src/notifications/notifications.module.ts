import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { ACCOUNT_MAILER } from '../identity/account-mailer';
import { NotificationAccountMailer } from './account-mail';
import { AppConfig } from '../config/config';
import { MAIL_TRANSPORT, MailDispatcher } from './mail-dispatcher';
import { transportFor } from './mail-transport';
import { MailWorker } from './mail.worker';
import { programmeOf, sampleModel } from './model';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { OutboxRelay } from './outbox-relay';
import { TemplateSet } from './templates';

/** The project's `templates/` folder, found upwards from here: from the sources and from `dist/` alike. */
export function templatesDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'templates', 'messages'))) return join(dir, 'templates');
    if (dirname(dir) === dir) throw new Error(`no templates/ folder above ${from}`);
  }
}

/** Compiles every template and renders each against sample data: a broken one stops the start, named. */
export function loadTemplates(config: AppConfig, dir = templatesDir()): TemplateSet {
  const set = new TemplateSet(dir, config.PROGRAMME_TIME_ZONE);
  set.checkAgainst(sampleModel(programmeOf(config), config.BASE_URL));
  return set;
}

/** Identity's account emails (its AccountMailer interface), queued by this module, for every module. */
@Global()
@Module({
  providers: [{ provide: ACCOUNT_MAILER, useClass: NotificationAccountMailer }],
  exports: [ACCOUNT_MAILER],
})
export class AccountMailModule {}

@Module({
  imports: [AccountMailModule],
  controllers: [NotificationsController],
  providers: [
    { provide: TemplateSet, useFactory: (config: AppConfig) => loadTemplates(config), inject: [AppConfig] },
    { provide: MAIL_TRANSPORT, useFactory: transportFor, inject: [AppConfig] },
    OutboxRelay,
    MailDispatcher,
    MailWorker,
    NotificationsService,
  ],
  exports: [MailWorker, MailDispatcher, OutboxRelay, TemplateSet, NotificationsService],
})
export class NotificationsModule {}
