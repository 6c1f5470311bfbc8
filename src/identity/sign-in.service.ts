import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { sql } from 'kysely';
import { db } from '../common/kysely';
import { ACCOUNT_MAILER, type AccountMailer } from './account-mailer';
import type { Locale } from '../../workflows/localised';
import { LoginLink, User, UserSession, type LinkPurpose } from './identity.entities';
import { authenticatedUserOf, IdentityService } from './identity.service';
import { linkFree } from './link-free';
import { ServiceSecret } from './secret';
import { generateSessionToken, hashToken, linkToken } from './tokens';
import type { SessionGrant } from './identity.views';

/** The address a sign-in link opens: a page whose button exchanges the token for a session. */
export function signInUrl(baseUrl: string, secret: Buffer, linkId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/auth/sign-in?token=${linkToken(secret, linkId)}`;
}

/**
 * Sign-in without passwords: a one-time link by email, exchanged for a session. A link works once,
 * for `LOGIN_LINK_MINUTES` (an invitation for `INVITATION_HOURS`); its token is never stored, only
 * its hash, and the queued email holds only the link's id: the token is derived when it is sent.
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger('sign-in');

  constructor(
    private readonly orm: MikroORM,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly secret: ServiceSecret,
    private readonly identity: IdentityService,
    @Inject(ACCOUNT_MAILER) private readonly mailer: AccountMailer,
  ) {}

  /**
   * Emails a sign-in link to the user with this address, if there is one: the caller learns nothing
   * either way. With `newcomer` (the sign-in page), an address nobody has yet becomes a member of an
   * initiative group-to-be, who starts their group once the link signs them in: how a group joins from
   * the programme's pages. The answer is the same, so it still tells nobody which addresses have accounts.
   */
  async requestLink(email: string, ip: string | undefined, newcomer?: { name: string; locale: Locale }): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      const address = email.trim().toLowerCase();
      let user = await em.findOne(User, { email: address });
      if (!user && newcomer) {
        const name = newcomer.name.trim() || address.split('@')[0];
        user = await this.identity.insertUser(em, { email: address, name, role: 'applicant', locale: newcomer.locale });
        this.logger.log({ ip }, 'a newcomer asked to sign in: an applicant account is made for the address');
      }
      if (!user) {
        this.logger.log({ ip }, 'sign-in link asked for an unknown address');
        return;
      }
      this.queueLink(em, user, 'sign_in', null);
    });
  }

  /**
   * In the caller's transaction: a new link for `user` and the email that carries it; returns the
   * link's id. An invitation to a group names the group; signing in with its link joins it.
   */
  queueLink(
    em: EntityManager,
    user: User,
    purpose: LinkPurpose,
    invitedBy: string | null,
    group: { name: string } | null = null,
  ): string {
    const minutes = purpose === 'sign_in' ? this.config.LOGIN_LINK_MINUTES : this.config.INVITATION_HOURS * 60;
    const now = new Date();
    const expiresAt = new Date(now.getTime() + minutes * 60_000);
    const link = em.create(LoginLink, { userId: user.id, purpose, expiresAt, tokenHash: '' });
    link.tokenHash = hashToken(linkToken(this.secret.key, link.id));
    this.mailer.queue(em, {
      template: `auth.${purpose}`,
      recipient: user,
      linkId: link.id,
      expiresAt,
      // Names an applicant chose reach the email only if no mail program could make a link of them.
      invitedBy: linkFree(invitedBy),
      group: group && { name: linkFree(group.name) },
      at: now,
    });
    return link.id;
  }

  /** Exchanges a link's token for a session; the link is spent, whatever happens next. */
  async exchange(token: string, ip: string | undefined): Promise<SessionGrant> {
    return this.orm.em.fork().transactional(async (em) => {
      const link = await db(em)
        .updateTable('login_link')
        .set({ used_at: sql<Date>`now()` })
        .where('token_hash', '=', hashToken(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', sql<Date>`now()`)
        .returning(['id', 'user_id', 'purpose'])
        .executeTakeFirst();
      if (!link) {
        const known = await db(em)
          .selectFrom('login_link')
          .select((eb) => eb('used_at', 'is not', null).as('used'))
          .where('token_hash', '=', hashToken(token))
          .executeTakeFirst();
        const why = !known ? 'unknown' : known.used ? 'already used' : 'expired';
        this.logger.warn({ ip, why }, 'sign-in link refused');
        throw DomainError.because(ErrorCode.Unauthenticated, [{ key: 'auth.linkSpent', params: {} }]);
      }
      const user = await em.findOneOrFail(User, { id: link.user_id });
      const session = generateSessionToken();
      const expiresAt = new Date(Date.now() + this.config.SESSION_HOURS * 3_600_000);
      em.create(UserSession, { userId: user.id, tokenHash: hashToken(session), expiresAt });
      if (link.purpose === 'group_invitation') await this.joinInvitedGroup(em, link.id, user);
      this.logger.log({ user: user.id, ip }, 'signed in');
      return {
        token: session,
        expiresAt: expiresAt.toISOString(),
        user: authenticatedUserOf(user),
      };
    });
  }

  /** Accepting an invitation: the applicant signed in with its link joins its group (once). */
  private async joinInvitedGroup(em: EntityManager, linkId: string, user: User): Promise<void> {
    if (user.role !== 'applicant') return;
    const invitation = await db(em)
      .updateTable('group_invitation')
      .set({ accepted_at: sql<Date>`now()` })
      .where('link_id', '=', linkId)
      .where('accepted_at', 'is', null)
      .returning('group_id')
      .executeTakeFirst();
    if (!invitation) return;
    await db(em)
      .insertInto('group_member')
      .values({ group_id: invitation.group_id, user_id: user.id, joined_at: sql<Date>`now()` })
      .onConflict((conflict) => conflict.doNothing())
      .execute();
    this.logger.log({ user: user.id, group: invitation.group_id }, 'joined a group by invitation');
  }

  /** Ends one session (logout). Revoking everything a person signs in with is IdentityService.revokeAll. */
  async endSession(token: string): Promise<void> {
    await db(this.orm.em.fork())
      .updateTable('user_session')
      .set({ revoked_at: sql<Date>`now()` })
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .execute();
    this.identity.forgetToken(token);
  }
}
