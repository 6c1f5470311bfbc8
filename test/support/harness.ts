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
import { EMBEDDED_EXTENSIONS, openOrm, type Orm } from '../../src/config/database';
import { ENTITIES } from '../../src/entities';
import { IdentityService, STAFF_ROLES } from '../../src/identity/identity.service';
import { ApplicantGroup, GroupMember } from '../../src/organisations/organisation.entities';
import { TEMPLATE_ENV } from './database';
import type { Locale } from '../../workflows/localised';

export interface UserDetails {
  name?: string;
  locale?: Locale;
  email?: string;
  /** Staff: their programme (the harness's own by default). */
  programmeId?: string;
  /** Applicants: the group they join; by default a new group of their own. */
  groupId?: string;
  /** Applicants: where their own new group works (Gulistan by default). */
  municipality?: string;
  /** Applicants: in no group at all, as someone who signs in for the first time. */
  noGroup?: boolean;
}

export interface TestUser {
  id: string;
  auth: string;
  email: string;
  /** The applicant's group. */
  groupId: string | null;
}

export interface Harness {
  app: NestExpressApplication;
  orm: Orm;
  pglite: PGlite | null;
  http: () => ReturnType<typeof request>;
  /** Creates a user and returns the Authorization header value for them. */
  user: (role: Role, details?: UserDetails) => Promise<TestUser>;
  /** The programme the harness's staff work for. */
  programmeId: string;
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
  if (url) return { orm: await openOrm({ kind: 'server', url }, ENTITIES), pglite: null };
  const template = process.env[TEMPLATE_ENV];
  if (!template) throw new Error('the embedded template is missing: run the suite through npm test');
  const pglite = await PGlite.create({
    loadDataDir: new Blob([readFileSync(template)]),
    extensions: EMBEDDED_EXTENSIONS,
  });
  return { orm: await openOrm({ kind: 'embedded', pglite }, ENTITIES), pglite };
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
  const programme = await identity.ensureProgramme(`Test programme ${randomUUID()}`);
  const user = async (role: Role, details: UserDetails = {}): Promise<TestUser> => {
    const email = details.email ?? `${role}-${randomUUID()}@example.test`;
    const staff = STAFF_ROLES.includes(role);
    const created = await identity.createUser({
      email,
      name: details.name ?? `A ${role}`,
      role,
      locale: details.locale,
      programmeId: staff ? (details.programmeId ?? programme.id) : null,
    });
    const groupId =
      staff || details.noGroup ? null : await joinGroup(orm, created.user.id, details.groupId, details.municipality);
    return { id: created.user.id, auth: `Bearer ${created.token}`, email: created.user.email, groupId };
  };
  return {
    app,
    orm,
    pglite,
    http: () => request(app.getHttpServer()),
    user,
    programmeId: programme.id,
    dataDir,
    manager: (await user('manager')).auth,
    applicant: (await user('applicant')).auth,
    close: () => app.close(),
  };
}

/** Puts an applicant in a group: the one given, or a new one of their own (in Gulistan unless named). */
async function joinGroup(
  orm: Orm,
  userId: string,
  groupId: string | undefined,
  municipality = 'Gulistan',
): Promise<string> {
  return orm.em.fork().transactional(async (em) => {
    const id =
      groupId ??
      em.create(ApplicantGroup, {
        name: `Initiative group ${userId.slice(0, 8)}`,
        municipality,
        oblast: 'Osh',
        contactUserId: userId,
      }).id;
    em.create(GroupMember, { groupId: id, userId });
    return id;
  });
}
