import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbedded, openOrm, type DatabaseTarget } from '../src/config/database';
import { ENTITIES } from '../src/entities';
import { IdentityService } from '../src/identity/identity.service';
import { bareOnEmbedded, bareOnServer } from './bare';
import { financeBench } from './finance';
import { addGroup, benchApplication, benchCall, benchManager } from './fixtures';
import { requestJson } from './http';
import { listBench, type RunningService } from './lists';
import { pageUsers, pagesBench } from './pages';
import { rankingBench } from './ranking';
import { describeLoad, runLoad, throughput, type LoadResult } from './load';
import { describeDispatch, measureDispatch, startMailSink } from './mail';
import { QueueProbe, Sampler, describeSustained } from './sustained';

// npm run bench: concurrent clients send valid events to the service over HTTP, then the same
// writes run as bare SQL transactions with the same concurrency; both on the embedded database
// and, with BENCH_DATABASE_URL, on a server. The mail worker is off during the engine run; the
// emails those transitions queued are then sent by a fresh service to an SMTP sink, for the
// dispatch rate. On the server a sustained run follows: clients keep sending events with the mail
// worker on, and every 10 s the bench prints both rates, the backlog and the service's memory
// (`npm run bench -- --sustained` runs it alone). On each database the pages part follows: the
// weight of the initiative group's pages and their server time under signed-in applicants
// (`npm run bench -- --pages` runs it alone, on the server if one is given, else embedded).
// Last on the server, two seeded programmes: GET /applications over 100,000 applications, then
// a finance officer's queue and the ledger (CSV, balances, one call's) over 10,000 grants with
// their tranches and ledger rows (`npm run bench -- --finance` runs the finance part alone).

const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SERVER_URL = process.env.BENCH_DATABASE_URL;
const SUSTAINED_SECONDS = Number(process.env.BENCH_SUSTAINED_SECONDS ?? 60);
const SUSTAINED_CLIENTS = Number(process.env.BENCH_SUSTAINED_CLIENTS ?? 16);
const DRAIN_SECONDS = Number(process.env.BENCH_DRAIN_SECONDS ?? 60);
const SUSTAINED_MAX = Number(process.env.BENCH_SUSTAINED_MAX ?? 200_000);
/** `npm run bench -- --sustained`: only the sustained mail run, on the server. */
const SUSTAINED_ONLY = process.argv.includes('--sustained');
/** `npm run bench -- --pages`: only the pages part. */
const PAGES_ONLY = process.argv.includes('--pages');
/** `npm run bench -- --finance`: only the finance reads, on the server. */
const FINANCE_ONLY = process.argv.includes('--finance');
const POOL_SIZE = 16; // the service's own pool size on a server
const MAIN = join(__dirname, '..', 'src', 'main.js');

interface Tokens {
  manager: string;
  applicant: string;
}

async function createUsers(target: DatabaseTarget): Promise<Tokens> {
  const orm = await openOrm(target, ENTITIES);
  try {
    const identity = new IdentityService(orm);
    const tag = `${process.pid}-${Date.now()}`;
    const manager = await benchManager(identity, tag);
    const applicant = await identity.createUser({
      email: `bench-applicant-${tag}@example.test`,
      name: 'Bench applicant',
      role: 'applicant',
    });
    await orm.em.fork().transactional(async (em) => {
      addGroup(em, applicant.user.id, 'Bench group');
    });
    return { manager, applicant: `Bearer ${applicant.token}` };
  } finally {
    await orm.close(true);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port')),
      );
    });
  });
}

async function startService(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--liftoff-only', MAIN], {
    env: { ...process.env, MAIL_POLL_MS: '0', ...env, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    const ready = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the service did not become ready');
}

async function stopService(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

// Kept-alive connections, one per client.
const agent = new Agent({ keepAlive: true, maxSockets: Math.max(CLIENTS, SUSTAINED_CLIENTS) });

function call(base: string, auth: string, path: string, body: unknown): Promise<{ id: string }> {
  return requestJson(agent, 'POST', `${base}${path}`, auth, body);
}

/** Runs for `seconds` from `clients` clients, or until `done()`; `onCommit` counts each transition as it commits. */
type EngineRun = (seconds: number, onCommit?: () => void, done?: () => boolean) => Promise<LoadResult>;

/** One submitted application per client; each client then alternates REQUEST_INFO and RESUBMIT on it. */
async function engineLoad(base: string, tokens: Tokens, clients = CLIENTS): Promise<EngineRun> {
  const { id: callId } = await call(base, tokens.manager, '/calls', benchCall('Benchmark call', clients));
  await call(base, tokens.manager, `/calls/${callId}/events`, { type: 'PUBLISH' });
  const applications: string[] = [];
  for (let i = 0; i < clients; i++) {
    const { id } = await call(base, tokens.applicant, `/calls/${callId}/applications`, benchApplication(i));
    await call(base, tokens.applicant, `/applications/${id}/events`, { type: 'SUBMIT' });
    applications.push(id);
  }
  return (seconds, onCommit, done) =>
    runLoad(
      clients,
      seconds,
      async (client, round) => {
        const path = `/applications/${applications[client]}/events`;
        if (round % 2 === 0)
          await call(base, tokens.manager, path, { type: 'REQUEST_INFO', questions: ['Who maintains the equipment?'] });
        else await call(base, tokens.applicant, path, { type: 'RESUBMIT', answers: ['The school committee.'] });
        onCommit?.();
      },
      done,
    );
}

/** Starts a service with its mail worker on, sending to a sink, and measures how fast the backlog goes. */
async function dispatch(label: string, env: Record<string, string>, backlog: number): Promise<void> {
  const sink = await startMailSink(await freePort());
  try {
    const { child } = await startService({ ...env, SMTP_URL: sink.url, MAIL_POLL_MS: '100' });
    const result = await measureDispatch(sink, SECONDS, backlog).finally(() => stopService(child));
    console.log(describeDispatch(label, result));
  } finally {
    await sink.close();
  }
}

/**
 * The mail worker on while clients keep sending events, so the backlog grows as it is worked off:
 * both rates, the backlog and the service's memory every 10 s, then the drain once the load stops.
 */
async function sustained(url: string, tokens: Tokens): Promise<void> {
  const sink = await startMailSink(await freePort());
  const probe = await QueueProbe.open(url);
  const { child, base } = await startService({ DATABASE_URL: url, SMTP_URL: sink.url, MAIL_POLL_MS: '100' });
  try {
    const load = await engineLoad(base, tokens, SUSTAINED_CLIENTS);
    let committed = 0;
    let loading = true;
    const sampler = await Sampler.start({ probe, sink, pid: child.pid ?? 0, committed: () => committed });
    console.log(
      `server sustained mail: ${SUSTAINED_CLIENTS} clients for ${SUSTAINED_SECONDS} s (at most ${SUSTAINED_MAX} transitions) ` +
        `with the mail worker on, then at most ${DRAIN_SECONDS} s of drain`,
    );
    const running = load(
      SUSTAINED_SECONDS,
      () => committed++,
      () => committed >= SUSTAINED_MAX,
    ).finally(() => (loading = false));
    const loadEnd = await sampler.phase('load ', SUSTAINED_SECONDS + 5, () => !loading, false);
    await running;
    const end = await sampler.phase('drain', DRAIN_SECONDS, () => false, true);
    console.log(describeSustained('server', sampler.first, loadEnd, end, sampler.maxRss));
  } finally {
    await stopService(child);
    await probe.close();
    await sink.close();
  }
}

/** The service as the list and pages parts take it: started with `env` added, stopped by them. */
async function running(env: Record<string, string>): Promise<RunningService> {
  const { child, base } = await startService(env);
  return { base, pid: child.pid, stop: () => stopService(child) };
}

/** The pages part on a fresh embedded database: its users are written before the service opens it. */
async function pagesOnEmbedded(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'grants-bench-pages-'));
  try {
    const pglite = await openEmbedded(dir);
    const users = await pageUsers({ kind: 'embedded', pglite }).finally(() => pglite.close());
    await pagesBench('embedded', users, (env) => running({ ...env, DATA_DIR: dir, DATABASE_URL: '' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function pagesOnServer(url: string): Promise<void> {
  const users = await pageUsers({ kind: 'server', url });
  await pagesBench('server', users, (env) => running({ ...env, DATABASE_URL: url }));
}

function report(label: string, engine: LoadResult, bare: LoadResult): number {
  const ratio = throughput(engine) / throughput(bare);
  console.log(describeLoad(`${label} engine (HTTP)`, 'transitions', engine));
  console.log(describeLoad(`${label} bare pg`, 'transactions', bare));
  return ratio;
}

async function embedded(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'grants-bench-'));
  try {
    const pglite = await openEmbedded(dir);
    const tokens = await createUsers({ kind: 'embedded', pglite });
    await pglite.close();
    const { child, base } = await startService({ DATA_DIR: dir, DATABASE_URL: '' });
    const engine = await engineLoad(base, tokens)
      .then((load) => load(SECONDS))
      .finally(() => stopService(child));
    await dispatch('embedded', { DATA_DIR: dir, DATABASE_URL: '' }, engine.ok);

    const bareDir = mkdtempSync(join(tmpdir(), 'grants-bench-bare-'));
    const barePglite = await openEmbedded(bareDir);
    const orm = await openOrm({ kind: 'embedded', pglite: barePglite }, ENTITIES);
    await orm.close(true);
    const bare = await bareOnEmbedded(barePglite, CLIENTS, SECONDS).finally(async () => {
      await barePglite.close();
      rmSync(bareDir, { recursive: true, force: true });
    });
    console.log(`ratio engine/bare (embedded): ${report('embedded', engine, bare).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function server(url: string): Promise<void> {
  const tokens = await createUsers({ kind: 'server', url });
  const { child, base } = await startService({ DATABASE_URL: url });
  const engine = await engineLoad(base, tokens)
    .then((load) => load(SECONDS))
    .finally(() => stopService(child));
  await dispatch('server', { DATABASE_URL: url }, engine.ok);
  const bare = await bareOnServer(url, CLIENTS, SECONDS, POOL_SIZE);
  console.log(`ratio engine/bare: ${report('server', engine, bare).toFixed(2)}`);
  if (SUSTAINED_SECONDS > 0) await sustained(url, tokens);
  await pagesOnServer(url);
  // Last: they seed 100,000 applications and 10,000 grants, which must not weigh on the figures above.
  await listBench(url, tokens.manager, () => running({ DATABASE_URL: url }));
  await financeBench(url, () => running({ DATABASE_URL: url }));
}

async function main(): Promise<void> {
  if (SUSTAINED_ONLY) {
    if (!SERVER_URL) throw new Error('--sustained runs on a server: set BENCH_DATABASE_URL=postgres://...');
    return sustained(SERVER_URL, await createUsers({ kind: 'server', url: SERVER_URL }));
  }
  if (FINANCE_ONLY) {
    if (!SERVER_URL) throw new Error('--finance runs on a server: set BENCH_DATABASE_URL=postgres://...');
    return financeBench(SERVER_URL, () => running({ DATABASE_URL: SERVER_URL }));
  }
  if (PAGES_ONLY) return SERVER_URL ? pagesOnServer(SERVER_URL) : pagesOnEmbedded();
  console.log(`${CLIENTS} clients, ${SECONDS} s per run, node ${process.version}`);
  for (const line of await rankingBench()) console.log(line);
  await embedded();
  await pagesOnEmbedded();
  if (SERVER_URL) await server(SERVER_URL);
  else console.log('server: skipped (set BENCH_DATABASE_URL=postgres://... to measure a PostgreSQL server)');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
