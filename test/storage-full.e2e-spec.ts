import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { IdentityService } from '../src/identity/identity.service';
import { pilotCall } from './support/fixtures';
import { openFreshDatabase, type FreshDatabase } from './support/fresh-database';

// A database that cannot write, made without filling a disk: a trigger refuses every write of a
// workflow instance with the SQLSTATE a full disk gives (PGlite and PostgreSQL alike answer
// 53100 "could not extend file ...: No space left on device").
const refuseWrites = (sqlState: string) => [
  `create or replace function refuse_for_test() returns trigger language plpgsql as $$
     begin raise exception 'could not extend file: No space left on device' using errcode = '${sqlState}'; end $$`,
  'drop trigger if exists refuse_for_test on workflow_instance',
  'create trigger refuse_for_test before insert or update on workflow_instance for each row execute function refuse_for_test()',
];
const FREE_SPACE = 'drop trigger refuse_for_test on workflow_instance';

describe('a database that cannot write', () => {
  let db: FreshDatabase;
  let app: NestExpressApplication;
  let auth: string;
  const dir = mkdtempSync(join(tmpdir(), 'grants-full-'));
  const http = () => request(app.getHttpServer());
  const sql = (statement: string) => db.orm.em.fork().getConnection().execute(statement);

  beforeAll(async () => {
    db = await openFreshDatabase();
    app = await createApp(
      loadConfig({ LOG_LEVEL: 'silent', TIMER_POLL_MS: '0', MAIL_POLL_MS: '0', DATA_DIR: dir }),
      db.orm,
      db.pglite,
    );
    const identity = app.get(IdentityService);
    const programme = await identity.ensureProgramme('Programme on a full disk');
    auth = `Bearer ${(await identity.createUser({ email: 'manager@example.test', name: 'Manager', role: 'manager', programmeId: programme.id })).token}`;
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers writes 503 STORAGE_FULL and is not ready until a write goes through again', async () => {
    await http().get('/health/ready').expect(200);
    for (const statement of refuseWrites('53100')) await sql(statement);

    const refused = await http().post('/calls').set('authorization', auth).send(pilotCall()).expect(503);
    expect(refused.body.error).toMatchObject({
      code: 'STORAGE_FULL',
      message: 'The database has no disk space left to write this: try again later.',
      details: { reasons: [{ key: 'service.storageFull' }] },
    });
    const ready = await http().get('/health/ready').expect(503);
    expect(ready.body.error.writes).toEqual({
      status: 'down',
      message: expect.stringMatching(
        /^the database refused a write for lack of disk space \(SQLSTATE 53100\) \d+ s ago$/,
      ),
    });
    expect(ready.body.info.database).toEqual({ status: 'up' });
    // Reads go on.
    await http().get('/calls').set('authorization', auth).expect(200);

    await sql(FREE_SPACE);
    await http().post('/calls').set('authorization', auth).send(pilotCall()).expect(201);
    await http().get('/health/ready').expect(200);
  });

  it('answers 503 UNAVAILABLE when the database is short of memory or connections, and recovers alike', async () => {
    for (const [sqlState, what] of [
      ['53200', 'memory'],
      ['53300', 'connections'],
    ]) {
      for (const statement of refuseWrites(sqlState)) await sql(statement);
      const refused = await http().post('/calls').set('authorization', auth).send(pilotCall()).expect(503);
      expect(refused.body.error).toMatchObject({
        code: 'UNAVAILABLE',
        message: `The database is short of ${what}: try again later.`,
        details: { reasons: [{ key: 'service.shortOf', params: { what } }] },
      });
      expect((await http().get('/health/ready').expect(503)).body.error.writes.message).toContain(
        `lack of ${what} (SQLSTATE ${sqlState})`,
      );

      await sql(FREE_SPACE);
      await http().post('/calls').set('authorization', auth).send(pilotCall()).expect(201);
      await http().get('/health/ready').expect(200);
    }
  });
});
