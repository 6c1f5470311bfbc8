import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The embedded template (migrated once in global setup) every embedded test file starts from. */
export const TEMPLATE_PATH = join(tmpdir(), `grants-pglite-template-${process.ppid}-${process.pid}.tar`);
export const TEMPLATE_ENV = 'GRANTS_PGLITE_TEMPLATE';

/** Refuses any database whose name lacks "test", so a suite can never touch real data. */
export function assertTestDatabase(url: string): void {
  const name = new URL(url).pathname.replace(/^\//, '');
  if (!name.includes('test'))
    throw new Error(`TEST_DATABASE_URL must name a database containing "test", not "${name}"`);
}
