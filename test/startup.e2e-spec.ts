import { randomUUID } from 'node:crypto';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { openTestDatabase } from './support/harness';
import { callWorkflow } from '../workflows/call.machine';

describe('start-up', () => {
  it('refuses to start when a persisted instance has a machine version this build cannot load', async () => {
    const { orm, pglite } = await openTestDatabase();
    const id = randomUUID();
    await orm.em.getConnection().execute(
      `insert into workflow_instance (id, machine_id, machine_version, state, snapshot, subject_type, subject_id, last_hash)
       values (?, 'call', 99, 'draft', '{}', 'call', ?, '')`,
      [id, randomUUID()],
    );
    try {
      await expect(
        createApp(loadConfig({ LOG_LEVEL: 'silent', TIMER_POLL_MS: '0', MAIL_POLL_MS: '0' }), orm, pglite),
      ).rejects.toThrow(
        new RegExp(
          `refusing to start: .*call v99 \\(this build has v${callWorkflow.version} and no migration from v99\\)`,
        ),
      );
    } finally {
      // Leave the shared server database loadable for the other suites.
      await orm.em.getConnection().execute('delete from workflow_instance where id = ?', [id]);
      await orm.close(true);
      await pglite?.close();
    }
  });

  it('rejects a bad configuration with one line naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      'invalid configuration: DATABASE_URL must be a postgres:// URL',
    );
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/grants_test' }).DATABASE_URL).toBe(
      'postgres://postgres@127.0.0.1:5432/grants_test',
    );
  });
});
