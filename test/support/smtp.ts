import { createServer as createNetServer } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface Received {
  /** The envelope: who the server was asked to deliver to. */
  to: string[];
  mail: ParsedMail;
  raw: string;
}

export interface SmtpSink {
  url: string;
  port: number;
  received: Received[];
  /** Answers RCPT TO for an address: null accepts, a number refuses with that code. */
  refuse: (address: string) => number | null;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Mail received for one address. */
  to: (address: string) => Received[];
}

/** A free port on the loopback, for a server not started yet (connections to it are refused). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A real SMTP server in the test process; every message is parsed with mailparser. */
export async function smtpSink(options: { start?: boolean } = {}): Promise<SmtpSink> {
  const port = await freePort();
  let server: SMTPServer | null = null;
  const sink: SmtpSink = {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received: [],
    refuse: () => null,
    to: (address) => sink.received.filter((r) => r.to.includes(address.toLowerCase())),
    start: async () => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        onRcptTo(address: SMTPServerAddress, _session, callback) {
          const code = sink.refuse(address.address);
          if (code === null) return callback();
          callback(Object.assign(new Error(`${code} mailbox unavailable`), { responseCode: code }));
        },
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const raw = Buffer.concat(chunks).toString('utf8');
            simpleParser(raw)
              .then((mail) => {
                const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
                sink.received.push({ to, mail, raw });
                callback();
              })
              .catch(callback);
          });
        },
      });
      await new Promise<void>((resolve) => server?.listen(port, '127.0.0.1', resolve));
    },
    stop: async () => {
      const running = server;
      server = null;
      if (running) await new Promise<void>((resolve) => running.close(() => resolve()));
    },
  };
  if (options.start !== false) await sink.start();
  return sink;
}
