import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { MailSink } from './mail';

// Dispatch under sustained load: the service runs with its mail worker on while clients keep
// sending events, so the outbox and the mail queue grow as they are worked off. Every 10 s the bench
// prints what the clients committed, what the relay handed on as emails, what the SMTP sink
// received, what is still queued, and the service's resident memory; then the load stops and the
// rest of the backlog drains, for a bounded time.

const SAMPLE_SECONDS = 10;

/** What the bench reads at each sample; counters are totals since the run began. */
export interface Reading {
  at: number;
  committed: number;
  handedOn: number;
  sent: number;
  outbox: number;
  queued: number;
  rssMb: number;
}

const run = promisify(execFile);

/** Resident memory of a process in MB: /proc on Linux, ps elsewhere. */
async function rssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    if (kb) return Number(kb[1]) / 1024;
  } catch {
    // not Linux
  }
  const { stdout } = await run('ps', ['-o', 'rss=', '-p', String(pid)]);
  return Number(stdout.trim()) / 1024;
}

/**
 * Reads the queue on the server: notification rows made (from their identity sequence, so no
 * count over a growing table), outbox rows not yet handed on, and emails not yet sent.
 */
export class QueueProbe {
  private constructor(
    private readonly client: Client,
    private readonly sequence: string,
  ) {}

  static async open(url: string): Promise<QueueProbe> {
    const client = new Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ seq: string }>(`select pg_get_serial_sequence('notification', 'seq') as seq`);
    return new QueueProbe(client, rows[0].seq);
  }

  async read(): Promise<{ made: number; outbox: number; queued: number }> {
    const { rows } = await this.client.query<{ made: string; outbox: string; queued: string }>(
      `select (select case when is_called then last_value else 0 end from ${this.sequence}) as made,
              (select count(*) from outbox where status = 'pending' and type = 'notify') as outbox,
              (select count(*) from notification where status in ('pending', 'failed')) as queued`,
    );
    return { made: Number(rows[0].made), outbox: Number(rows[0].outbox), queued: Number(rows[0].queued) };
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

export interface Watch {
  probe: QueueProbe;
  sink: MailSink;
  pid: number;
  committed: () => number;
}

async function readNow(w: Watch, base: { made: number; sent: number }): Promise<Reading> {
  const [queue, rss] = await Promise.all([w.probe.read(), rssMb(w.pid)]);
  return {
    at: performance.now(),
    committed: w.committed(),
    handedOn: queue.made - base.made,
    sent: w.sink.received() - base.sent,
    outbox: queue.outbox,
    queued: queue.queued,
    rssMb: rss,
  };
}

function describeSample(phase: string, t: number, prev: Reading, now: Reading): string {
  const s = (now.at - prev.at) / 1000;
  const rate = (a: number, b: number) => ((b - a) / s).toFixed(0).padStart(5);
  return (
    `  ${phase} ${t.toFixed(0).padStart(3)} s: transitions ${rate(prev.committed, now.committed)}/s, ` +
    `handed on ${rate(prev.handedOn, now.handedOn)}/s, sent ${rate(prev.sent, now.sent)}/s, ` +
    `backlog ${now.outbox} outbox + ${now.queued} emails, RSS ${now.rssMb.toFixed(0)} MB`
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the queue every `SAMPLE_SECONDS` and prints the rates since the reading before. */
export class Sampler {
  private constructor(
    private readonly watch: Watch,
    private readonly origin: { made: number; sent: number },
    readonly first: Reading,
    private last: Reading,
    public maxRss: number,
  ) {}

  static async start(watch: Watch): Promise<Sampler> {
    const queue = await watch.probe.read();
    const origin = { made: queue.made, sent: watch.sink.received() };
    const first = await readNow(watch, origin);
    return new Sampler(watch, origin, first, first, first.rssMb);
  }

  /**
   * Samples until `over()` says so (after each second), or `seconds` have passed, or, when
   * `untilEmpty`, nothing is queued any more; returns the last reading.
   */
  async phase(name: string, seconds: number, over: () => boolean, untilEmpty: boolean): Promise<Reading> {
    const started = performance.now();
    for (;;) {
      await sleep(1000);
      const due = performance.now() - this.last.at >= SAMPLE_SECONDS * 1000;
      const ended = over() || performance.now() - started >= seconds * 1000;
      if (!due && !ended && !untilEmpty) continue;
      const now = await readNow(this.watch, this.origin);
      const empty = untilEmpty && now.outbox + now.queued === 0;
      if (due || ended || empty) this.print(name, now);
      if (ended || empty) return now;
    }
  }

  private print(name: string, now: Reading): void {
    this.maxRss = Math.max(this.maxRss, now.rssMb);
    console.log(describeSample(name, (now.at - this.first.at) / 1000, this.last, now));
    this.last = now;
  }
}

export function describeSustained(
  label: string,
  start: Reading,
  loadEnd: Reading,
  end: Reading,
  maxRss: number,
): string {
  const load = (loadEnd.at - start.at) / 1000;
  const drain = (end.at - loadEnd.at) / 1000;
  const left = end.outbox + end.queued;
  return (
    `${label} sustained mail: during load ${(loadEnd.committed / load).toFixed(1)} transitions/s, ` +
    `${(loadEnd.handedOn / load).toFixed(1)} handed on/s, ${(loadEnd.sent / load).toFixed(1)} sent/s; ` +
    `after it ${((end.sent - loadEnd.sent) / Math.max(drain, 0.001)).toFixed(1)} sent/s for ${drain.toFixed(0)} s` +
    `${left > 0 ? `, ${left} left` : ', backlog empty'}; ` +
    `RSS ${start.rssMb.toFixed(0)} MB at start, ${maxRss.toFixed(0)} MB at most, ${end.rssMb.toFixed(0)} MB at end`
  );
}
