import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { EMBEDDED_EXTENSIONS, openOrm, type DatabaseTarget } from '../src/config/database';
import { ENTITIES } from '../src/entities';
import { IdentityService } from '../src/identity/identity.service';

// Runs the built CLI (npm run build first), on the test server or on an embedded database of its own.
describe('npm run cli -- token:revoke', () => {
  const cli = join(__dirname, '..', 'dist', 'src', 'cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'grants-revoke-'));
  const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: process.env.TEST_DATABASE_URL ?? '' };
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { env, encoding: 'utf8' });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('revokes every API token of the user, says how many, and the token no longer signs in', async () => {
    const email = `cli-${randomUUID()}@example.test`;
    const printed = execFileSync(process.execPath, [cli, 'user:create', '--email', email, '--role', 'applicant'], {
      env,
    }).toString();
    const token = printed.trim().split('\n').at(-1) as string;

    const revoked = run('token:revoke', '--email', email.toUpperCase());
    expect({ status: revoked.status, stdout: revoked.stdout }).toEqual({
      status: 0,
      stdout: `revoked 1 API token(s) and 0 session(s) of ${email}\n`,
    });
    expect(run('token:revoke', '--email', email).stdout).toBe(`revoked 0 API token(s) and 0 session(s) of ${email}\n`);
    const unknown = run('token:revoke', '--email', 'nobody-at-all@example.test');
    expect({ status: unknown.status, stderr: unknown.stderr }).toEqual({
      status: 1,
      stderr: 'no user has the email nobody-at-all@example.test\n',
    });
    expect(run('token:revoke').status).toBe(2);

    const url = process.env.TEST_DATABASE_URL;
    const pglite = url ? null : await PGlite.create({ dataDir: join(dir, 'pgdata'), extensions: EMBEDDED_EXTENSIONS });
    const target: DatabaseTarget = pglite ? { kind: 'embedded', pglite } : { kind: 'server', url: url as string };
    const orm = await openOrm(target, ENTITIES);
    try {
      expect(await new IdentityService(orm).authenticate(token)).toBeNull();
    } finally {
      await orm.close(true);
      await pglite?.close();
    }
  });
});
