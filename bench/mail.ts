import { performance } from 'node:perf_hooks';
import { SMTPServer } from 'smtp-server';

// Dispatch throughput: a service started over a database holding a backlog of messages (the
// transitions of the engine run) sends them to an SMTP sink in this process, which only counts.

export interface MailSink {
  url: string;
  received: () => number;
  close: () => Promise<void>;
}

export async function startMailSink(port: number): Promise<MailSink> {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        count++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface MailResult {
  emails: number;
  seconds: number;
}

/** Counts what the sink receives for `seconds` from now, or until `expected` emails have arrived. */
export async function measureDispatch(sink: MailSink, seconds: number, expected: number): Promise<MailResult> {
  const start = sink.received();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let lastAt = started;
  let last = start;
  while (performance.now() < deadline && sink.received() - start < expected) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (sink.received() !== last) {
      last = sink.received();
      lastAt = performance.now();
    }
  }
  const emails = sink.received() - start;
  // Ended early: the backlog was sent by the last arrival. Otherwise: the whole window.
  const ended = emails >= expected ? lastAt : performance.now();
  return { emails, seconds: (ended - started) / 1000 };
}

export function describeDispatch(label: string, r: MailResult): string {
  return `${label} mail dispatch (outbox -> SMTP): ${(r.emails / r.seconds).toFixed(1)} emails/s, ${r.emails} emails in ${r.seconds.toFixed(1)} s`;
}
