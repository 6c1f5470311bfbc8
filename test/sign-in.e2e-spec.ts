import { sqlRows } from '../src/common/sql';
import { MailWorker } from '../src/notifications/mail.worker';
import { openCall, proposal } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

/** The sign-in link in the latest email to `email`, and its token. */
function linkIn(smtp: SmtpSink, email: string): { url: string; token: string } {
  const mails = smtp.to(email);
  const text = mails[mails.length - 1]?.mail.text ?? '';
  const url = /https?:\/\/\S+\/auth\/sign-in\?token=(gwl_[A-Za-z0-9_-]+)/.exec(text);
  if (!url) throw new Error(`no sign-in link in the mail to ${email}`);
  return { url: url[0], token: url[1] };
}

describe('sign-in by email link, over real SMTP', () => {
  let h: Harness;
  let smtp: SmtpSink;
  const drain = () => h.app.get(MailWorker).drain();

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({
      SMTP_URL: smtp.url,
      BASE_URL: 'https://grants.example.org',
      SIGN_IN_LIMIT_PER_EMAIL: '3',
    });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('emails a link, exchanges it for a session, and refuses the same link twice', async () => {
    const member = await h.user('applicant', { locale: 'ru', name: 'Асель' });
    const asked = await h.http().post('/auth/login-link').send({ email: member.email.toUpperCase() }).expect(202);
    await drain();
    const mails = smtp.to(member.email);
    expect(mails).toHaveLength(1);
    expect(mails[0].mail.subject).toBe('Ссылка для входа');
    const { url, token } = linkIn(smtp, member.email);
    expect(url.startsWith('https://grants.example.org/auth/sign-in?token=gwl_')).toBe(true);

    // Neither the database nor the queued email holds the token: only its hash and the link's id.
    const [stored] = await sqlRows<{ n: string }>(
      h.orm.em.fork(),
      `select (select count(*) from login_link where token_hash = ?) + (select count(*) from notification where data::text like ?) as n`,
      [token, `%${token}%`],
    );
    expect(Number(stored.n)).toBe(0);

    // Opening the link changes nothing: it shows a button that signs in.
    const page = await h.http().get(`/auth/sign-in?token=${token}`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain(`value="${token}"`);

    const session = await h.http().post('/auth/session').send({ token }).expect(201);
    expect(session.body).toMatchObject({
      token: expect.stringMatching(/^gws_/),
      user: { id: member.id, role: 'applicant', locale: 'ru' },
    });
    const cookie = String(session.headers['set-cookie']);
    expect(cookie).toMatch(/^grants_session=s%3Agws_/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);

    const bearer = await h.http().get('/me').set('authorization', `Bearer ${session.body.token}`).expect(200);
    expect(bearer.body.id).toBe(member.id);
    const byCookie = await h.http().get('/me').set('cookie', cookie.split(';')[0]).expect(200);
    expect(byCookie.body.id).toBe(member.id);

    const again = await h.http().post('/auth/session').send({ token }).expect(401);
    expect(again.body.error.message).toMatch(/ask for a new one/);
    expect(asked.body.message).toEqual(expect.any(String));
  });

  it('answers the same for an unknown address, and sends nothing', async () => {
    const known = await h.user('finance');
    const a = await h.http().post('/auth/login-link').send({ email: known.email }).expect(202);
    const b = await h.http().post('/auth/login-link').send({ email: 'nobody-here@example.test' }).expect(202);
    expect(b.body).toEqual(a.body);
    await drain();
    expect(smtp.to('nobody-here@example.test')).toHaveLength(0);
    expect(smtp.to(known.email)).toHaveLength(1);
  });

  it('refuses an expired link', async () => {
    const member = await h.user('applicant');
    await h.http().post('/auth/login-link').send({ email: member.email }).expect(202);
    await drain();
    const { token } = linkIn(smtp, member.email);
    // fifteen minutes later
    await sqlRows(h.orm.em.fork(), `update login_link set expires_at = now() - interval '1 second' where user_id = ?`, [
      member.id,
    ]);
    await h.http().post('/auth/session').send({ token }).expect(401);
    await h.http().post('/auth/session').send({ token: 'gwl_not-a-real-token-at-all-000000' }).expect(401);
    await h.http().post('/auth/session').send({ token: 'something else' }).expect(400);
  });

  it('signs a browser in from the sign-in page form, and out again', async () => {
    const member = await h.user('applicant');
    await h.http().post('/auth/login-link').send({ email: member.email }).expect(202);
    await drain();
    const { token } = linkIn(smtp, member.email);
    const signedIn = await h.http().post('/auth/session').type('form').send({ token }).expect(303);
    expect(signedIn.headers.location).toBe('/home');
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0];
    await h.http().get('/me').set('cookie', cookie).expect(200);

    // a browser's post from the service's own page carries its origin
    await h.http().post('/auth/logout').set('cookie', cookie).set('origin', 'https://grants.example.org').expect(204);
    await h.http().get('/me').set('cookie', cookie).expect(401);
    // A forged cookie (not signed by the service) is no session.
    await h
      .http()
      .get('/me')
      .set('cookie', `grants_session=${cookie.split('=')[1].replace(/\.[^.]+$/, '.forged')}`)
      .expect(401);
  });

  it('ends sessions when they expire, and every session and API token of a user a manager revokes', async () => {
    const member = await h.user('applicant');
    const sessions: string[] = [];
    for (let i = 0; i < 2; i++) {
      await h.http().post('/auth/login-link').send({ email: member.email }).expect(202);
      await drain();
      sessions.push(
        (
          await h
            .http()
            .post('/auth/session')
            .send({ token: linkIn(smtp, member.email).token })
            .expect(201)
        ).body.token,
      );
    }
    for (const s of sessions) await h.http().get('/me').set('authorization', `Bearer ${s}`).expect(200);

    // A manager of a programme the member has not applied to cannot reach them.
    await h.http().post(`/users/${member.id}/sessions/revoke`).set('authorization', h.manager).expect(404);
    const callId = await openCall(h, h.manager);
    await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', `Bearer ${sessions[0]}`)
      .send(proposal('100.00', { title: 'Water' }))
      .expect(201);
    // The API token was just used, so this process has it cached: revocation must end it at once all the same.
    await h.http().get('/me').set('authorization', member.auth).expect(200);
    const revoked = await h
      .http()
      .post(`/users/${member.id}/sessions/revoke`)
      .set('authorization', h.manager)
      .expect(200);
    expect(revoked.body).toEqual({ revoked: 3, sessions: 2, apiTokens: 1 });
    for (const s of sessions) await h.http().get('/me').set('authorization', `Bearer ${s}`).expect(401);
    await h.http().get('/me').set('authorization', member.auth).expect(401);

    await h.http().post('/auth/login-link').send({ email: member.email }).expect(202);
    await drain();
    const late = (
      await h
        .http()
        .post('/auth/session')
        .send({ token: linkIn(smtp, member.email).token })
        .expect(201)
    ).body.token;
    await sqlRows(
      h.orm.em.fork(),
      `update user_session set expires_at = now() - interval '1 second' where user_id = ?`,
      [member.id],
    );
    await h.http().get('/me').set('authorization', `Bearer ${late}`).expect(401);
  });

  it('lets a manager invite staff to their programme, who sign in from the invitation', async () => {
    const email = `officer-${Date.now()}@example.test`;
    await h
      .http()
      .post('/users')
      .set('authorization', h.applicant)
      .send({ email, name: 'Nurlan', role: 'finance' })
      .expect(403);
    const invited = await h
      .http()
      .post('/users')
      .set('authorization', h.manager)
      .send({ email, name: 'Nurlan', role: 'finance', locale: 'ky' })
      .expect(201);
    expect(invited.body).toMatchObject({ email, role: 'finance', locale: 'ky' });
    await h
      .http()
      .post('/users')
      .set('authorization', h.manager)
      .send({ email, name: 'Nurlan', role: 'finance' })
      .expect(409);
    await drain();
    const [mail] = smtp.to(email);
    expect(mail.mail.headers.get('x-grants-message')).toBe('auth.invitation');
    expect(mail.mail.text).toContain('A manager');
    const session = await h
      .http()
      .post('/auth/session')
      .send({ token: linkIn(smtp, email).token })
      .expect(201);
    expect(session.body.user).toMatchObject({ role: 'finance', programmeId: h.programmeId });
    const staff = await h.http().get('/users').set('authorization', h.manager).expect(200);
    expect(staff.body.map((u: { email: string }) => u.email)).toContain(email);
  });

  it('limits sign-in links per address, and serves other addresses from the same place', async () => {
    const member = await h.user('applicant');
    for (let i = 0; i < 3; i++) await h.http().post('/auth/login-link').send({ email: member.email }).expect(202);
    const limited = await h.http().post('/auth/login-link').send({ email: member.email }).expect(429);
    expect(limited.body.error.code).toEqual(expect.any(String));
    // another address from the same place is still served
    await h
      .http()
      .post('/auth/login-link')
      .send({ email: `other-${Date.now()}@example.test` })
      .expect(202);
  });
});
