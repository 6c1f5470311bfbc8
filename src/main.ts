import './config/node-check';
import 'reflect-metadata';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { openEmbedded, openOrm, type DatabaseTarget } from './config/database';
import { ENTITIES } from './entities';
import { DataDirLocked, lockDataDir } from './config/data-dir-lock';
import { SetupService } from './identity/setup.service';

async function main(): Promise<void> {
  const config = loadConfig();
  // Held until the process ends: one embedded database per directory.
  if (!config.DATABASE_URL)
    await lockDataDir(config.dataDir, config.DATA_DIR, 'stop it, or give this one another DATA_DIR');
  const pglite = config.DATABASE_URL ? null : await openEmbedded(config.dataDir);
  const target: DatabaseTarget = pglite
    ? { kind: 'embedded', pglite }
    : { kind: 'server', url: config.DATABASE_URL as string };
  const log = pino({ level: config.LOG_LEVEL });
  const orm = await openOrm(target, ENTITIES, (message) => log.info({ context: 'database' }, message)).catch(
    async (error: unknown) => {
      await pglite?.close();
      throw error;
    },
  );
  const app = await createApp(config, orm, pglite);
  await app.listen(config.PORT);
  const where = pglite ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL server';
  new Logger('main').log(`listening on http://localhost:${config.PORT} (${where}); API docs at /docs`);
  const setupLink = await app.get(SetupService).openLink();
  // To the terminal only, never into the log stream or LOG_FILE, where a reader could take the first manager's seat.
  if (setupLink)
    process.stdout.write(`\nno manager yet: open ${setupLink} to create the first one (the link works once)\n\n`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : error instanceof DataDirLocked
        ? `refusing to start: ${error.message}`
        : `failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
