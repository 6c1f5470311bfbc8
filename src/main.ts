import './config/node-check';
import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { openEmbedded, openOrm, type DatabaseTarget } from './config/database';

async function main(): Promise<void> {
  const config = loadConfig();
  const pglite = config.DATABASE_URL ? null : await openEmbedded(config.dataDir);
  const target: DatabaseTarget = pglite ? { kind: 'embedded', pglite } : { kind: 'server', url: config.DATABASE_URL as string };
  const log = pino({ level: config.LOG_LEVEL });
  const orm = await openOrm(target, (message) => log.info({ context: 'database' }, message)).catch(async (error: unknown) => {
    await pglite?.close();
    throw error;
  });
  const app = await createApp(config, orm, pglite);
  await app.listen(config.PORT);
  const where = pglite ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server';
  new Logger('main').log(`listening on http://localhost:${config.PORT} (${where}); API docs at /docs`);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : `failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
