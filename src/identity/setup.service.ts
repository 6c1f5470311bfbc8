import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../common/domain-error';
import { db } from '../common/kysely';
import { Programme } from '../organisations/organisation.entities';
import { User, UserSession } from './identity.entities';
import { authenticatedUserOf, IdentityService } from './identity.service';
import type { SessionGrant } from './identity.views';
import { generateSessionToken, hashToken } from './tokens';
import type { Locale } from '../../workflows/localised';

export interface FirstManager {
  email: string;
  name: string;
  locale?: Locale;
}

/** The shape of a setup token, so a sign-in or API token is never taken for one. */
export const SETUP_TOKEN = /^gwm_[A-Za-z0-9_-]{43}$/;

// Serialises the creation of the first manager across every process on the database.
const SETUP_LOCK_KEY = 7_346_150_012;

/**
 * The first manager, made without the CLI: while no manager exists, the service prints a one-time
 * link at start (`/setup?token=...`), whose page makes the manager in the programme
 * `PROGRAMME_NAME` and signs them in. The token is held by this process only as a hash, works once,
 * and is refused as soon as any manager exists, on whichever process made one.
 */
@Injectable()
export class SetupService {
  private readonly logger = new Logger('setup');
  private tokenHash: string | null = null;

  constructor(
    private readonly orm: MikroORM,
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly identity: IdentityService,
  ) {}

  /** A new setup link, replacing any earlier one of this process; null when a manager exists. */
  async openLink(): Promise<string | null> {
    if (await this.managerExists(this.orm.em.fork())) {
      this.tokenHash = null;
      return null;
    }
    const token = `gwm_${randomBytes(32).toString('base64url')}`;
    this.tokenHash = hashToken(token);
    return `${this.config.BASE_URL.replace(/\/+$/, '')}/setup?token=${token}`;
  }

  /** Refuses a token that is not this process's live setup token, or any token once a manager exists. */
  async check(token: string): Promise<void> {
    this.assertToken(token);
    if (await this.managerExists(this.orm.em.fork())) this.refuseManagerExists();
  }

  /** Makes the first manager and a session for them; the token is spent. */
  async createFirstManager(token: string, input: FirstManager): Promise<SessionGrant> {
    this.assertToken(token);
    const grant = await this.orm.em.fork().transactional(async (em) => {
      await db(em)
        .selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.val(SETUP_LOCK_KEY)]).as('locked'))
        .execute();
      if (await this.managerExists(em)) this.refuseManagerExists();
      const programme =
        (await em.findOne(Programme, { name: this.config.PROGRAMME_NAME })) ??
        em.create(Programme, { name: this.config.PROGRAMME_NAME });
      const user = await this.identity.insertUser(em, { ...input, role: 'manager', programmeId: programme.id });
      const session = generateSessionToken();
      const expiresAt = new Date(Date.now() + this.config.SESSION_HOURS * 3_600_000);
      em.create(UserSession, { userId: user.id, tokenHash: hashToken(session), expiresAt });
      return { token: session, expiresAt: expiresAt.toISOString(), user: authenticatedUserOf(user) };
    });
    this.tokenHash = null;
    this.logger.log({ user: grant.user.id }, 'first manager created with the setup link');
    return grant;
  }

  private assertToken(token: string): void {
    if (this.tokenHash === null || hashToken(token) !== this.tokenHash) {
      throw DomainError.because(ErrorCode.Unauthenticated, [{ key: 'setup.linkSpent', params: {} }]);
    }
  }

  private refuseManagerExists(): never {
    this.tokenHash = null;
    throw DomainError.because(ErrorCode.Conflict, [{ key: 'setup.managerExists', params: {} }]);
  }

  private async managerExists(em: EntityManager): Promise<boolean> {
    return (await em.count(User, { role: 'manager' })) > 0;
  }
}
