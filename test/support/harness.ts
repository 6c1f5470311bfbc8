import 'reflect-metadata';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import type { Role } from '../../workflows/kit';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { openOrm, type Orm } from '../../src/config/database';
import type { Locale } from '../../src/identity/identity.entities';
import { IdentityService } from '../../src/identity/identity.service';
import { TEMPLATE_ENV } from './database';

export interface UserDetails {
  name?: string;
  locale?: Locale;
  email?: string;
}

export interface Harness {
  app: NestExpressApplication;
  orm: Orm;
  pglite: PGlite | null;
  http: () => ReturnType<typeof request>;
  /** Creates a user and returns the Authorization header value for them. */
  user: (role: Role, details?: UserDetails) => Promise<{ id: string; auth: string; email: string }>;
  /** Where this app keeps its files (.eml mail among them): a fresh temporary folder. */
  dataDir: string;
  /** Authorization headers of a manager and an applicant made at start. */
  manager: string;
  applicant: string;
  close: () => Promise<void>;
}

/** Opens a fresh database: a copy of the embedded template, or the shared test server. */
export async function openTestDatabase(): Promise<{ orm: Orm; pglite: PGlite | null }> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { orm: await openOrm({ kind: 'server', url }), pglite: null };
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('the embedded template is missing: run the suite through npm test');
  const pglite = await PGlite.create({ loadDataDir: new Blob([readFileSync(template)]) });
  return { orm: await openOrm({ kind: 'embedded', pglite }), pglite };
}

/** A real app on a real database, with the scheduler and the mail worker stopped unless a test drives them. */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const { orm, pglite } = await openTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'grants-test-'));
  const config = loadConfig({
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TIMER_POLL_MS: '0',
    MAIL_POLL_MS: '0',
    DATA_DIR: dataDir,
    ...env,
  });
  const app = await createApp(config, orm, pglite);
  const identity = app.get(IdentityService);
  const user = async (role: Role, details: UserDetails = {}) => {
    const email = details.email ?? `${role}-${randomUUID()}@example.test`;
    const created = await identity.createUser({ email, name: details.name ?? `A ${role}`, role, locale: details.locale });
    return { id: created.user.id, auth: `Bearer ${created.token}`, email: created.user.email };
  };
  return {
    app,
    orm,
    pglite,
    http: () => request(app.getHttpServer()),
    user,
    dataDir,
    manager: (await user('manager')).auth,
    applicant: (await user('applicant')).auth,
    close: () => app.close(),
  };
}
