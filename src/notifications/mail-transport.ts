import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppConfig } from '../config/config';

export interface OutgoingMail {
  /** The notification's id: the file name and the local part of the Message-ID. */
  id: string;
  from: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  /** The message key, as a header, so mail filters and tests can tell messages apart. */
  message: string;
  /** The language it is written in (ky, ru or en), as its Content-Language header. */
  locale: string;
  createdAt: Date;
}

/** A message ready to go: its MIME text, and the addresses the server is asked to deliver between. */
export interface ComposedMail {
  mail: OutgoingMail;
  envelope: { from: string; to: string[] };
  raw: Buffer;
}

export interface MailTransport {
  /** Where mail goes, without credentials, for the log. */
  readonly description: string;
  /**
   * Writes the MIME message. That takes nodemailer many turns of the event loop and needs no order,
   * so a dispatcher composes a whole batch at once and only sends in order.
   */
  compose(mail: OutgoingMail): Promise<ComposedMail>;
  /** Sends a composed message; resolves with the file written, for the file transport. */
  send(composed: ComposedMail): Promise<{ file?: string }>;
  close(): void;
}

// Composes without sending: the message comes back as one buffer, lines ending in CRLF as SMTP wants.
const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

async function compose(mail: OutgoingMail): Promise<ComposedMail> {
  const info = await composer.sendMail({
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    headers: { 'X-Grants-Message': mail.message, 'Content-Language': mail.locale },
  });
  const { from, to } = info.envelope;
  return { mail, envelope: { from: from || '', to }, raw: info.message as Buffer };
}

/**
 * SMTP through a pool of connections, from `SMTP_URL`. Sixteen of them: a busy process answers each
 * server reply late, so the rate is set by how many messages are under way at once. Options in the
 * URL's query win (`smtp://host:587?maxConnections=4` for a server that allows fewer).
 */
export class SmtpTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(url: string) {
    const parsed = new URL(url);
    this.description = `SMTP ${parsed.protocol}//${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)}`;
    this.transporter = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 16,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      // a server that keeps dropping the connection is reported, not retried inside the pool
      maxRequeues: 0,
    });
  }

  compose(mail: OutgoingMail): Promise<ComposedMail> {
    return compose(mail);
  }

  async send({ envelope, raw }: ComposedMail): Promise<{ file?: string }> {
    await this.transporter.sendMail({ envelope, raw });
    return {};
  }

  close(): void {
    this.transporter.close();
  }
}

/** The embedded default: each email is written as an .eml file a mail program opens. */
export class FileTransport implements MailTransport {
  readonly description: string;

  constructor(private readonly dir: string) {
    this.description = `.eml files in ${dir}`;
  }

  compose(mail: OutgoingMail): Promise<ComposedMail> {
    return compose(mail);
  }

  async send({ mail, raw }: ComposedMail): Promise<{ file: string }> {
    const stamp = mail.createdAt
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    // Named by the notification: sending it again overwrites the same file.
    const file = join(this.dir, `${stamp}-${mail.message}-${mail.id}.eml`);
    await mkdir(this.dir, { recursive: true });
    await writeFile(file, raw);
    return { file };
  }

  close(): void {
    // nothing is held open
  }
}

export function transportFor(config: AppConfig): MailTransport {
  return config.SMTP_URL ? new SmtpTransport(config.SMTP_URL) : new FileTransport(join(config.dataDir, 'mail'));
}

/** The domain of the sender's address, for Message-IDs. */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split('@')[1]?.trim() || 'localhost';
}
