import { AppConfig } from '../src/config/config';
import { sqlRows } from '../src/common/sql';
import { ServiceSecret } from '../src/identity/secret';
import { MailDispatcher } from '../src/notifications/mail-dispatcher';
import { SmtpTransport } from '../src/notifications/mail-transport';
import { MailWorker } from '../src/notifications/mail.worker';
import { DUE_NOTIFY_ROWS, OutboxRelay } from '../src/notifications/outbox-relay';
import { TemplateSet } from '../src/notifications/templates';
import { openCall, submittedApplication } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

// What a long queue of mail must not change, checked without timing anything: one batch read off
// an index and recorded in one statement, each person's emails about one record in queue order,
// and leases that hold for every batch of a long drain.

interface Queued {
  id: string;
  seq: string;
  email: string;
  subject_id: string;
}

type MarkSent = (...args: unknown[]) => Promise<void>;

/** The emails one call of `markSent` records: a batch of them, or (one call per email) a single id. */
function recordedIds(args: unknown[]): string[] {
  return Array.isArray(args[0]) ? (args[0] as { id: string }[]).map((s) => s.id) : [String(args[0])];
}

class Rollback extends Error {
  constructor(readonly plan: string) {
    super('rolled back');
  }
}

describe('mail with a backlog', () => {
  let h: Harness;
  let smtp: SmtpSink;
  /** A real email, whose row the queues below copy. */
  let model: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url });
    const applicant = await h.user('applicant');
    await submittedApplication(h, await openCall(h, h.manager), applicant.auth);
    await h.app.get(MailWorker).drain();
    [{ id: model }] = await sqlRows<{ id: string }>(h.orm.em.fork(), 'select id from notification where email = ?', [
      applicant.email,
    ]);
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  /** Queues a copy of the model email per entry, in order, to `<tag>-<person>@example.test` about record `subject`. */
  async function queue(tag: string, entries: { person: number; subject: string }[]): Promise<void> {
    for (const { person, subject } of entries) {
      await sqlRows(
        h.orm.em.fork(),
        `insert into notification (id, message, template, recipient_id, email, locale, subject_type, subject_id, data)
         select gen_random_uuid(), message, template, recipient_id, ?, locale, subject_type, ?, data from notification where id = ?`,
        [`${tag}-${person}@example.test`, subject, model],
      );
    }
  }

  function queued(tag: string): Promise<Queued[]> {
    return sqlRows<Queued>(
      h.orm.em.fork(),
      'select id, seq, email, subject_id from notification where email like ? order by seq',
      [`${tag}-%`],
    );
  }

  const idOf = (messageId: string | undefined) => /^<([^@]+)@/.exec(messageId ?? '')?.[1];

  it('reads a batch of due outbox rows off its index, without sorting the backlog', async () => {
    const plan = await h.orm.em
      .fork()
      .transactional(async (em) => {
        // 20,000 rows, a quarter still pending; rolled back, so no other test sees them
        await sqlRows(
          em,
          `insert into outbox (id, instance_id, type, payload, status, next_attempt_at, created_at)
           select gen_random_uuid(), gen_random_uuid(), 'notify', '{}', case when n % 4 = 0 then 'pending' else 'sent' end,
                  now() - n * interval '1 second', now() - n * interval '1 second'
             from generate_series(1, 20000) n`,
          [],
        );
        await sqlRows(em, 'analyze outbox', []);
        const rows = await sqlRows<{ 'QUERY PLAN': string }>(em, `explain ${DUE_NOTIFY_ROWS}`, [
          new Date().toISOString(),
          100,
        ]);
        throw new Rollback(rows.map((r) => r['QUERY PLAN']).join('\n'));
      })
      .catch((error: unknown) => (error instanceof Rollback ? error.plan : Promise.reject(error)));
    expect(plan).toContain('outbox_notify_due_index');
    expect(plan).not.toMatch(/Sort/);
  });

  it('records a batch of sent emails in one statement', async () => {
    const tag = `batch-${Date.now()}`;
    await queue(
      tag,
      [0, 1, 2, 3, 4].map((person) => ({ person, subject: model })),
    );
    const dispatcher = h.app.get(MailDispatcher) as unknown as { markSent: MarkSent };
    const markSent = jest.spyOn(dispatcher, 'markSent');
    let statements: string[][];
    try {
      expect((await h.app.get(MailWorker).drain()).sent).toBeGreaterThanOrEqual(5);
    } finally {
      statements = markSent.mock.calls.map(recordedIds);
      markSent.mockRestore();
    }
    const rows = await sqlRows<{ id: string; status: string; subject: string | null }>(
      h.orm.em.fork(),
      'select id, status, subject from notification where email like ?',
      [`${tag}-%`],
    );
    const ids = new Set(rows.map((r) => r.id));
    // each statement's share of these five: all of them in one
    const recording = statements.map((sent) => sent.filter((id) => ids.has(id)).length).filter((n) => n > 0);
    expect(recording).toEqual([5]);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.status === 'sent' && (r.subject ?? '').length > 0)).toBe(true);
  });

  it("sends each person's emails about one record in the order they were queued, with many people in one batch", async () => {
    const tag = `order-${Date.now()}`;
    const records = [model, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];
    await queue(
      tag,
      Array.from({ length: 60 }, (_, i) => ({ person: i % 4, subject: records[Math.floor(i / 4) % 3] })),
    );
    await h.app.get(MailWorker).drain();
    const rows = new Map((await queued(tag)).map((r) => [r.id, r]));
    const arrived = smtp.received
      .map((r) => rows.get(idOf(r.mail.messageId) ?? ''))
      .filter((r): r is Queued => r !== undefined);
    expect(arrived).toHaveLength(60);
    for (const email of new Set(arrived.map((r) => r.email))) {
      for (const record of records) {
        const seqs = arrived.filter((r) => r.email === email && r.subject_id === record).map((r) => BigInt(r.seq));
        expect(seqs.length).toBe(5);
        expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
      }
    }
  });

  it('leases each batch of a long drain from when it is claimed, so no second dispatcher takes it meanwhile', async () => {
    const tag = `lease-${Date.now()}`;
    // due long ago, so they come before anything else queued
    await sqlRows(
      h.orm.em.fork(),
      `insert into notification (id, message, template, recipient_id, email, locale, subject_type, subject_id, data, next_attempt_at)
       select gen_random_uuid(), message, template, recipient_id, ? || '-' || n || '@example.test', locale, subject_type, subject_id, data, '2000-01-01T00:00:00Z'
         from notification, generate_series(1, 150) n where id = ?`,
      [tag, model],
    );
    const config = h.app.get(AppConfig);
    const lease = config.MAIL_LEASE_MS;
    const worker = h.app.get(MailWorker);
    // Each email is sent but its record fails, so every lease stays; the clock moves a quarter of a
    // lease at each reading, as in a drain that runs for minutes: the relay reads it once (it has
    // nothing to hand on), the first batch is claimed half a lease in, the next three quarters in.
    const relay = jest.spyOn(h.app.get(OutboxRelay), 'runOnce').mockResolvedValue(0);
    const markSent = jest
      .spyOn(h.app.get(MailDispatcher) as unknown as { markSent: MarkSent }, 'markSent')
      .mockRejectedValue(new Error('connection to the database lost'));
    const start = Date.now();
    let readings = 0;
    const clock = jest
      .spyOn(worker as unknown as { clock: () => number }, 'clock')
      .mockImplementation(() => start + readings++ * (lease / 4));
    try {
      expect((await worker.drain(new Date(start))).unrecorded).toBeGreaterThanOrEqual(150);
    } finally {
      [relay, markSent, clock].forEach((spy) => spy.mockRestore());
    }
    const transport = new SmtpTransport(smtp.url);
    const second = new MailDispatcher(h.orm, config, h.app.get(TemplateSet), transport, h.app.get(ServiceSecret));
    const takenBy = async (at: number) => {
      const before = smtp.received.length;
      while ((await second.runOnce(new Date(at))).claimed > 0);
      const ids = new Set((await queued(tag)).map((r) => r.id));
      return smtp.received.slice(before).filter((r) => ids.has(idOf(r.mail.messageId) ?? '')).length;
    };
    try {
      // At 1.6 leases the first batch's lease is over, the next one's is not: the first batch goes again, alone...
      const first = await takenBy(start + 1.6 * lease);
      expect(first).toBeGreaterThan(0);
      expect(first).toBeLessThan(150);
      // ...and the rest once its lease is over too.
      expect(await takenBy(start + 10 * lease)).toBe(150 - first);
    } finally {
      transport.close();
    }
    const [{ left }] = await sqlRows<{ left: string }>(
      h.orm.em.fork(),
      `select count(*) as left from notification where email like ? and status <> 'sent'`,
      [`${tag}-%`],
    );
    expect(Number(left)).toBe(0);
  });
});
