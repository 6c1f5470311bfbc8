import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { AppConfig } from '../src/config/config';
import { openOrm, type Orm } from '../src/config/database';
import { ENTITIES } from '../src/entities';
import { MailDispatcher } from '../src/notifications/mail-dispatcher';
import { SmtpTransport } from '../src/notifications/mail-transport';
import { TemplateSet } from '../src/notifications/templates';
import { ServiceSecret } from '../src/identity/secret';
import { MailWorker } from '../src/notifications/mail.worker';
import { IdentityService } from '../src/identity/identity.service';
import { sqlRows } from '../src/common/sql';
import { giveBankDetails, openCall, proposal, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

const HOUR = 3_600_000;

/** Runs the mail loop once, as if at `offsetMs` from now. */
function drain(h: Harness, offsetMs = 0) {
  return h.app.get(MailWorker).drain(new Date(Date.now() + offsetMs));
}

async function rowsFor(h: Harness, email: string) {
  return sqlRows<{
    id: string;
    message: string;
    status: string;
    attempts: number;
    last_error: string | null;
    subject: string | null;
  }>(
    h.orm.em.fork(),
    'select id, message, status, attempts, last_error, subject from notification where email = ? order by created_at, id',
    [email],
  );
}

describe('email at every transition, over real SMTP', () => {
  let h: Harness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Mini-grants <grants@programme.example>',
      MAIL_RETRY_BASE_MS: '1000',
    });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('emails the applicant once per transition, in their language, with the reference and a stable Message-ID', async () => {
    const applicant = await h.user('applicant', { name: 'Айгүл Токтосунова', locale: 'ky' });
    const callId = await openCall(h, h.manager);
    const id = await submittedApplication(h, callId, applicant.auth);
    const { body } = await h.http().get(`/applications/${id}`).set('authorization', applicant.auth).expect(200);
    expect(body.reference).toMatch(/^KG-\d{4}-\d{4}$/);

    expect((await drain(h)).sent).toBeGreaterThanOrEqual(1);
    const [mail] = smtp.to(applicant.email);
    expect(smtp.to(applicant.email)).toHaveLength(1);
    expect(mail.mail.subject).toBe(`Арызыңызды алдык: ${body.reference}`);
    expect(mail.mail.text).toContain('Саламатсызбы, Айгүл Токтосунова.');
    expect(mail.mail.text).toContain('Clean water for Zhazy school');
    expect(mail.mail.text).toContain(`/my-applications/${id}`);
    expect(mail.mail.html).toContain('<html lang="ky">');
    expect(mail.mail.headers.get('x-grants-message')).toBe('application.submitted');
    const [row] = await rowsFor(h, applicant.email);
    expect(mail.mail.messageId).toBe(`<${row.id}@programme.example>`);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, subject: mail.mail.subject });

    // Nothing is sent twice: another run finds nothing due.
    await drain(h);
    expect(smtp.to(applicant.email)).toHaveLength(1);
  });

  it('follows an application through screening, review and award, one email per step, in each member language', async () => {
    const people = await Promise.all(
      (['ru', 'en', 'ky'] as const).map((locale) => h.user('applicant', { locale, name: `Member ${locale}` })),
    );
    const callId = await openCall(h, h.manager);
    const [first, second, third] = await Promise.all(
      people.map((p) => submittedApplication(h, callId, p.auth, '2000.00')),
    );
    await send(h, h.manager, `/applications/${first}`, {
      type: 'REQUEST_INFO',
      questions: ['Who keeps the well clean?'],
    });
    await send(h, people[0].auth, `/applications/${first}`, {
      type: 'RESUBMIT',
      answers: ['The school, with the aiyl okmotu.'],
    });
    for (const id of [first, second])
      await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/applications/${third}`, {
      type: 'SCREEN',
      decision: 'ineligible',
      reason: 'Zhazy is not in this call.',
    });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await send(h, h.manager, `/applications/${first}`, {
      type: 'AWARD',
      amount: '1800.00',
      reason: 'The transport line is covered by the aiyl okmotu',
    });
    await send(h, h.manager, `/applications/${second}`, {
      type: 'REJECT',
      reason: 'Lower score than the funded projects.',
    });
    await drain(h);

    const messages = (email: string) => smtp.to(email).map((r) => r.mail.headers.get('x-grants-message'));
    expect(messages(people[0].email)).toEqual([
      'application.submitted',
      'application.more_info_requested',
      'application.answers_received',
      'application.eligible',
      'application.in_review',
      'application.awarded',
    ]);
    expect(messages(people[1].email)).toEqual([
      'application.submitted',
      'application.eligible',
      'application.in_review',
      'application.rejected',
    ]);
    expect(messages(people[2].email)).toEqual(['application.submitted', 'application.ineligible']);

    const awarded = smtp.to(people[0].email)[5].mail;
    expect(awarded.subject).toMatch(/^Ваш проект получит грант: KG-/);
    expect(awarded.text).toContain('1\u00a0800,00\u00a0EUR');
    const info = smtp.to(people[0].email)[1].mail;
    expect(info.text).toContain('Who keeps the well clean?');
    const ineligible = smtp.to(people[2].email)[1].mail;
    expect(ineligible.text).toContain('Zhazy is not in this call.');
  });

  it('shows the group its status in plain words, the timeline and the emails sent, in their language', async () => {
    const applicant = await h.user('applicant', { locale: 'ru' });
    const callId = await openCall(h, h.manager);
    const id = await submittedApplication(h, callId, applicant.auth);
    await send(h, h.manager, `/applications/${id}`, { type: 'REQUEST_INFO', questions: ['Who keeps the well clean?'] });
    await drain(h);
    const status = (await h.http().get(`/applications/${id}/status`).set('authorization', applicant.auth).expect(200))
      .body;
    expect(status.state).toEqual({
      code: 'more_info',
      name: 'нужен ваш ответ',
      next: expect.stringContaining('Ответьте на наши вопросы'),
    });
    expect(status.timeline.map((t: { name: string }) => t.name)).toEqual(['черновик', 'получена', 'нужен ваш ответ']);
    expect(status.emails).toEqual([
      expect.objectContaining({
        message: 'application.submitted',
        to: applicant.email,
        status: 'sent',
        subject: expect.stringMatching(/^Мы получили вашу заявку KG-/),
      }),
      expect.objectContaining({
        message: 'application.more_info_requested',
        status: 'sent',
        sentAt: expect.any(String),
      }),
    ]);
    const english = (
      await h.http().get(`/applications/${id}/status?locale=en`).set('authorization', applicant.auth).expect(200)
    ).body;
    expect(english.state.name).toBe('needs your answer');
    await h.http().get(`/applications/${id}/status?locale=fr`).set('authorization', applicant.auth).expect(400);
    // the link in every email leads here
    expect(smtp.to(applicant.email)[0].mail.text).toContain(`/my-applications/${id}`);
  });

  it('writes to a member in the language they chose for themselves', async () => {
    const applicant = await h.user('applicant', { locale: 'en' });
    await h.http().patch('/me').set('authorization', applicant.auth).send({ locale: 'de' }).expect(400);
    const me = await h.http().patch('/me').set('authorization', applicant.auth).send({ locale: 'ru' }).expect(200);
    expect(me.body).toMatchObject({ locale: 'ru', email: applicant.email });
    const callId = await openCall(h, h.manager);
    await submittedApplication(h, callId, applicant.auth);
    await drain(h);
    expect(smtp.to(applicant.email).map((r) => r.mail.subject)).toEqual([
      expect.stringMatching(/^Мы получили вашу заявку KG-/),
    ]);
  });

  it('sends only to addresses checked when the account was made', async () => {
    const identity = h.app.get(IdentityService);
    for (const email of ['not an address', 'a@b\r\nBcc: x@example.org', 'two@example.org, three@example.org']) {
      await expect(identity.createUser({ email, name: 'Someone', role: 'applicant' })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('tells staff of work waiting for them: committee, finance officers but the requester, managers', async () => {
    const committee = await h.user('committee', { locale: 'ru' });
    const finance = await h.user('finance');
    const colleague = await h.user('manager');
    const applicant = await h.user('applicant');
    const callId = await openCall(h, h.manager);
    const id = await submittedApplication(h, callId, applicant.auth);
    const bystander = await h.user('committee');
    await h
      .http()
      .put(`/calls/${callId}/committee`)
      .set('authorization', h.manager)
      .send({ members: [{ userId: committee.id, chair: true }] })
      .expect(200);
    await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await drain(h);
    expect(smtp.to(bystander.email)).toHaveLength(0);
    const review = smtp.to(committee.email).map((r) => r.mail.headers.get('x-grants-message'));
    expect(review).toContain('call.review_started');

    await send(h, h.manager, `/applications/${id}`, {
      type: 'AWARD',
      amount: '2000.00',
      reason: 'The transport line is covered by the aiyl okmotu',
    });
    await giveBankDetails(h, applicant.auth, id);
    await send(h, applicant.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    // Accepting starts the grant's one tranche, the whole award on acceptance (the call's default plan).
    const [tranche] = (await h.http().get(`/applications/${id}/tranches`).set('authorization', h.manager).expect(200))
      .body as { id: string; amount: string }[];
    expect(tranche.amount).toBe('2000.00');
    await send(h, h.manager, `/tranches/${tranche.id}`, { type: 'REQUEST' });
    await drain(h);
    const asked = smtp
      .to(finance.email)
      .filter((r) => r.mail.headers.get('x-grants-message') === 'disbursement.approval_requested');
    expect(asked).toHaveLength(1);
    expect(asked[0].mail.text).toContain('2,000.00');

    // Returned by finance: the programme's managers hear why.
    const reason = 'The account holder is not the group named in the agreement.';
    await send(h, finance.auth, `/tranches/${tranche.id}`, { type: 'REJECT', reason });
    await drain(h);
    const returned = smtp
      .to(colleague.email)
      .filter((r) => r.mail.headers.get('x-grants-message') === 'disbursement.rejected');
    expect(returned).toHaveLength(1);
    expect(returned[0].mail.text).toContain(reason);
    expect(returned[0].mail.subject).toMatch(/^Payment request returned: KG-\d{4}-\d{4}$/);
  });

  it('escapes applicant text in the html and keeps it out of every header', async () => {
    const hostile = '<script>alert("x")</script> {{programme.name}}\r\nBcc: thief@example.org';
    const applicant = await h.user('applicant', { name: hostile, locale: 'en' });
    const callId = await openCall(h, h.manager);
    const created = await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', applicant.auth)
      .send(proposal('100.00', { title: hostile }))
      .expect(201);
    await send(h, applicant.auth, `/applications/${created.body.id}`, { type: 'SUBMIT' });
    await send(h, applicant.auth, `/applications/${created.body.id}`, { type: 'WITHDRAW', reason: hostile });
    await drain(h);

    const mails = smtp.to(applicant.email);
    expect(mails.map((m) => m.mail.headers.get('x-grants-message'))).toEqual([
      'application.submitted',
      'application.withdrawn',
    ]);
    for (const { mail, raw, to } of mails) {
      expect(to).toEqual([applicant.email]);
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; {{programme.name}}');
      expect(mail.text).toContain('<script>alert("x")</script> {{programme.name}}');
      expect(mail.bcc).toBeUndefined();
      expect(mail.subject).not.toMatch(/[\r\n]/);
      const headerBlock = raw.slice(0, raw.indexOf('\r\n\r\n'));
      expect(headerBlock).not.toMatch(/^bcc:/im);
      expect(headerBlock).not.toMatch(/thief@example\.org/i);
      expect(headerBlock).not.toContain('<script>');
      expect(headerBlock).not.toContain('{{');
      expect(mail.to && 'value' in mail.to ? mail.to.value.map((a) => a.address) : []).toEqual([applicant.email]);
    }
    // The withdrawal reason the applicant typed is shown back to them, escaped.
    expect(mails[1].mail.html).toContain('&lt;script&gt;');
  });

  it('keeps transitions going while the mail server is down and sends every email once it is back', async () => {
    const applicants = await Promise.all([1, 2, 3].map(() => h.user('applicant')));
    await smtp.stop();
    try {
      const callId = await openCall(h, h.manager);
      for (const a of applicants) await submittedApplication(h, callId, a.auth);
      const down = await drain(h);
      expect(down.sent).toBe(0);
      expect(down.failed).toBeGreaterThanOrEqual(3);
      for (const a of applicants) {
        expect(await rowsFor(h, a.email)).toEqual([
          expect.objectContaining({
            status: 'failed',
            attempts: 1,
            last_error: expect.stringMatching(/ECONNECTION|ECONNREFUSED/),
          }),
        ]);
      }
    } finally {
      await smtp.start();
    }
    // Not before the retry time...
    await drain(h);
    for (const a of applicants) expect(smtp.to(a.email)).toHaveLength(0);
    // ...and every one of them after it.
    await drain(h, HOUR);
    for (const a of applicants) {
      expect(smtp.to(a.email)).toHaveLength(1);
      expect(await rowsFor(h, a.email)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    }
  });

  it('sends at most one duplicate, with the same Message-ID, when the sender dies between sending and recording it', async () => {
    const applicant = await h.user('applicant');
    const callId = await openCall(h, h.manager);
    await submittedApplication(h, callId, applicant.auth);
    const dispatcher = h.app.get(MailDispatcher);
    // The database refuses the "sent" record once, as if the process died right after the SMTP answer.
    const markSent = jest
      .spyOn(dispatcher as unknown as { markSent: () => Promise<void> }, 'markSent')
      .mockRejectedValueOnce(new Error('connection to the database lost'));
    try {
      expect((await drain(h)).unrecorded).toBe(1);
    } finally {
      markSent.mockRestore();
    }
    expect(smtp.to(applicant.email)).toHaveLength(1);
    // Its lease still holds: no other dispatcher takes it...
    await drain(h);
    expect(smtp.to(applicant.email)).toHaveLength(1);
    // ...until the lease runs out: sent again, once, with the same Message-ID.
    await drain(h, HOUR);
    const copies = smtp.to(applicant.email);
    expect(copies).toHaveLength(2);
    expect(copies[1].mail.messageId).toBe(copies[0].mail.messageId);
    expect(await rowsFor(h, applicant.email)).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    await drain(h, 2 * HOUR);
    expect(smtp.to(applicant.email)).toHaveLength(2);
  });

  it('kills an email the server refuses for good, lists it for managers, and sends it again on retry', async () => {
    const applicant = await h.user('applicant', { email: `refused-${Date.now()}@example.test` });
    smtp.refuse = (address) => (address === applicant.email ? 550 : null);
    const callId = await openCall(h, h.manager);
    await submittedApplication(h, callId, applicant.auth);
    expect((await drain(h)).dead).toBeGreaterThanOrEqual(1);
    const [row] = await rowsFor(h, applicant.email);
    expect(row).toMatchObject({ status: 'dead', attempts: 1, last_error: expect.stringContaining('550') });

    const dead = await h.http().get('/notifications?status=dead&limit=200').set('authorization', h.manager).expect(200);
    expect(dead.body.items.map((n: { id: string }) => n.id)).toContain(row.id);
    expect(dead.body.items.every((n: { status: string }) => n.status === 'dead')).toBe(true);
    await h.http().get('/notifications?status=dead').set('authorization', applicant.auth).expect(403);
    await h.http().get('/notifications?status=lost').set('authorization', h.manager).expect(400);

    smtp.refuse = () => null;
    const retried = await h.http().post(`/notifications/${row.id}/retry`).set('authorization', h.manager).expect(201);
    expect(retried.body).toMatchObject({ status: 'pending', attempts: 0 });
    await h.http().post(`/notifications/${row.id}/retry`).set('authorization', h.manager).expect(409);
    await drain(h);
    expect(smtp.to(applicant.email)).toHaveLength(1);
    expect(await rowsFor(h, applicant.email)).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  it('retries a temporary refusal with growing delays, then gives up after the last attempt', async () => {
    const applicant = await h.user('applicant', { email: `busy-${Date.now()}@example.test` });
    smtp.refuse = (address) => (address === applicant.email ? 451 : null);
    try {
      const callId = await openCall(h, h.manager);
      await submittedApplication(h, callId, applicant.auth);
      const waits: number[] = [];
      for (let attempt = 1; attempt <= 8; attempt++) {
        const before = Date.now();
        await drain(h, attempt * 2 * HOUR);
        const [row] = await sqlRows<{ status: string; attempts: number; next_attempt_at: Date }>(
          h.orm.em.fork(),
          'select status, attempts, next_attempt_at from notification where email = ?',
          [applicant.email],
        );
        expect(row.attempts).toBe(attempt);
        expect(row.status).toBe(attempt < 8 ? 'failed' : 'dead');
        waits.push(new Date(row.next_attempt_at).getTime() - (before + attempt * 2 * HOUR));
      }
      // base 1 s, doubling with jitter: attempt n waits between 2^(n-1)/2 and 2^(n-1) seconds
      for (const [i, wait] of waits.slice(0, 7).entries()) {
        expect(wait).toBeGreaterThanOrEqual(1000 * 2 ** i * 0.5 - 50);
        expect(wait).toBeLessThanOrEqual(1000 * 2 ** i + 5000);
      }
    } finally {
      smtp.refuse = () => null;
    }
  });

  it('renders a preview of any message with sample data, for managers only', async () => {
    const json = await h
      .http()
      .get('/notifications/preview/application.awarded?locale=ky')
      .set('authorization', h.manager)
      .expect(200);
    expect(json.body).toMatchObject({ message: 'application.awarded', template: 'application.awarded', locale: 'ky' });
    expect(json.body.subject).toContain('KG-2026-0007');
    const html = await h
      .http()
      .get('/notifications/preview/application.awarded?locale=ru&format=html')
      .set('authorization', h.manager)
      .expect(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('<html lang="ru">');
    await h.http().get('/notifications/preview/application.nothing').set('authorization', h.manager).expect(404);
    await h
      .http()
      .get('/notifications/preview/application.awarded?locale=de')
      .set('authorization', h.manager)
      .expect(400);
    await h.http().get('/notifications/preview/application.awarded').set('authorization', h.applicant).expect(403);
    await h.http().get('/notifications/preview/application.awarded').expect(401);
  });
});

describe('two dispatchers on one database', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let secondOrm: Orm;
  let secondTransport: SmtpTransport;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url });
    // On the server, the second dispatcher has a connection pool of its own, as another process would.
    const url = process.env.TEST_DATABASE_URL;
    secondOrm = url ? await openOrm({ kind: 'server', url }, ENTITIES) : h.orm;
    secondTransport = new SmtpTransport(smtp.url);
  });
  afterAll(async () => {
    secondTransport.close();
    if (secondOrm !== h.orm) await secondOrm.close(true);
    await h.close();
    await smtp.stop();
  });

  it('delivers each of 500 queued emails exactly once', async () => {
    const applicant = await h.user('applicant');
    const callId = await openCall(h, h.manager);
    await submittedApplication(h, callId, applicant.auth);
    await h.app.get(MailWorker).drain(); // one real email, whose row the queue below copies
    const [model] = await rowsFor(h, applicant.email);
    const tag = `bulk-${Date.now()}`;
    await sqlRows(
      h.orm.em.fork(),
      `insert into notification (id, message, template, recipient_id, email, locale, subject_type, subject_id, data)
       select gen_random_uuid(), message, template, recipient_id, ? || '-' || n || '@example.test', locale, subject_type, subject_id, data
         from notification, generate_series(1, 500) n where id = ?`,
      [tag, model.id],
    );
    const first = h.app.get(MailDispatcher);
    const second = new MailDispatcher(
      secondOrm,
      h.app.get(AppConfig),
      h.app.get(TemplateSet),
      secondTransport,
      h.app.get(ServiceSecret),
    );
    const runUntilDone = async (d: MailDispatcher) => {
      let sent = 0;
      for (let r = await d.runOnce(); r.claimed > 0; r = await d.runOnce()) sent += r.sent;
      return sent;
    };
    const [a, b] = await Promise.all([first, second].map(runUntilDone));
    const bulk = smtp.received.filter((r) => r.to[0].startsWith(tag));
    expect(bulk).toHaveLength(500);
    expect(new Set(bulk.map((r) => r.to[0])).size).toBe(500);
    expect(new Set(bulk.map((r) => r.mail.messageId)).size).toBe(500);
    expect(a + b).toBe(500);
    // both took part
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    const [{ left }] = await sqlRows<{ left: string }>(
      h.orm.em.fork(),
      `select count(*) as left from notification where email like ? and status <> 'sent'`,
      [`${tag}-%`],
    );
    expect(Number(left)).toBe(0);
  });
});

describe('the embedded default, without SMTP_URL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('writes each email as an .eml file under the data folder and lists it', async () => {
    const applicant = await h.user('applicant', { locale: 'ru' });
    const callId = await openCall(h, h.manager);
    const id = await submittedApplication(h, callId, applicant.auth);
    await h.app.get(MailWorker).drain();
    const list = await h
      .http()
      .get(`/notifications?subjectType=application&subjectId=${id}`)
      .set('authorization', h.manager)
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    const [item] = list.body.items;
    expect(item).toMatchObject({ message: 'application.submitted', to: applicant.email, status: 'sent', locale: 'ru' });
    expect(item.file.startsWith(`${h.dataDir}/mail/`)).toBe(true);
    const mail = await simpleParser(readFileSync(item.file));
    expect(mail.subject).toBe(item.subject);
    expect(mail.subject).toMatch(/^Мы получили вашу заявку KG-/);
    expect(mail.messageId).toBe(`<${item.id}@localhost>`);
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toContain(applicant.email);

    const shown = await h.http().get(`/notifications/${item.id}`).set('authorization', h.manager).expect(200);
    expect(shown.body.content.subject).toBe(item.subject);
  });
});
