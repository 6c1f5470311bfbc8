import { spawn, spawnSync, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { EMBEDDED_EXTENSIONS, openOrm, type DatabaseTarget } from '../src/config/database';
import { ENTITIES } from '../src/entities';
import { IdentityService } from '../src/identity/identity.service';
import { pilotCall } from './support/fixtures';
import supertest from 'supertest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The database a restart test uses: the test server, or an embedded one kept on disk. */
async function open(dataDir: string): Promise<{ target: DatabaseTarget; pglite: PGlite | null }> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return { target: { kind: 'server', url }, pglite: null };
  const pglite = await PGlite.create({ dataDir, extensions: EMBEDDED_EXTENSIONS });
  return { target: { kind: 'embedded', pglite }, pglite };
}

async function start(dataDir: string, pollMs: string) {
  const { target, pglite } = await open(dataDir);
  const app = await createApp(
    loadConfig({ LOG_LEVEL: 'silent', TIMER_POLL_MS: pollMs, MAIL_POLL_MS: '0' }),
    await openOrm(target, ENTITIES),
    pglite,
  );
  return app;
}

describe('across a restart', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'grants-restart-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fires a timer that fell due while the service was down, once, at the next start', async () => {
    const first = await start(join(dir, 'pgdata'), '0');
    const identity = first.get(IdentityService);
    const programme = await identity.ensureProgramme('Restart programme');
    const { token } = await identity.createUser({
      email: `m-${Date.now()}@example.test`,
      name: 'Manager',
      role: 'manager',
      programmeId: programme.id,
    });
    const auth = `Bearer ${token}`;
    const closesAt = new Date(Date.now() + 1500);
    const created = await supertest(first.getHttpServer())
      .post('/calls')
      .set('authorization', auth)
      .send(pilotCall({ closesAt: closesAt.toISOString() }))
      .expect(201);
    const id = created.body.id as string;
    await supertest(first.getHttpServer())
      .post(`/calls/${id}/events`)
      .set('authorization', auth)
      .send({ type: 'PUBLISH' })
      .expect(200);
    await first.close();

    await sleep(Math.max(0, closesAt.getTime() - Date.now()) + 100);

    const second = await start(join(dir, 'pgdata'), '50');
    try {
      const http = () => supertest(second.getHttpServer());
      let state = 'open';
      for (let i = 0; i < 100 && state === 'open'; i++) {
        await sleep(50);
        state = (await http().get(`/calls/${id}`).set('authorization', auth).expect(200)).body.state;
      }
      expect(state).toBe('closed');
      const history = await http().get(`/calls/${id}/history`).set('authorization', auth).expect(200);
      const closes = history.body.filter((r: { event: string }) => r.event === 'CLOSE');
      expect(closes).toHaveLength(1);
      expect(closes[0].actor.role).toBe('system');
    } finally {
      await second.close();
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function waitFor(child: ChildProcess, text: string, output: { text: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.text += chunk.toString();
      if (output.text.includes(text)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output.text += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`exited with ${code} before "${text}":\n${output.text}`)));
  });
}

/** POST whose SIGTERM is sent the moment the request has left: it is in flight during shutdown. */
function postDuringShutdown(
  port: number,
  path: string,
  auth: string,
  body: unknown,
  child: ChildProcess,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      {
        port,
        host: '127.0.0.1',
        path,
        method: 'POST',
        headers: {
          authorization: auth,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload, () => child.kill('SIGTERM'));
  });
}

describe('graceful shutdown of the service process', () => {
  const main = join(__dirname, '..', 'dist', 'src', 'main.js');
  const cli = join(__dirname, '..', 'dist', 'src', 'cli.js');

  it('finishes the request in flight on SIGTERM and leaves the embedded database whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'grants-shutdown-'));
    try {
      const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'info', DATABASE_URL: '' };
      const printed = execFileSync(
        process.execPath,
        [cli, 'user:create', '--email', 'manager@example.test', '--role', 'manager'],
        { env },
      ).toString();
      const auth = `Bearer ${printed.trim().split('\n').at(-1)}`;
      const port = await freePort();
      const child = spawn(process.execPath, ['--liftoff-only', main], {
        env: { ...env, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const output = { text: '' };
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      await waitFor(child, 'listening on', output);

      const http = supertest(`http://127.0.0.1:${port}`);
      const calls: string[] = [];
      for (let i = 0; i < 3; i++)
        calls.push((await http.post('/calls').set('authorization', auth).send(pilotCall()).expect(201)).body.id);
      // One published: its budget is the ledger's one row.
      await http.post(`/calls/${calls[0]}/events`).set('authorization', auth).send({ type: 'PUBLISH' }).expect(200);
      const inFlight = await postDuringShutdown(port, '/calls', auth, pilotCall(), child);
      const { code, signal } = await exited;

      expect(inFlight).toBe(201);
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(output.text).toContain('database closed');
      expect(output.text).toContain('"correlationId"');
      expect(output.text).not.toContain(auth.slice('Bearer '.length));

      const verified = execFileSync(process.execPath, [cli, 'verify-log'], { env }).toString();
      expect(verified).toContain('4 chains, 5 rows checked, 0 broken');
      const ledger = execFileSync(process.execPath, [cli, 'verify-ledger'], { env }).toString();
      expect(ledger).toContain('1 ledger rows, 1 transitions and 0 tranches checked, 0 different');

      const pglite = await PGlite.create({ dataDir: join(dir, 'pgdata'), extensions: EMBEDDED_EXTENSIONS });
      try {
        const calls = await pglite.query<{ n: number }>('select count(*)::int as n from call');
        const instances = await pglite.query<{ n: number }>(
          `select count(*)::int as n from workflow_instance where machine_id = 'call'`,
        );
        const logs = await pglite.query<{ n: number }>('select count(*)::int as n from transition_log');
        expect(calls.rows[0].n).toBe(4);
        expect(instances.rows[0].n).toBe(4);
        expect(logs.rows[0].n).toBe(5);
        // A ledger row changed behind its trigger's back is found by verify-ledger, which exits 1.
        await pglite.exec(`alter table ledger_entry disable trigger ledger_entry_append_only;
          update ledger_entry set amount_minor = amount_minor - 100;
          alter table ledger_entry enable trigger ledger_entry_append_only`);
      } finally {
        await pglite.close();
      }
      const corrupted = spawnSync(process.execPath, [cli, 'verify-ledger'], { env, encoding: 'utf8' });
      expect(corrupted.status).toBe(1);
      expect(corrupted.stdout).toContain(
        `DIFFERENT call ${calls[0]} at seq 2 (PUBLISH): the transition moves budgeted 12500.00 EUR; the ledger holds budgeted 12499.00 EUR`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('start-up of the service process', () => {
  it('stops with one clear line and exit code 1 on a bad DATABASE_URL', () => {
    const main = join(__dirname, '..', 'dist', 'src', 'main.js');
    let failure: { status: number | null; stderr: Buffer } | undefined;
    try {
      execFileSync(process.execPath, [main], {
        env: { ...process.env, DATABASE_URL: 'mysql://nowhere/grants' },
        stdio: 'pipe',
      });
    } catch (error) {
      failure = error as { status: number | null; stderr: Buffer };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr.toString()).toBe('invalid configuration: DATABASE_URL must be a postgres:// URL\n');
  });
});
