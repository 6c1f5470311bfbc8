import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { MikroORM } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { MIGRATIONS } from '../migrations';

type Options = Parameters<typeof MikroORM.init>[0];
export type Orm = MikroORM;

/** The entity classes the ORM maps: the features own them, and src/entities.ts lists them all. */
export type Entities = NonNullable<Options['entities']>;

/** Where the data lives: an embedded PGlite instance shared by everything, or a server URL. */
export type DatabaseTarget = { kind: 'embedded'; pglite: PGlite } | { kind: 'server'; url: string };

/** Extensions the schema uses, which the embedded database must load as the server has them: trigrams index title search. */
export const EMBEDDED_EXTENSIONS = { pg_trgm };

/** Opens (creating if needed) the embedded database under `dataDir/pgdata`. */
export async function openEmbedded(dataDir: string): Promise<PGlite> {
  mkdirSync(dataDir, { recursive: true });
  return PGlite.create({ dataDir: join(dataDir, 'pgdata'), extensions: EMBEDDED_EXTENSIONS });
}

/** Where the ORM's own messages (migrations applied) go; silent unless the caller says. */
export type OrmLog = (message: string) => void;

export function ormOptions(target: DatabaseTarget, entities: Entities, log: OrmLog = () => undefined): Options {
  const common: Options = {
    entities,
    extensions: [Migrator],
    // No schema snapshot files: the migrations are hand-written and listed explicitly.
    migrations: { migrationsList: MIGRATIONS, transactional: true, allOrNothing: true, snapshot: false },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    ensureDatabase: false,
    debug: false,
    colors: false,
    logger: log,
  };
  if (target.kind === 'embedded') {
    return { ...common, driver: PgliteDriver, dbName: 'postgres', driverOptions: { pglite: target.pglite } };
  }
  return { ...common, driver: PostgreSqlDriver, clientUrl: target.url, pool: { min: 0, max: 16 } };
}

/** Connects and applies pending migrations. */
export async function openOrm(target: DatabaseTarget, entities: Entities, log?: OrmLog): Promise<Orm> {
  // init() types its entity list as readonly; the services take the ORM's default type
  const orm = (await MikroORM.init(ormOptions(target, entities, log))) as MikroORM;
  await orm.migrator.up();
  return orm;
}
