import { formatMoney } from '../src/i18n/format';
import { translate } from '../src/i18n/translate';
import type { Locale } from '../workflows/localised';
import { awardedApplication, openCall, proposal, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// A group's award on its pages, as a browser without JavaScript uses them: the agreement read and
// downloaded, the bank account given and checked before it is saved, the grant accepted on its
// confirmation page; every write through the same services and machine as the API.

const ORIGIN = 'http://grants.example.org';
const HOSTILE = '<script>alert(1)</script> & "Water" for Zhazy';
const ACCOUNT = {
  accountHolder: 'Zhazy parents’ committee',
  bankName: 'KICB, Osh branch',
  accountNumber: '1280016044410123',
};

describe('the award’s pages', () => {
  let h: Harness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  async function member(locale: Locale): Promise<{ user: TestUser; agent: Agent }> {
    const user = await h.user('applicant', { locale });
    return { user, agent: await signedInAgent(h, smtp, user.email, ORIGIN) };
  }

  /** An application titled `title`, awarded EUR 2,000. */
  async function awarded(auth: string, title = 'Clean water for Zhazy school'): Promise<string> {
    const callId = await openCall(h, h.manager);
    const id = (
      await h
        .http()
        .post(`/calls/${callId}/applications`)
        .set('authorization', auth)
        .send(proposal('2000.00', { title }))
        .expect(201)
    ).body.id as string;
    await send(h, auth, `/applications/${id}`, { type: 'SUBMIT' });
    await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await send(h, h.manager, `/applications/${id}`, { type: 'AWARD', amount: '2000.00', reason: 'Funded' });
    return id;
  }

  const stateOf = async (id: string, auth: string) =>
    (await h.http().get(`/applications/${id}`).set('authorization', auth).expect(200)).body.state as string;

  it.each<Locale>(['ky', 'ru', 'en'])(
    'shows the agreement in %s, the applicant’s text escaped, and links to it from the status page',
    async (lang) => {
      const amount = formatMoney({ minor: 200000, currency: 'EUR' }, lang);
      const t = (key: string, params = {}) => translate(lang, key, params);
      const { user, agent } = await member(lang);
      const id = await awarded(user.auth, HOSTILE);
      const status = await agent.get(`/my-applications/${id}`).expect(200);
      expect(status.text).toContain(`href="/my-applications/${id}/award"`);
      expect(status.text).toContain(t('web.award.statusLink'));

      const page = await agent.get(`/my-applications/${id}/award`).expect(200);
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.text).toContain(`<html lang="${lang}"`);
      expect(page.text).toContain(t('web.award.title'));
      expect(page.text).toContain(amount);
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toMatch(/style="/);
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Water&quot; for Zhazy');
      // the agreement's own words, as its HTML says them in this language
      const agreement = await h
        .http()
        .get(`/applications/${id}/agreement?lang=${lang}`)
        .set('authorization', user.auth);
      const heading = /<h1>([^<]+)<\/h1>/.exec(agreement.text)?.[1] as string;
      expect(page.text).toContain(`<h3 class="govuk-heading-m">${heading}</h3>`);
      expect(page.text).toContain(`href="/my-applications/${id}/agreement.pdf"`);
      // no account yet: no accept button, the way to give one instead
      expect(page.text).toContain(t('web.award.needsBank'));
      expect(page.text).toContain(`href="/my-applications/${id}/bank-details"`);
      expect(page.text).not.toContain(`href="/my-applications/${id}/award/accept"`);
      expect(page.text).toContain(`href="/my-applications/${id}/decline"`);
    },
  );

  it('downloads the agreement as a PDF', async () => {
    const { user, agent } = await member('ru');
    const id = await awarded(user.auth);
    const pdf = await agent
      .get(`/my-applications/${id}/agreement.pdf`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/^attachment; filename="agreement-[^"]+-ru\.pdf"$/);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    const en = await agent.get(`/my-applications/${id}/agreement.pdf?lang=en`).expect(200);
    expect(en.headers['content-disposition']).toContain('-en.pdf');
  });

  it('refuses bad bank details field by field, in the reader’s language, and keeps what was typed', async () => {
    const { user, agent } = await member('ru');
    const id = await awarded(user.auth);
    const path = `/my-applications/${id}/bank-details`;
    const form = await agent.get(path).expect(200);
    expect(form.text).toContain('id="accountHolder"');
    expect(form.text).not.toContain('id="reason"');
    const bad = await postForm(agent, ORIGIN, path, form.text, {
      accountHolder: '',
      bankName: 'KICB',
      accountNumber: 'счёт №5',
      bic: 'KICB',
    }).expect(422);
    expect(bad.text).toContain('govuk-error-summary');
    for (const field of ['accountHolder', 'accountNumber', 'bic']) expect(bad.text).toContain(`href="#${field}"`);
    expect(bad.text).not.toContain('href="#bankName"');
    expect(bad.text).toContain('Укажите владельца счёта');
    expect(bad.text).toContain('В номере счёта могут быть только буквы, цифры, пробелы и дефисы');
    expect(bad.text).toContain('Укажите БИК из 8 или 11 латинских букв и цифр');
    expect(bad.text).toContain('value="счёт №5"');
    const none = await h.http().get(`/applications/${id}/bank-details`).set('authorization', user.auth).expect(200);
    expect(none.body.current).toBeNull();
  });

  it('shows the details back to be checked, changes them, saves them, then the award page shows them masked', async () => {
    const { user, agent } = await member('en');
    const id = await awarded(user.auth);
    const path = `/my-applications/${id}/bank-details`;
    const form = await agent.get(path).expect(200);
    const check = await postForm(agent, ORIGIN, path, form.text, { ...ACCOUNT, bic: 'kicbkg22' }).expect(200);
    expect(check.text).toContain('Check your bank details');
    expect(check.text).toContain('1280016044410123');
    expect(check.text).toContain(`action="${path}/confirm"`);
    // nothing is saved until the check page's button is pressed
    expect(
      (await h.http().get(`/applications/${id}/bank-details`).set('authorization', user.auth)).body.current,
    ).toBeNull();

    const change = await postForm(agent, ORIGIN, path, check.text, { ...ACCOUNT, bic: 'kicbkg22', change: '1' }).expect(
      200,
    );
    expect(change.text).toContain('value="kicbkg22"');
    expect(change.text).toContain('id="accountNumber"');

    const saved = await postForm(agent, ORIGIN, `${path}/confirm`, check.text, {
      ...ACCOUNT,
      bic: 'kicbkg22',
      reason: '',
    }).expect(303);
    expect(saved.headers.location).toBe(`/my-applications/${id}/award?done=bankDetails`);
    const award = await agent.get(saved.headers.location as string).expect(200);
    expect(award.text).toContain('govuk-notification-banner--success');
    expect(award.text).toContain('The bank details are saved.');
    expect(award.text).toContain('••••••••••••0123');
    expect(award.text).not.toContain('1280016044410123');
    expect(award.text).toContain('KICBKG22');
    expect(award.text).toContain(`href="/my-applications/${id}/award/accept"`);
    const record = await h.http().get(`/applications/${id}/bank-details`).set('authorization', user.auth).expect(200);
    expect(record.body.current).toMatchObject({ ...ACCOUNT, bic: 'KICBKG22', enteredBy: user.id });
  });

  it('refuses accepting without bank details with the reason, and accepts once they are given', async () => {
    const { user, agent } = await member('ky');
    const id = await awarded(user.auth);
    const path = `/my-applications/${id}/award/accept`;
    const ky = (key: string, params = {}) => translate('ky', key, params);
    const confirm = await agent.get(path).expect(200);
    expect(confirm.text).toContain(ky('web.award.needsBank'));
    expect(confirm.text).not.toContain(`action="${path}"`);
    // posted all the same (an old page): the machine refuses, and the page says why
    const refused = await postForm(agent, ORIGIN, path, confirm.text, {}).expect(409);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('href="#accept"');
    expect(refused.text).toContain(ky('application.bankDetailsGiven'));
    expect(await stateOf(id, user.auth)).toBe('awarded');

    const form = await agent.get(`/my-applications/${id}/bank-details`).expect(200);
    await postForm(agent, ORIGIN, `/my-applications/${id}/bank-details/confirm`, form.text, ACCOUNT).expect(303);
    const ready = await agent.get(path).expect(200);
    expect(ready.text).toContain('2\u00a0000,00\u00a0EUR');
    const agreement = await h.http().get(`/applications/${id}/agreement?lang=ky`).set('authorization', user.auth);
    const sha = Buffer.from(/sha-256=(.+)/.exec(agreement.headers.digest as string)?.[1] as string, 'base64').toString(
      'hex',
    );
    expect(ready.text).toContain(sha.slice(0, 12));
    expect(ready.text).toContain(`action="${path}"`);
    const yes = await postForm(agent, ORIGIN, path, ready.text, {}).expect(303);
    expect(yes.headers.location).toBe(`/my-applications/${id}?done=accepted`);
    expect(await stateOf(id, user.auth)).toBe('active');
    const after = await agent.get(`/my-applications/${id}/award`).expect(200);
    expect(after.text).toContain(ky('web.award.checksum', { checksum: sha.slice(0, 12) }));
    expect(after.text).not.toContain(`href="${path}"`);
  });

  it('takes a reason for a new account once the grant runs, warns who is told, and goes back to the status page', async () => {
    const { user, agent } = await member('en');
    const id = await awarded(user.auth);
    const path = `/my-applications/${id}/bank-details`;
    let form = await agent.get(path).expect(200);
    await postForm(agent, ORIGIN, `${path}/confirm`, form.text, ACCOUNT).expect(303);
    await send(h, user.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });

    form = await agent.get(path).expect(200);
    expect(form.text).toContain('id="reason"');
    expect(form.text).toContain('every member of your group and the programme’s finance officers are told');
    expect(form.text).toContain('value="Zhazy parents’ committee"');
    const changed = { ...ACCOUNT, bankName: 'Aiyl Bank, Osh', accountNumber: '1350100012345678' };
    const missing = await postForm(agent, ORIGIN, path, form.text, { ...changed, reason: '' }).expect(422);
    expect(missing.text).toContain('href="#reason"');
    expect(missing.text).toContain('Write why the bank account changes');
    // the check page's form posted without its reason: checked again before anything is saved
    const skipped = await postForm(agent, ORIGIN, `${path}/confirm`, form.text, changed).expect(422);
    expect(skipped.text).toContain('href="#reason"');

    const check = await postForm(agent, ORIGIN, path, form.text, { ...changed, reason: 'A new bank' }).expect(200);
    expect(check.text).toContain('A new bank');
    expect(check.text).toContain('payments already approved go back for approval');
    const saved = await postForm(agent, ORIGIN, `${path}/confirm`, check.text, {
      ...changed,
      reason: 'A new bank',
    }).expect(303);
    expect(saved.headers.location).toBe(`/my-applications/${id}?done=bankDetails`);
    const status = await agent.get(saved.headers.location as string).expect(200);
    expect(status.text).toContain('The bank details are changed.');
    const history = await h.http().get(`/applications/${id}/history`).set('authorization', user.auth).expect(200);
    expect(history.body.at(-1)).toMatchObject({ event: 'CHANGE_BANK_DETAILS', payload: { reason: 'A new bank' } });
  });

  it('answers another group’s member 404 on every page and form, and staff their role’s 403', async () => {
    const { user } = await member('en');
    const id = await awardedApplication(h, user.auth);
    const { agent: stranger } = await member('en');
    const own = await stranger.get('/home').expect(200);
    const base = `/my-applications/${id}`;
    const pages = [`${base}/award`, `${base}/agreement.pdf`, `${base}/award/accept`, `${base}/bank-details`];
    const forms = [`${base}/award/accept`, `${base}/bank-details`, `${base}/bank-details/confirm`];
    for (const page of pages) await stranger.get(page).expect(404);
    for (const form of forms) await postForm(stranger, ORIGIN, form, own.text, ACCOUNT).expect(404);

    for (const role of ['committee', 'manager'] as const) {
      const staff = await h.user(role);
      const agent = await signedInAgent(h, smtp, staff.email, ORIGIN);
      const home = await agent.get(role === 'committee' ? '/review' : '/manage').expect(200);
      for (const page of pages) await agent.get(page).expect(403);
      for (const form of forms) await postForm(agent, ORIGIN, form, home.text, ACCOUNT).expect(403);
    }
    expect(await stateOf(id, user.auth)).toBe('awarded');
    expect(
      (await h.http().get(`/applications/${id}/bank-details`).set('authorization', user.auth)).body.current,
    ).toBeNull();
  });

  it('answers a page, not an agreement, before the application is awarded', async () => {
    const { user, agent } = await member('ru');
    const id = await submittedApplication(h, await openCall(h, h.manager), user.auth);
    const status = await agent.get(`/my-applications/${id}`).expect(200);
    expect(status.text).not.toContain(`/my-applications/${id}/award`);
    for (const path of ['award', 'award/accept', 'bank-details']) {
      const page = await agent.get(`/my-applications/${id}/${path}`).expect(409);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.text).toContain('<html lang="ru"');
    }
  });

  it('refuses a form posted without its token, and sends a visitor to sign in', async () => {
    const { user, agent } = await member('en');
    const id = await awarded(user.auth);
    const base = `/my-applications/${id}`;
    for (const form of [`${base}/award/accept`, `${base}/bank-details`, `${base}/bank-details/confirm`]) {
      await agent.post(form).set('origin', ORIGIN).type('form').send(ACCOUNT).expect(403);
    }
    const visitor = await h.http().get(`${base}/award`).expect(303);
    expect(visitor.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`${base}/award`)}`);
    expect(await stateOf(id, user.auth)).toBe('awarded');
    expect(
      (
        await h
          .http()
          .get(`${base.replace('/my-applications', '/applications')}/bank-details`)
          .set('authorization', user.auth)
      ).body.current,
    ).toBeNull();
  });
});
