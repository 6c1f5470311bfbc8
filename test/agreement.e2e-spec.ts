import { createHash } from 'node:crypto';
import { PDFParse } from 'pdf-parse';
import { translate } from '../src/i18n/translate';
import { MailWorker } from '../src/notifications/mail.worker';
import { createCall, giveBankDetails, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

// The grant agreement and the account it is paid into, over HTTP and real SMTP: the agreement in
// each language with the group's text escaped, its PDF with the Kyrgyz letters, the acceptance
// refused without bank details and recorded with the agreement's checksums, and a change of
// account once the grant runs: a reason, every member and finance told, approvals given again.

const HOSTILE_TITLE = '<script>alert("grant")</script> Zhazy & “Sports”';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('the grant agreement and its acceptance', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let owner: TestUser;
  let second: TestUser;
  let outsider: TestUser;
  let committee: TestUser;
  let finance: TestUser;
  let finance2: TestUser;
  let call: string;
  let id: string;

  const get = (path: string, who: TestUser | string) =>
    h
      .http()
      .get(path)
      .set('authorization', typeof who === 'string' ? who : who.auth);

  const messagesTo = (who: TestUser) => smtp.to(who.email).map((r) => r.mail.headers.get('x-grants-message'));

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url });
    owner = await h.user('applicant', { name: 'Айгүл Токтосунова', locale: 'ky' });
    second = await h.user('applicant', { name: 'Бакыт Осмонов', locale: 'ru', groupId: owner.groupId as string });
    outsider = await h.user('applicant');
    committee = await h.user('committee');
    finance = await h.user('finance', { locale: 'en' });
    finance2 = await h.user('finance', { locale: 'ru' });
    call = await createCall(h, h.manager, {
      paymentPlan: [
        { sharePercent: 70, release: 'on_acceptance' },
        { sharePercent: 30, release: 'interim_report_accepted' },
      ],
      reportSchedule: [{ kind: 'final', dueAt: '2027-06-30T12:00:00Z' }],
    });
    await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' });
    await h
      .http()
      .put(`/calls/${call}/committee`)
      .set('authorization', h.manager)
      .send({ members: [{ userId: committee.id, chair: true }] })
      .expect(200);
    id = (
      await h
        .http()
        .post(`/calls/${call}/applications`)
        .set('authorization', owner.auth)
        .send(proposal('2500.00', { title: HOSTILE_TITLE }))
        .expect(201)
    ).body.id;
    await send(h, owner.auth, `/applications/${id}`, { type: 'SUBMIT' });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('draws up no agreement before the award', async () => {
    const res = await get(`/applications/${id}/agreement`, owner).expect(409);
    expect(res.body.error.code).toBe('CONFLICT');
    const refused = await giveBankDetails(h, owner.auth, id, {}, 409);
    expect(refused.body.error.message).toContain('грант ыйгарылгандан кийин');
  });

  it('draws the agreement up in each language once awarded, the group’s text escaped', async () => {
    await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${call}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${call}`, { type: 'START_REVIEW' });
    await h
      .http()
      .post(`/applications/${id}/conflict`)
      .set('authorization', committee.auth)
      .send({ conflicted: false })
      .expect(200);
    await send(h, h.manager, `/applications/${id}`, { type: 'AWARD', amount: '2500.00' });

    const words = {
      ky: 'эки миң беш жүз евро 00 евроцент',
      ru: 'две тысячи пятьсот евро 00 евроцентов',
      en: 'two thousand five hundred euros and 00 cents',
    };
    for (const lang of ['ky', 'ru', 'en'] as const) {
      const res = await get(`/applications/${id}/agreement?lang=${lang}`, finance).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toContain(`<html lang="${lang}">`);
      expect(res.text).toContain(words[lang]);
      expect(res.text).toContain('&lt;script&gt;alert(&quot;grant&quot;)&lt;/script&gt; Zhazy &amp; “Sports”');
      expect(res.text).not.toContain('<script>');
      // the payments match the tranches the acceptance will start: 70/30 of EUR 2,500
      expect(res.text).toMatch(/1[\s\u00a0,]?750[.,]00/);
      expect(res.text).toMatch(/750[.,]00/);
      expect(res.headers.digest).toBe(`sha-256=${Buffer.from(sha256(res.text), 'hex').toString('base64')}`);
    }
    // in the reader's own language by default
    expect((await get(`/applications/${id}/agreement`, second).expect(200)).text).toContain('<html lang="ru">');
  });

  it('serves the agreement as a PDF whose text holds the Kyrgyz letters ө, ү and ң', async () => {
    const res = await get(`/applications/${id}/agreement.pdf?lang=ky`, owner)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const parser = new PDFParse({ data: new Uint8Array(res.body as Buffer) });
    const { text } = await parser.getText();
    await parser.destroy();
    for (const letter of ['ө', 'ү', 'ң'])
      expect({ letter, found: text.includes(letter) }).toEqual({ letter, found: true });
    expect(text).toContain('грант келишими');
    expect(text).toContain('эки миң беш жүз евро');
  });

  it('keeps the agreement and the bank details from another group and from the committee', async () => {
    for (const path of ['agreement', 'agreement.pdf', 'bank-details'])
      await get(`/applications/${id}/${path}`, outsider).expect(404);
    await giveBankDetails(h, outsider.auth, id, {}, 404);
    for (const path of ['agreement', 'bank-details']) {
      const refused = await get(`/applications/${id}/${path}`, committee).expect(403);
      expect(refused.body.error.code).toBe('FORBIDDEN');
    }
    // the committee member does see the application itself
    await get(`/applications/${id}`, committee).expect(200);
    await giveBankDetails(h, committee.auth, id, {}, 403);
  });

  it('refuses the acceptance while no bank details are given, naming the rule in the reader’s language', async () => {
    const refused = await send(h, owner.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' }, 409);
    expect(refused.body.error.code).toBe('GUARD_FAILED');
    expect(refused.body.error.details.failedConditions).toEqual(['bankDetailsGiven']);
    expect(refused.body.error.message).toContain(translate('ky', 'application.bankDetailsGiven'));
    const inRussian = await send(h, second.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' }, 409);
    expect(inRussian.body.error.message).toContain(translate('ru', 'application.bankDetailsGiven'));
  });

  it('answers 400 naming each bad field of the bank details', async () => {
    const res = await giveBankDetails(h, owner.auth, id, { accountNumber: '', bic: 'NOT A BIC', bankName: 7 }, 400);
    const fields = res.body.error.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(['accountNumber', 'bankName', 'bic']);
  });

  it('records who accepted and when, with checksums that match the agreement served', async () => {
    const given = await giveBankDetails(h, owner.auth, id, { bic: 'kicbkg22' });
    expect(given.body.current).toMatchObject({ bankName: 'KICB, Osh branch', bic: 'KICBKG22', enteredBy: owner.id });
    const before = Date.now();
    await send(h, second.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const view = (await get(`/applications/${id}`, owner).expect(200)).body;
    expect(view.state).toBe('active');
    expect(view.acceptance.acceptedBy).toBe(second.id);
    expect(Date.parse(view.acceptance.acceptedAt)).toBeGreaterThanOrEqual(before - 1000);
    for (const lang of ['ky', 'ru', 'en']) {
      const served = await get(`/applications/${id}/agreement?lang=${lang}`, h.manager).expect(200);
      expect({ lang, sha: sha256(served.text) }).toEqual({ lang, sha: view.acceptance.agreementSha256[lang] });
    }
    // the checksums are in the hash-chained log, with the acceptance
    const history = (await get(`/applications/${id}/history`, h.manager).expect(200)).body;
    const accepted = history.find((r: { event: string }) => r.event === 'ACCEPT_AWARD');
    expect(accepted.payload.facts.agreementSha256).toEqual(view.acceptance.agreementSha256);
    expect(accepted.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('sends an approved tranche back for approval when the account changes, and tells every member and finance', async () => {
    const [tranche] = (await get(`/applications/${id}/tranches`, h.manager).expect(200)).body as { id: string }[];
    await send(h, h.manager, `/tranches/${tranche.id}`, { type: 'REQUEST' });
    // EUR 2,500 is at the call's threshold: two officers approve
    await send(h, finance.auth, `/tranches/${tranche.id}`, { type: 'APPROVE' });
    await send(h, finance2.auth, `/tranches/${tranche.id}`, { type: 'APPROVE' });
    const approved = (await get(`/tranches/${tranche.id}`, finance).expect(200)).body;
    expect(approved.state).toBe('approved');
    expect(approved.bankDetails).toMatchObject({ accountNumber: '1280016044410123' });
    expect((await get(`/tranches/${tranche.id}`, h.manager).expect(200)).body.bankDetails).toBeNull();

    const newAccount = { bankName: 'Aiyl Bank, Osh', accountNumber: '1350100012345678' };
    const noReason = await giveBankDetails(h, owner.auth, id, newAccount, 400);
    expect(noReason.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    expect((await get(`/tranches/${tranche.id}`, finance).expect(200)).body.state).toBe('approved');

    const reason = 'Our old account at KICB was closed';
    const changed = await giveBankDetails(h, owner.auth, id, { ...newAccount, reason });
    expect(
      changed.body.history.map((c: { reason: string | null; accountEnding: string }) => [c.reason, c.accountEnding]),
    ).toEqual([
      [null, '0123'],
      [reason, '5678'],
    ]);

    const again = (await get(`/tranches/${tranche.id}`, finance).expect(200)).body;
    expect(again).toMatchObject({ state: 'requested', approvedBy: [] });
    expect(again.bankDetails).toMatchObject(newAccount);
    const log = (await get(`/applications/${id}/history`, h.manager).expect(200)).body;
    const change = log.find((r: { event: string }) => r.event === 'CHANGE_BANK_DETAILS');
    expect(change).toMatchObject({ reason, actor: { id: owner.id, role: 'applicant' }, from: 'active', to: 'active' });
    // the log holds the reason, never the account
    expect(JSON.stringify(log)).not.toContain('1350100012345678');

    await h.app.get(MailWorker).drain();
    expect(messagesTo(owner)).toContain('application.bank_details_changed');
    expect(messagesTo(second)).toContain('application.bank_details_changed');
    expect(messagesTo(finance)).toContain('application.bank_details_changed_finance');
    expect(messagesTo(finance2)).toContain('application.bank_details_changed_finance');
    const [toSecond] = smtp
      .to(second.email)
      .filter((r) => r.mail.headers.get('x-grants-message') === 'application.bank_details_changed');
    expect(toSecond.mail.subject).toContain('Банковские реквизиты вашего гранта изменены');
    expect(toSecond.mail.text).toContain(reason);
    // both officers are asked to approve the payment again
    expect(messagesTo(finance)).toContain('disbursement.approval_requested');
  });
});
