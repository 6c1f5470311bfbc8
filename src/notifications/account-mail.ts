import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../config/config';
import type { Locale } from '../../workflows/localised';
import { programmeOf } from './model';
import { Notification } from './notification.entity';

/** Mail about an account rather than a transition: its templates sit beside the table's. */
export const ACCOUNT_TEMPLATES = ['auth.group_invitation', 'auth.invitation', 'auth.sign_in'] as const;
export type AccountTemplate = (typeof ACCOUNT_TEMPLATES)[number];

export interface AccountMail {
  template: AccountTemplate;
  recipient: { id: string; email: string; name: string; locale: Locale };
  /** The sign-in link the email carries: its token is derived from this id when the email is sent. */
  linkId: string;
  expiresAt: Date;
  /** Names a person chose, already made link-free by the caller. */
  invitedBy: string | null;
  group: { name: string | null } | null;
  at: Date;
}

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
