import '../src/config/node-check';
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_EXTENSIONS, openOrm } from '../src/config/database';
import { ENTITIES } from '../src/entities';
import { assertTestDatabase, TEMPLATE_ENV, TEMPLATE_PATH } from './support/database';

/** Migrates the database once: the server given by TEST_DATABASE_URL, or an embedded template. */
export default async function globalSetup(): Promise<void> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    assertTestDatabase(url);
    const orm = await openOrm({ kind: 'server', url }, ENTITIES);
    await orm.close(true);
    return;
  }
  const pglite = await PGlite.create({ extensions: EMBEDDED_EXTENSIONS });
  const orm = await openOrm({ kind: 'embedded', pglite }, ENTITIES);
  await orm.close(true);
  const dump = await pglite.dumpDataDir('none');
  writeFileSync(TEMPLATE_PATH, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  process.env[TEMPLATE_ENV] = TEMPLATE_PATH;
}
