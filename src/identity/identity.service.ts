import { Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { LRUCache } from 'lru-cache';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { ApiToken, User, type Locale } from './identity.entities';
import { generateToken, hashToken } from './tokens';

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  locale?: Locale;
}

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
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
    const email = input.email.trim().toLowerCase();
    // Mail goes only to addresses checked here, never to one taken from free text.
    if (!isEmail(email)) throw new DomainError(ErrorCode.ValidationFailed, `${JSON.stringify(input.email)} is not an email address`);
    return this.orm.em.fork().transactional(async (em) => {
      if (await em.count(User, { email })) throw new DomainError(ErrorCode.Conflict, `a user with email ${email} already exists`);
      const user = em.create(User, { email, name: input.name, role: input.role, locale: input.locale ?? 'en' });
      const token = this.issueToken(em, user.id, 'created with the account');
      return { user, token };
    });
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
      this.recent.clear();
      return { id: user.id, email: user.email, name: user.name, role: user.role, locale: user.locale };
    });
  }

  /** The user a bearer token belongs to, or null for an unknown or revoked token. */
  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    const tokenHash = hashToken(token);
    const cached = this.recent.get(tokenHash);
    if (cached) return cached;
    const rows = await this.orm.em.getConnection().execute<AuthenticatedUser[]>(
      `select u.id, u.email, u.name, u.role, u.locale
         from api_token t join app_user u on u.id = t.user_id
        where t.token_hash = ? and t.revoked_at is null`,
      [tokenHash],
    );
    if (rows[0]) this.recent.set(tokenHash, rows[0]);
    return rows[0] ?? null;
  }
}
