import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailWorker } from '../src/notifications/mail.worker';
import { startHarness, type Harness } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

const BASE_URL = 'https://grants.example.org';

/** The token of the sign-in link in the latest email to `email`. */
function linkTokenIn(smtp: SmtpSink, email: string): string {
  const mails = smtp.to(email);
  const token = /\/auth\/sign-in\?token=(gwl_[A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.mail.text ?? '')?.[1];
  if (!token) throw new Error(`no sign-in link in the mail to ${email}`);
  return token;
}

interface LogLine {
  msg?: string;
  req?: { url?: string; query?: Record<string, unknown>; headers?: Record<string, unknown> };
}

describe('the log after a full sign-in and an invitation', () => {
  let h: Harness;
  let smtp: SmtpSink;
  const dir = mkdtempSync(join(tmpdir(), 'grants-log-'));
  const logFile = join(dir, 'service.log');
  const drain = () => h.app.get(MailWorker).drain();

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL, LOG_LEVEL: 'trace', LOG_FILE: logFile });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds no link token, session, API token or cookie, whatever the route', async () => {
    // Every secret the browser or the API client saw on the way.
    const secrets: string[] = [];
    const member = await h.user('applicant');
    secrets.push(member.auth.slice('Bearer '.length));

    // A browser: the link by email, its page, the page's form, then the session cookie.
    await h.http().post('/auth/login-link').send({ email: member.email }).expect(202);
    await drain();
    const first = linkTokenIn(smtp, member.email);
    secrets.push(first);
    await h.http().get(`/auth/sign-in?token=${first}`).set('sec-fetch-site', 'none').expect(200);
    const signedIn = await h
      .http()
      .post('/auth/session')
      .type('form')
      .set('origin', BASE_URL)
      .set('referer', `${BASE_URL}/auth/sign-in?token=${first}`)
      .send({ token: first })
      .expect(303);
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0];
    secrets.push(
      cookie.slice(cookie.indexOf('=') + 1),
      decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
        .replace(/^s:/, '')
        .replace(/\..*$/, ''),
    );
    await h.http().get('/me').set('cookie', cookie).expect(200);
    // The spent link again, mangled and whole: refusals are logged too.
    await h.http().get(`/auth/sign-in?token=${first}&lang=ru`).expect(400);
    await h.http().post('/auth/session').send({ token: first }).expect(401);

    // An API client: a second link exchanged for a bearer session.
    await h.http().post('/auth/login-link').send({ email: member.email }).expect(202);
    await drain();
    const second = linkTokenIn(smtp, member.email);
    secrets.push(second);
    const session = (await h.http().post('/auth/session').send({ token: second }).expect(201)).body.token as string;
    secrets.push(session);
    await h
      .http()
      .get('/me')
      .set('authorization', `Bearer ${session}`)
      .set('x-api-key', 'key-that-must-not-be-logged-1234')
      .expect(200);
    secrets.push('key-that-must-not-be-logged-1234');

    // An invitation: a manager invites, the invitee opens the link and signs in.
    const invitee = `invitee-${Date.now()}@example.test`;
    await h
      .http()
      .post('/users')
      .set('authorization', h.manager)
      .send({ email: invitee, name: 'Invited', role: 'applicant' })
      .expect(201);
    await drain();
    const invitation = linkTokenIn(smtp, invitee);
    secrets.push(invitation);
    await h.http().get(`/auth/sign-in?token=${invitation}`).expect(200);
    secrets.push((await h.http().post('/auth/session').send({ token: invitation }).expect(201)).body.token as string);

    // Links of routes that do not exist (yet), and secrets under other names or in the path.
    await h.http().get(`/setup?token=${invitation}`);
    await h.http().get(`/auth/sign-in/${second}?password=hunter2-hunter2&api_key=another-secret-key-5678&page=2`);
    secrets.push('hunter2-hunter2', 'another-secret-key-5678');
    await h.http().post('/auth/logout').set('cookie', cookie).set('origin', BASE_URL).expect(204);

    const text = readFileSync(logFile, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as LogLine);
    const urls = lines.map((l) => l.req?.url).filter((u): u is string => Boolean(u));
    // The requests were logged, with what is not secret kept...
    expect(urls).toContain('/auth/sign-in?token=[redacted]&lang=ru');
    expect(urls).toContain('/setup?token=[redacted]');
    expect(urls).toContain('/auth/sign-in/[redacted]?password=[redacted]&api_key=[redacted]&page=2');
    expect(lines.some((l) => l.msg === 'signed in')).toBe(true);
    expect(lines.find((l) => l.req?.url === '/auth/sign-in?token=[redacted]&lang=ru')?.req?.query).toEqual({
      token: '[redacted]',
      lang: 'ru',
    });
    // ...and no secret anywhere, in any form.
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/gw[lse]_[A-Za-z0-9_-]{20,}/);
  });
});
