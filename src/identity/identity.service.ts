import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { LRUCache } from 'lru-cache';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { sql } from 'kysely';
import { db } from '../common/kysely';
import { fieldRefused } from '../common/validation';
import { Programme } from '../organisations/organisation.entities';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { ApiToken, User } from './identity.entities';
import { generateToken, hashToken, SESSION_PREFIX } from './tokens';
import type { Locale } from '../../workflows/localised';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  locale?: Locale;
  /** Required for staff (manager, finance, committee); applicants belong to groups instead. */
  programmeId?: string | null;
}

export const STAFF_ROLES: readonly Role[] = ['manager', 'finance', 'committee'];

export function authenticatedUserOf(
  user: Pick<User, 'id' | 'email' | 'name' | 'role' | 'locale' | 'programmeId'>,
): AuthenticatedUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    locale: user.locale,
    programmeId: user.programmeId ?? null,
  };
}

// A token looked up recently is trusted for this long without asking the database again;
// a revoked token can therefore still pass on another process for up to this long.
const TOKEN_CACHE_MS = 5_000;

@Injectable()
export class IdentityService {
  private readonly recent = new LRUCache<string, AuthenticatedUser>({ max: 10_000, ttl: TOKEN_CACHE_MS });

  constructor(private readonly orm: MikroORM) {}

  /** Creates a user with a first API token; the token is returned once and only its hash is kept. */
  async createUser(input: NewUser): Promise<{ user: User; token: string }> {
    // Mail goes only to addresses checked here, never to one taken from free text.
    const email = input.email.trim().toLowerCase();
    const staff = STAFF_ROLES.includes(input.role);
    if (staff !== Boolean(input.programmeId)) {
      throw fieldRefused('programmeId', 'user.programmeForStaff', { role: input.role });
    }
    return this.orm.em.fork().transactional(async (em) => {
      const user = await this.insertUser(em, { ...input, email });
      const token = this.issueToken(em, user.id, 'created with the account');
      return { user, token };
    });
  }

  /** Adds a user in the caller's transaction; refuses an email already taken. */
  async insertUser(em: EntityManager, input: NewUser): Promise<User> {
    const email = input.email.trim().toLowerCase();
    if (!isEmail(email)) throw fieldRefused('email', 'user.emailInvalid', { email: JSON.stringify(input.email) });
    if (await em.count(User, { email }))
      throw DomainError.because(ErrorCode.Conflict, [{ key: 'user.emailTaken', params: { email } }]);
    return em.create(User, {
      email,
      name: input.name.trim(),
      role: input.role,
      locale: input.locale ?? 'en',
      programmeId: input.programmeId ?? null,
    });
  }

  /** The programme of that name, created if it does not exist yet. */
  async ensureProgramme(name: string): Promise<Programme> {
    return this.orm.em.fork().transactional(async (em) => {
      return (await em.findOne(Programme, { name })) ?? em.create(Programme, { name });
    });
  }

  /** Forgets cached sign-ins of a user (after a revocation or a change of profile). */
  forget(userId: string): void {
    for (const [key, user] of this.recent.entries()) if (user.id === userId) this.recent.delete(key);
  }

  issueToken(em: EntityManager, userId: string, label: string): string {
    const token = generateToken();
    em.create(ApiToken, { userId, tokenHash: hashToken(token), label });
    return token;
  }

  async updateProfile(id: string, changes: { locale?: Locale; name?: string }): Promise<AuthenticatedUser> {
    return this.orm.em.fork().transactional(async (em) => {
      const user = await em.findOneOrFail(User, { id });
      if (changes.locale !== undefined) user.locale = changes.locale;
      if (changes.name !== undefined) user.name = changes.name.trim();
      // A token's cached user would show the old profile for a few seconds more.
      this.forget(user.id);
      return authenticatedUserOf(user);
    });
  }

  /**
   * The user a bearer token belongs to: a session token (`gws_`, from a sign-in link, until it
   * expires or is revoked) or an API token. Null for an unknown, expired or revoked token.
   */
  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    const tokenHash = hashToken(token);
    const cached = this.recent.get(tokenHash);
    if (cached) return cached;
    const [table, live] = token.startsWith(SESSION_PREFIX)
      ? ['user_session', 't.revoked_at is null and t.expires_at > now()']
      : ['api_token', 't.revoked_at is null'];
    const rows = await this.orm.em.getConnection().execute<(AuthenticatedUser & { programme_id: string | null })[]>(
      `select u.id, u.email, u.name, u.role, u.locale, u.programme_id
         from ${table} t join app_user u on u.id = t.user_id
        where t.token_hash = ? and ${live}`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const user = authenticatedUserOf({ ...row, programmeId: row.programme_id });
    this.recent.set(tokenHash, user);
    return user;
  }

  /**
   * Signs a person out everywhere: ends their open sessions and revokes their API tokens, and
   * forgets them in this process at once (other processes within TOKEN_CACHE_MS).
   */
  async revokeAll(userId: string): Promise<{ sessions: number; apiTokens: number }> {
    const { sessions, apiTokens } = await this.orm.em.fork().transactional(async (em) => ({
      sessions: await db(em)
        .updateTable('user_session')
        .set({ revoked_at: sql<Date>`now()` })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', sql<Date>`now()`)
        .returning('id')
        .execute(),
      apiTokens: await db(em)
        .updateTable('api_token')
        .set({ revoked_at: sql<Date>`now()` })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .returning('id')
        .execute(),
    }));
    this.forget(userId);
    return { sessions: sessions.length, apiTokens: apiTokens.length };
  }

  /** Drops a token from this process's cache at once (logout); other processes forget it within seconds. */
  forgetToken(token: string): void {
    this.recent.delete(hashToken(token));
  }
}
