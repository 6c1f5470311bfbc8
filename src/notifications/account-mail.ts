import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/core';
import { AppConfig } from '../config/config';
import type { AccountMail, AccountMailer } from '../identity/account-mailer';
import { programmeOf } from './model';
import { Notification } from './notification.entity';

export { ACCOUNT_TEMPLATES } from '../identity/account-mailer';

/**
 * The one way the rest of the service queues an email about an account (a sign-in link, an
 * invitation), in the caller's transaction: identity hands over the facts, this module owns the row.
 */
export function queueAccountMail(
  em: EntityManager,
  config: Pick<AppConfig, 'PROGRAMME_NAME' | 'PROGRAMME_CONTACT'>,
  mail: AccountMail,
): void {
  const { recipient, at } = mail;
  em.create(Notification, {
    message: mail.template,
    template: mail.template,
    recipientId: recipient.id,
    email: recipient.email,
    locale: recipient.locale,
    subjectType: 'login_link',
    subjectId: mail.linkId,
    programmeId: null,
    data: {
      programme: programmeOf(config),
      recipient: { name: recipient.name },
      at: at.toISOString(),
      // filled in when the email is sent: see signInUrl
      link: '',
      call: null,
      application: null,
      tranche: null,
      report: null,
      review: null,
      signIn: { expiresAt: mail.expiresAt.toISOString(), invitedBy: mail.invitedBy, group: mail.group },
    },
    createdAt: at,
    nextAttemptAt: at,
  });
}

/** The account emails identity asks for (its AccountMailer), queued as notification rows. */
@Injectable()
export class NotificationAccountMailer implements AccountMailer {
  constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

  queue(em: EntityManager, mail: AccountMail): void {
    queueAccountMail(em, this.config, mail);
  }
}
