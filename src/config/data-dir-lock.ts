import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { lock } from 'proper-lockfile';

/** Another process holds the data directory: its message says which, and what to do instead. */
export class DataDirLocked extends Error {
  constructor(
    readonly pid: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirLocked';
  }
}

// The holder touches the lock every second. Another process takes it over once it has gone
// untouched for 10 s, or for 3 s when the process named in the pid file is gone (a kill -9).
const UPDATE_MS = 1_000;
const STALE_MS = 10_000;
const DEAD_HOLDER_STALE_MS = 3_000;
const WAIT_MS = 15_000;

function holderOf(pidFile: string): number | null {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  // After a restart in a container the new process may get the dead one's pid: that one is not alive.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory for this process alone: two embedded databases on one directory
 * corrupt it, and a write made by one is lost to the other. Refuses with `DataDirLocked` while a
 * live process holds it; `advice` ends the message ("stop it, or ..."). The lock goes when the
 * process ends, however it ends; the returned function lets it go sooner.
 */
export async function lockDataDir(dataDir: string, shownAs: string, advice: string): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  const pidFile = join(dataDir, 'service.pid');
  const options = { lockfilePath: join(dataDir, 'service.lock'), realpath: false, update: UPDATE_MS };
  const onCompromised = (error: Error) => {
    // Someone else took the directory while this process held it: writing on would corrupt it.
    process.stderr.write(`the lock on ${shownAs} was taken over (${error.message}): stopping\n`);
    process.exit(1);
  };
  const deadline = Date.now() + WAIT_MS;
  for (let stale = STALE_MS; ; stale = DEAD_HOLDER_STALE_MS) {
    try {
      const release = await lock(dataDir, { ...options, stale, onCompromised });
      writeFileSync(pidFile, `${process.pid}\n`);
      const removePid = () => rmSync(pidFile, { force: true });
      process.once('exit', removePid);
      return async () => {
        process.off('exit', removePid);
        removePid();
        await release();
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const pid = holderOf(pidFile);
      if ((pid !== null && isAlive(pid)) || Date.now() > deadline) {
        throw new DataDirLocked(
          pid,
          `the service is running on ${shownAs}${pid === null ? '' : ` (pid ${pid})`}: ${advice}`,
        );
      }
      // The holder is gone, or is starting and has not written its pid yet: wait for the lock to go stale.
      await sleep(250);
    }
  }
}
