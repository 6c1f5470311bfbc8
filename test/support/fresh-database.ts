import { randomBytes } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { openOrm, type Orm } from '../../src/config/database';
import { ENTITIES } from '../../src/entities';
import { openTestDatabase } from './harness';

export interface FreshDatabase {
  orm: Orm;
  pglite: PGlite | null;
  /** Removes the server database (after the app on it is closed); nothing to do for an embedded copy. */
  drop: () => Promise<void>;
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A migrated database no other suite has written to, for a test that needs one empty (no manager
 * yet) or changed (a trigger): a copy of the embedded template, or a new database beside
 * TEST_DATABASE_URL on the server, made with its owner's rights and dropped after.
 */
export async function openFreshDatabase(): Promise<FreshDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return { ...(await openTestDatabase()), drop: async () => undefined };
  const name = `grants_fresh_${randomBytes(4).toString('hex')}_test`;
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  const drop = () => onServer(url, `drop database if exists ${name} with (force)`);
  await onServer(url, `create database ${name}`);
  const orm = await openOrm({ kind: 'server', url: fresh.toString() }, ENTITIES).catch(async (error: unknown) => {
    await drop();
    throw error;
  });
  return { orm, pglite: null, drop };
}
