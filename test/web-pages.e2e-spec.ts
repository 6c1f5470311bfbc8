import request from 'supertest';
import { MailWorker } from '../src/notifications/mail.worker';
import { createCall, openCall, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

// The pages over HTTP, as a browser without JavaScript uses them: forms posted with their
// anti-forgery token, redirects followed by hand, cookies kept by the agent.

/** The value of the hidden anti-forgery field in a page. */
function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('the page has no form token');
  return token;
}

describe('the web pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let callId: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: 'http://grants.example.org', SIGN_IN_LIMIT_PER_EMAIL: '3' });
    callId = await openCall(h, h.manager);
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('shows the open calls to anyone, in the browser’s language, with money written the reader’s way', async () => {
    const page = await h.http().get('/').set('accept-language', 'ru-KG,ru;q=0.9').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<html lang="ru"');
    expect(page.text).toContain('Гранты для местных инициатив');
    expect(page.text).toContain(`href="/open-calls/${callId}"`);
    expect(page.text).toContain('2\u00a0500,00\u00a0EUR');
    const call = await h.http().get(`/open-calls/${callId}`).set('accept-language', 'ky').expect(200);
    expect(call.text).toContain('<html lang="ky"');
    expect(call.text).toContain('Community need');
  });

  it('sets a policy that lets no inline script or other site in, and compresses pages', async () => {
    const page = await h.http().get('/').set('accept-encoding', 'gzip').expect(200);
    const policy = page.headers['content-security-policy'];
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    const styles = /href="(\/assets\/app\.css\?v=[0-9a-f]+)"/.exec(page.text)?.[1] as string;
    const css = await h.http().get(styles).expect(200);
    expect(css.headers['cache-control']).toMatch(/immutable/);
    // Kyrgyz's ң, ө and ү (U+04A3, U+04E9, U+04AF) are in the extended Cyrillic face, which the styles name too.
    expect(css.text).toMatch(/noto-sans-cyrillic-ext-400-normal\.woff2\?v=[0-9a-f]{12}[^}]*U\+0460-052F/);
    const fonts = [...css.text.matchAll(/\/assets\/fonts\/[\w-]+\.woff2\?v=[0-9a-f]{12}/g)].map((m) => m[0]);
    expect(new Set(fonts).size).toBe(6);
    for (const font of new Set(fonts))
      await h
        .http()
        .get(font)
        .expect(200)
        .expect('content-type', /font\/woff2/);
  });

  it('escapes what people wrote: a call’s title cannot put markup in the page', async () => {
    const id = await createCall(h, h.manager, { title: { en: '<script>alert(1)</script> & "quotes"' } });
    await send(h, h.manager, `/calls/${id}`, { type: 'PUBLISH' });
    const page = await h.http().get(`/open-calls/${id}`).set('accept-language', 'en').expect(200);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });

  it('answers a draft call and a call that does not exist with a 404 page in the reader’s language', async () => {
    const draft = await createCall(h, h.manager);
    for (const path of [`/open-calls/${draft}`, '/open-calls/00000000-0000-4000-8000-000000000000']) {
      const page = await h.http().get(path).set('accept-language', 'ky').expect(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('Барак табылган жок');
    }
  });

  it('answers an address nothing serves with a page for a browser, and with JSON for an API client', async () => {
    const browser = await h
      .http()
      .get('/no-such-page')
      .set('accept', 'text/html,application/xhtml+xml,*/*;q=0.8')
      .set('accept-language', 'ru')
      .expect(404);
    expect(browser.headers['content-type']).toMatch(/^text\/html/);
    expect(browser.text).toContain('Страница не найдена');
    const client = await h.http().get('/no-such-page').expect(404);
    expect(client.body.error.code).toBe('NOT_FOUND');
  });

  it('remembers the language chosen, and only sends the reader back to a page of this site', async () => {
    const agent = request.agent(h.app.getHttpServer());
    const chosen = await agent.get('/language/ky?back=/sign-in').expect(303);
    expect(chosen.headers.location).toBe('/sign-in');
    const page = await agent.get('/').set('accept-language', 'en').expect(200);
    expect(page.text).toContain('<html lang="ky"');
    for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const away = await agent.get(`/language/ru?back=${encodeURIComponent(back)}`).expect(303);
      expect(away.headers.location).toBe('/');
    }
    await agent.get('/language/de').expect(404);
  });

  it('refuses a form posted without its token, and re-shows an invalid one with the error summary', async () => {
    const agent = request.agent(h.app.getHttpServer());
    const refused = await agent.post('/sign-in').type('form').send({ email: 'a@example.test' }).expect(403);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
    const form = await agent.get('/sign-in').set('accept-language', 'en').expect(200);
    const invalid = await agent
      .post('/sign-in')
      .set('accept-language', 'en')
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: 'not an address' })
      .expect(422);
    expect(invalid.text).toContain('govuk-error-summary');
    expect(invalid.text).toContain('href="#email"');
    expect(invalid.text).toContain('Enter an email address like name@example.kg');
    expect(invalid.text).toContain('value="not an address"');
    // a token from another agent's page is not this one's
    const other = await request.agent(h.app.getHttpServer()).get('/sign-in').expect(200);
    await agent
      .post('/sign-in')
      .type('form')
      .send({ _csrf: csrfOf(other.text), email: 'a@example.test' })
      .expect(403);
  });

  it('makes an account for a newcomer’s address, who signs in by its link and starts their group', async () => {
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/sign-in').set('accept-language', 'ky').expect(200);
    const email = `newcomer-${Date.now()}@example.test`;
    const sent = await agent
      .post('/sign-in')
      .set('accept-language', 'ky')
      .type('form')
      .send({ _csrf: csrfOf(form.text), email, name: 'Айгүл Токтогулова' })
      .expect(200);
    expect(sent.text).toContain('Почтаңызды текшериңиз');
    await h.app.get(MailWorker).drain();
    const mail = smtp.to(email).at(-1);
    const token = /\/auth\/sign-in\?token=(gwl_[A-Za-z0-9_-]+)/.exec(mail?.mail.text ?? '')?.[1] as string;
    expect(token).toBeDefined();
    await agent
      .post('/auth/session')
      .set('origin', 'http://grants.example.org')
      .type('form')
      .send({ token })
      .expect(303);
    const home = await agent.get('/home').expect(200);
    expect(home.text).toContain('<html lang="ky"');
    expect(home.text).toContain('Саламатсызбы, Айгүл Токтогулова');
    expect(home.text).toContain('href="/group/new"');
    // a name with a link in it is refused: it would reach the emails the account is sent
    const other = request.agent(h.app.getHttpServer());
    const again = await other.get('/sign-in').expect(200);
    const refused = await other
      .post('/sign-in')
      .set('accept-language', 'en')
      .type('form')
      .send({ _csrf: csrfOf(again.text), email: 'x@example.test', name: 'visit evil.example' })
      .expect(422);
    expect(refused.text).toContain('href="#name"');
  });

  it('limits the sign-in links one address is sent, as the API does, with a page saying so', async () => {
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/sign-in').set('accept-language', 'en').expect(200);
    const ask = () =>
      agent
        .post('/sign-in')
        .set('accept-language', 'en')
        .type('form')
        .send({ _csrf: csrfOf(form.text), email: 'flooded@example.test' });
    for (let i = 0; i < 3; i++) await ask().expect(200);
    const refused = await ask().expect(429);
    expect(refused.headers['content-type']).toMatch(/^text\/html/);
  });

  it('answers a sign-in link with an odd token with a page saying so, never a 5xx', async () => {
    for (const token of ['', 'abc', 'gwl_short', `gwl_${'x'.repeat(300)}`, '%ED%A0%80', '%FF']) {
      const page = await h.http().get(`/auth/sign-in?token=${token}`).set('accept-language', 'en').expect(400);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('This sign-in link is not complete.');
    }
    // a NUL is refused before any page reads the query, for every route alike
    const nul = await h.http().get('/auth/sign-in?token=%00').expect(400);
    expect(nul.headers['content-type']).toMatch(/^text\/html/);
    await h.http().get('/auth/sign-in?token=a&token=b').expect(400);
  });

  it('signs a group member in by email link and lands on their home, then their application’s status page', async () => {
    const member = await h.user('applicant', { locale: 'ru', name: 'Асель' });
    const applicationId = await submittedApplication(h, callId, member.auth);
    const agent = request.agent(h.app.getHttpServer());
    const form = await agent.get('/sign-in').expect(200);
    const sent = await agent
      .post('/sign-in')
      .set('accept-language', 'ru')
      .type('form')
      .send({ _csrf: csrfOf(form.text), email: member.email });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('Проверьте почту');
    await h.app.get(MailWorker).drain();
    const text = smtp
      .to(member.email)
      .map((r) => r.mail.text ?? '')
      .find((t) => t.includes('/auth/sign-in?token=')) as string;
    const token = /\/auth\/sign-in\?token=(gwl_[A-Za-z0-9_-]+)/.exec(text)?.[1] as string;
    const button = await agent.get(`/auth/sign-in?token=${token}`).expect(200);
    expect(button.headers['referrer-policy']).toBe('strict-origin');
    expect(button.text).toContain('action="/auth/session"');
    const signedIn = await agent
      .post('/auth/session')
      .set('origin', 'http://grants.example.org')
      .type('form')
      .send({ token })
      .expect(303);
    expect(signedIn.headers.location).toBe('/home');
    const home = await agent.get('/home').expect(200);
    expect(home.text).toContain('Здравствуйте, Асель');
    expect(home.text).toContain(`href="/my-applications/${applicationId}"`);
    const status = await agent.get(`/my-applications/${applicationId}`).expect(200);
    expect(status.text).toContain('Clean water for Zhazy school');

    // another group's application is as unknown as one that does not exist
    const stranger = await h.user('applicant');
    const theirs = await submittedApplication(h, callId, stranger.auth);
    await agent.get(`/my-applications/${theirs}`).expect(404);

    // signing out ends the session: home sends the reader to sign in again
    await agent
      .post('/sign-out')
      .set('origin', 'http://grants.example.org')
      .type('form')
      .send({ _csrf: csrfOf(home.text) })
      .expect(303);
    const again = await agent.get('/home').expect(303);
    expect(again.headers.location).toBe('/sign-in?next=%2Fhome');
  });

  it('sends a manager home to their dashboard, a committee member to their calls and a finance officer to their queue', async () => {
    const home = (auth: string) => h.http().get('/home').set('accept', 'text/html').set('authorization', auth);
    expect((await home(h.manager).expect(303)).headers.location).toBe('/manage');
    const member = await h.user('committee');
    expect((await home(member.auth).expect(303)).headers.location).toBe('/review');
    const finance = await h.user('finance', { locale: 'en' });
    expect((await home(finance.auth).expect(303)).headers.location).toBe('/finance');
  });
});
