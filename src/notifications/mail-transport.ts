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
  createdAt: Date;
}

export interface MailTransport {
  /** Where mail goes, without credentials, for the log. */
  readonly description: string;
  /** Sends one email; resolves with the file written, for the file transport. */
  send(mail: OutgoingMail): Promise<{ file?: string }>;
  close(): void;
}

function envelope(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    html: mail.html,
    text: mail.text,
    messageId: mail.messageId,
    headers: { 'X-Grants-Message': mail.message },
  };
}

/** SMTP through a small pool of connections, from `SMTP_URL`. */
export class SmtpTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(url: string) {
    const parsed = new URL(url);
    this.description = `SMTP ${parsed.protocol}//${parsed.hostname}:${parsed.port || (parsed.protocol === 'smtps:' ? 465 : 587)}`;
    this.transporter = nodemailer.createTransport({
      url,
      pool: true,
      maxConnections: 4,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
      // a server that keeps dropping the connection is reported, not retried inside the pool
      maxRequeues: 0,
    });
  }

  async send(mail: OutgoingMail): Promise<{ file?: string }> {
    await this.transporter.sendMail(envelope(mail));
    return {};
  }

  close(): void {
    this.transporter.close();
  }
}

/** The embedded default: each email is written as an .eml file a mail program opens. */
export class FileTransport implements MailTransport {
  readonly description: string;
  private readonly transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });

  constructor(private readonly dir: string) {
    this.description = `.eml files in ${dir}`;
  }

  async send(mail: OutgoingMail): Promise<{ file: string }> {
    const info = await this.transporter.sendMail(envelope(mail));
    const stamp = mail.createdAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    // Named by the notification: sending it again overwrites the same file.
    const file = join(this.dir, `${stamp}-${mail.message}-${mail.id}.eml`);
    await mkdir(this.dir, { recursive: true });
    await writeFile(file, info.message as Buffer);
    return { file };
  }

  close(): void {
    this.transporter.close();
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
