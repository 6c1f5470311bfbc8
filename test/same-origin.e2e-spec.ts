import { MailWorker } from '../src/notifications/mail.worker';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

const BASE_URL = 'https://grants.example.org';
const EVIL = 'https://evil.example';

/** Cross-site request forgery: what a page on another site can make a victim's browser send. */
describe('requests from another origin', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let member: TestUser;
  let cookie: string;

  const linkToken = async (email: string): Promise<string> => {
    await h.http().post('/auth/login-link').send({ email }).expect(202);
    await h.app.get(MailWorker).drain();
    const mails = smtp.to(email);
    const token = /\/auth\/sign-in\?token=(gwl_[A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.mail.text ?? '')?.[1];
    if (!token) throw new Error(`no sign-in link in the mail to ${email}`);
    return token;
  };
  const groupsOf = async (auth: string): Promise<number> =>
    (await h.http().get('/groups').set('authorization', auth).expect(200)).body.length;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL, SIGN_IN_LIMIT_PER_EMAIL: '50' });
    member = await h.user('applicant');
    const signedIn = await h
      .http()
      .post('/auth/session')
      .type('form')
      .set('origin', BASE_URL)
      .send({ token: await linkToken(member.email) })
      .expect(303);
    cookie = String(signedIn.headers['set-cookie']).split(';')[0];
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('refuses a form posting a sign-in token from another site (login CSRF), and leaves the link unspent', async () => {
    const attacker = await h.user('applicant');
    const token = await linkToken(attacker.email);
    const refused = await h
      .http()
      .post('/auth/session')
      .type('form')
      .set('origin', EVIL)
      .set('sec-fetch-site', 'cross-site')
      .send({ token })
      .expect(403);
    expect(refused.body.error.code).toBe('CSRF_REFUSED');
    expect(refused.body.error.message).toContain(BASE_URL);
    expect(refused.headers['set-cookie']).toBeUndefined();
    // a browser that sends only one of the two headers is judged by it
    await h.http().post('/auth/session').type('form').set('sec-fetch-site', 'same-site').send({ token }).expect(403);
    await h.http().post('/auth/session').type('form').set('origin', 'null').send({ token }).expect(403);
    // the same link from the service's own page still works
    await h
      .http()
      .post('/auth/session')
      .type('form')
      .set('origin', BASE_URL)
      .set('sec-fetch-site', 'same-origin')
      .send({ token })
      .expect(303);
  });

  it('refuses cookie-authenticated writes from another origin, and writes nothing', async () => {
    const before = await groupsOf(member.auth);
    const group = { name: 'Forged group', municipality: 'Zhazy', oblast: 'Osh' };
    const refused = await h.http().post('/groups').set('cookie', cookie).set('origin', EVIL).send(group).expect(403);
    expect(refused.body.error.code).toBe('CSRF_REFUSED');
    await h.http().post('/groups').set('cookie', cookie).set('sec-fetch-site', 'cross-site').send(group).expect(403);
    await h.http().patch('/me').set('cookie', cookie).set('origin', EVIL).send({ locale: 'ru' }).expect(403);
    // a cookie and neither header nor a matching Referer: not known to come from the service's pages
    await h.http().post('/groups').set('cookie', cookie).send(group).expect(403);
    await h.http().post('/groups').set('cookie', cookie).set('referer', `${EVIL}/page`).send(group).expect(403);
    await h.http().post('/auth/logout').set('cookie', cookie).set('origin', EVIL).expect(403);
    expect(await groupsOf(member.auth)).toBe(before);
    // reading is not refused
    await h.http().get('/me').set('cookie', cookie).set('origin', EVIL).set('sec-fetch-site', 'cross-site').expect(200);
  });

  it('accepts cookie-authenticated writes from the service itself', async () => {
    const before = await groupsOf(member.auth);
    const group = { name: 'Own group', municipality: 'Zhazy', oblast: 'Osh' };
    await h.http().post('/groups').set('cookie', cookie).set('origin', BASE_URL).send(group).expect(201);
    await h.http().post('/groups').set('cookie', cookie).set('sec-fetch-site', 'same-origin').send(group).expect(201);
    await h
      .http()
      .post('/groups')
      .set('cookie', cookie)
      .set('referer', `${BASE_URL}/groups/new`)
      .send(group)
      .expect(201);
    // the host the browser addressed, as the service sees it, when that is not BASE_URL's (behind no proxy)
    await h
      .http()
      .post('/groups')
      .set('cookie', cookie)
      .set('host', 'grants.internal:8080')
      .set('origin', 'http://grants.internal:8080')
      .send(group)
      .expect(201);
    expect(await groupsOf(member.auth)).toBe(before + 4);
  });

  it('leaves bearer-token API calls alone, from anywhere, and API clients that exchange a token', async () => {
    await h
      .http()
      .post('/groups')
      .set('authorization', member.auth)
      .set('origin', EVIL)
      .set('sec-fetch-site', 'cross-site')
      .send({ name: 'By API', municipality: 'Zhazy', oblast: 'Osh' })
      .expect(201);
    const other = await h.user('applicant');
    const session = await h
      .http()
      .post('/auth/session')
      .send({ token: await linkToken(other.email) })
      .expect(201);
    await h
      .http()
      .post('/auth/logout')
      .set('authorization', `Bearer ${session.body.token}`)
      .set('origin', EVIL)
      .expect(204);
  });
});
