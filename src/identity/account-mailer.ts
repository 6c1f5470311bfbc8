import type { EntityManager } from '@mikro-orm/core';
import type { Locale } from '../../workflows/localised';

// Identity decides when a person is emailed about their account (a sign-in link, an invitation);
// the notifications module, above it, owns the email and provides this interface for it.

/** The emails about an account rather than a transition: their templates sit beside the table's. */
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

export interface AccountMailer {
  /** Queues the email in the caller's transaction: it goes out only if the transaction commits. */
  queue(em: EntityManager, mail: AccountMail): void;
}

export const ACCOUNT_MAILER = Symbol('ACCOUNT_MAILER');
