import { OptionalProps } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Role } from '../../workflows/kit';
import type { Locale } from '../../workflows/localised';

@Entity({ tableName: 'app_user' })
export class User {
  [OptionalProps]?: 'id' | 'createdAt' | 'locale' | 'programmeId';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stored lower-cased; unique. */
  @Property({ type: 'text', unique: true })
  email!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  locale: Locale = 'en';

  @Property({ type: 'text' })
  role!: Role;

  /** The programme a manager, finance officer or committee member works for; null for applicants. */
  @Property({ type: 'uuid', nullable: true })
  programmeId?: string | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** A bearer token for the API. Only its SHA-256 hash is stored; the token is shown once. */
@Entity({ tableName: 'api_token' })
export class ApiToken {
  [OptionalProps]?: 'id' | 'createdAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'text' })
  label!: string;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}

/** What a link is for: signing in, a first sign-in after a manager's invitation, or joining a group. */
export type LinkPurpose = 'sign_in' | 'invitation' | 'group_invitation';

/** A one-time sign-in link: only its token's hash is stored; used once, within its lifetime. */
@Entity({ tableName: 'login_link' })
export class LoginLink {
  [OptionalProps]?: 'id' | 'createdAt' | 'usedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'text' })
  purpose!: LinkPurpose;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}

/** A signed-in session, from a sign-in link: a cookie for browsers, a bearer token for API clients. */
@Entity({ tableName: 'user_session' })
export class UserSession {
  [OptionalProps]?: 'id' | 'createdAt' | 'revokedAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Index()
  @Property({ type: 'uuid' })
  userId!: string;

  @Property({ type: 'text', unique: true })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'datetime' })
  createdAt: Date = new Date();
}
