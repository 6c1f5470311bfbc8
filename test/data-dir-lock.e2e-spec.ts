import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The compiled service and CLI on an embedded database in a directory of their own (npm test builds them).
const MAIN = join(__dirname, '..', 'dist', 'src', 'main.js');
const CLI = join(__dirname, '..', 'dist', 'src', 'cli.js');

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

interface Service {
  child: ChildProcess;
  port: number;
  output: () => string;
}

/** Starts the service and waits until it listens, or until it exits (then `exited` holds its code). */
async function startService(env: NodeJS.ProcessEnv): Promise<Service & { exited: number | null }> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = await new Promise<number | null>((resolve) => {
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('listening on')) resolve(null);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => resolve(code ?? 1));
  });
  // the setup link comes just after "listening on"
  if (exited === null) await new Promise((resolve) => setTimeout(resolve, 500));
  return { child, port, output: () => text, exited };
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  return exit;
}

function cli(env: NodeJS.ProcessEnv, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
}

describe('one process at a time on the embedded database', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const running: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'grants-lock-'));
    env = {
      ...process.env,
      DATA_DIR: dir,
      DATABASE_URL: '',
      LOG_LEVEL: 'info',
      LOG_FILE: '',
      TIMER_POLL_MS: '0',
      MAIL_POLL_MS: '0',
    };
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((child) => stopped(child, 'SIGKILL')));
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses the CLI and a second service while one runs, and a kill -9 does not block the next start', async () => {
    const first = await startService(env);
    running.push(first.child);
    expect(first.exited).toBeNull();
    const pid = first.child.pid as number;
    // A newcomer needs no CLI: the first start prints the link that makes the first manager.
    const link = /no manager yet: open (http:\/\/localhost:\d+\/setup\?token=gwm_[A-Za-z0-9_-]+)/.exec(
      first.output(),
    )?.[1];
    expect(link).toBeDefined();
    // It is printed for the person at the terminal, never as a line of the log (which LOG_FILE would keep).
    const logLines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.some((line) => line.includes('listening on'))).toBe(true);
    expect(logLines.filter((line) => line.includes('gwm_'))).toEqual([]);

    const refused = cli(env, 'user:create', '--email', 'late@example.test', '--role', 'manager');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `the service is running on ${dir} (pid ${pid}): stop it, or invite people with POST /users\n`,
    );
    expect(refused.stdout).toBe('');

    const second = await startService(env);
    running.push(second.child);
    expect(second.exited).toBe(1);
    expect(second.output()).toBe(
      `refusing to start: the service is running on ${dir} (pid ${pid}): stop it, or give this one another DATA_DIR\n`,
    );

    const base = `http://127.0.0.1:${first.port}`;
    const setup = await fetch(`${base}/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        token: new URL(link as string).searchParams.get('token'),
        email: 'first@example.test',
        name: 'First manager',
      }),
    });
    expect(setup.status).toBe(201);
    const session = ((await setup.json()) as { token: string }).token;

    await stopped(first.child, 'SIGKILL');
    expect(existsSync(join(dir, 'service.lock'))).toBe(true);

    const created = cli(env, 'user:create', '--email', 'finance@example.test', '--role', 'finance');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1) as string;

    const again = await startService(env);
    running.push(again.child);
    expect(again.exited).toBeNull();
    expect(again.output()).not.toContain('/setup?token=');
    const me = (auth: string) =>
      fetch(`http://127.0.0.1:${again.port}/me`, { headers: { authorization: `Bearer ${auth}` } }).then(
        (r) => r.status,
      );
    // Neither the manager made through the first service nor the user made by the CLI was lost.
    expect(await me(session)).toBe(200);
    expect(await me(token)).toBe(200);

    await stopped(again.child, 'SIGTERM');
    expect(again.child.exitCode).toBe(0);
    expect(existsSync(join(dir, 'service.lock'))).toBe(false);
    expect(existsSync(join(dir, 'service.pid'))).toBe(false);
  }, 240_000);
});
