import type { BrowserContext, Page } from 'playwright-core';
import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { createCall, proposal, send } from './support/fixtures';
import type { TestUser } from './support/harness';
import { signInToken } from './support/pages';

// A grant's first payment in a real browser, in each language: the manager asks for it, a first
// finance officer approves it and is refused a second approval, a second officer approves it and
// records the payment, and the group sees it paid on its status page. axe checks every page at
// WCAG 2.2 AA where JavaScript is on; each is photographed at 360 and 1280 pixels wide.

jest.setTimeout(300_000);

const SHOTS = '/tmp/shots/finance';
const PLAN = [
  { sharePercent: 70, release: 'on_acceptance' },
  { sharePercent: 30, release: 'interim_report_accepted' },
];

describe('a grant’s payment in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the payment pages', SHOTS);
  });
  afterAll(() => stage?.close());

  /** A EUR 2,500 grant, at the call's threshold, accepted by its group: its two planned tranches. */
  async function acceptedGrant(group: TestUser) {
    const { h } = stage;
    const callId = await createCall(h, h.manager, { paymentPlan: PLAN });
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    const created = await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', group.auth)
      .send(proposal('2500.00', { title: 'Жазы мектебине таза суу' }))
      .expect(201);
    const id = created.body.id as string;
    await send(h, group.auth, `/applications/${id}`, { type: 'SUBMIT' });
    await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await send(h, h.manager, `/applications/${id}`, { type: 'AWARD', amount: '2500.00' });
    await h
      .http()
      .put(`/applications/${id}/bank-details`)
      .set('authorization', group.auth)
      .send({ accountHolder: 'Жазы ата-энелер комитети', bankName: 'KICB, Ош', accountNumber: '1280016044410123' })
      .expect(200);
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const tranches = (await h.http().get(`/applications/${id}/tranches`).set('authorization', h.manager).expect(200))
      .body as { id: string }[];
    return { id, first: tranches[0].id, second: tranches[1].id };
  }

  /** A browser of one person, signed in through the sign-in page and the emailed link. */
  async function signedIn(user: TestUser, lang: Locale, js: boolean): Promise<{ context: BrowserContext; page: Page }> {
    const { h, smtp, browser, base } = stage;
    const t = (key: string) => translate(lang, key);
    const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByLabel(t('web.signIn.email')).fill(user.email);
    await page.getByRole('button', { name: t('web.signIn.send') }).click();
    await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
    await page.goto(`${base}/auth/sign-in?token=${await signInToken(h, smtp, user.email)}`);
    await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
    await page.waitForLoadState();
    return { context, page };
  }

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', true],
    ['en', false],
  ])('in %s (JavaScript %s): requested, approved twice, refused once, paid, and seen paid', async (lang, js) => {
    const { h, base, look } = stage;
    const t = (key: string, params = {}) => translate(lang, key, params);
    const names = {
      ky: ['Айгүл Асанова', 'Бакыт Осмонов', 'Нурлан Токтосунов'],
      ru: ['Айгуль Асанова', 'Ольга Ким', 'Нурлан Токтосунов'],
      en: ['Aigul Asanova', 'Olga Kim', 'Nurlan Toktosunov'],
    }[lang];
    const manager = await h.user('manager', { locale: lang, name: names[0] });
    const first = await h.user('finance', { locale: lang, name: names[1] });
    const second = await h.user('finance', { locale: lang, name: names[2] });
    const group = await h.user('applicant', { locale: lang });
    const grant = await acceptedGrant(group);
    const people: BrowserContext[] = [];
    const as = async (user: TestUser) => {
      const signed = await signedIn(user, lang, js);
      people.push(signed.context);
      return signed.page;
    };
    try {
      // The manager: the grant's payments, the first asked for through its confirmation, the second waits.
      const m = await as(manager);
      await m.goto(`${base}/manage/applications/${grant.id}`);
      await m.getByRole('link', { name: t('web.finance.payments.link') }).click();
      await m.waitForURL(`**/manage/applications/${grant.id}/payments`);
      expect(await m.textContent('main')).toContain(
        t('disbursement.trancheConditionMet', { report: { term: 'report.kind.interim' } }),
      );
      await look(m, `${lang}-manager-payments`, js);
      await m.getByRole('button', { name: t('web.finance.request.start') }).click();
      await m.waitForURL(`**/payments/${grant.first}/request`);
      await look(m, `${lang}-manager-request-confirm`, js);
      await m.getByRole('button', { name: t('web.finance.request.confirm') }).click();
      await m.waitForURL('**/payments?done=requested');
      expect(await m.locator('.govuk-notification-banner--success').textContent()).toContain(
        t('web.finance.done.requested'),
      );
      await look(m, `${lang}-manager-payments-requested`, js);

      // The first officer: home is the queue; then the tranche, and its approval.
      const f = await as(first);
      await f.goto(`${base}/home`);
      await f.waitForURL('**/finance');
      expect(await f.textContent('main')).toContain(names[0]);
      await look(f, `${lang}-finance-queue`, js);
      await f.getByRole('link', { name: 'Жазы мектебине таза суу' }).click();
      await f.waitForURL(`**/finance/tranches/${grant.first}`);
      expect(await f.textContent('main')).toContain('1280016044410123');
      await look(f, `${lang}-finance-tranche`, js);
      await f.getByRole('button', { name: t('web.finance.approve.start') }).click();
      await f.waitForURL(`**/finance/tranches/${grant.first}/approve`);
      await look(f, `${lang}-finance-approve-confirm`, js);
      await f.getByRole('button', { name: t('web.finance.approve.confirm') }).click();
      await f.waitForURL('**?done=approved');
      const refusal = t('disbursement.approverIsNotFirstApprover');
      expect(await f.textContent('main')).toContain(refusal);
      await look(f, `${lang}-finance-tranche-approved-once`, js);

      // The same officer again, from the confirmation page: the machine refuses, in their language.
      await f.goto(`${base}/finance/tranches/${grant.first}/approve`);
      await f.getByRole('button', { name: t('web.finance.approve.confirm') }).click();
      const summary = f.locator('.govuk-error-summary');
      expect(await summary.textContent()).toContain(refusal);
      await look(f, `${lang}-finance-approve-refused`, js);
      // The queue holds it no more for them: it waits for another officer.
      await f.goto(`${base}/finance`);
      expect(await f.textContent('main')).toContain(t('web.finance.queue.none'));

      // The second officer approves, then records the payment: a wrong amount first, refused.
      const s = await as(second);
      await s.goto(`${base}/finance/tranches/${grant.first}`);
      await s.getByRole('button', { name: t('web.finance.approve.start') }).click();
      await s.getByRole('button', { name: t('web.finance.approve.confirm') }).click();
      await s.waitForURL('**?done=approved');
      await s.getByRole('button', { name: t('web.finance.payment.start') }).click();
      await s.waitForURL(`**/finance/tranches/${grant.first}/payment`);
      await look(s, `${lang}-finance-payment`, js);
      const today = new Date();
      await s.getByLabel(t('web.finance.payment.amount', { currency: 'EUR' })).fill('1000.00');
      await s.getByLabel(t('web.apply.date.day')).fill(String(today.getUTCDate()));
      await s.getByLabel(t('web.apply.date.month')).fill(String(today.getUTCMonth() + 1));
      await s.getByLabel(t('web.apply.date.year')).fill(String(today.getUTCFullYear()));
      await s.getByLabel(t('web.finance.payment.reference')).fill('KICB-2027-000418');
      await s.getByRole('button', { name: t('web.finance.payment.confirm') }).click();
      expect(await s.locator('.govuk-error-summary').textContent()).toContain(
        t('disbursement.paymentIsTheTranche', {
          paid: { money: 100000, currency: 'EUR' },
          amount: { money: 175000, currency: 'EUR' },
        }),
      );
      await look(s, `${lang}-finance-payment-refused`, js);
      await s.getByLabel(t('web.finance.payment.amount', { currency: 'EUR' })).fill('1750.00');
      await s.getByRole('button', { name: t('web.finance.payment.confirm') }).click();
      await s.waitForURL('**?done=paid');
      expect(await s.textContent('main')).toContain('KICB-2027-000418');
      await look(s, `${lang}-finance-tranche-paid`, js);
      const tranche = await h.http().get(`/tranches/${grant.first}`).set('authorization', h.manager).expect(200);
      expect(tranche.body).toMatchObject({ state: 'paid', paymentReference: 'KICB-2027-000418' });
      expect(tranche.body.approvedBy).toEqual([first.id, second.id]);

      // The group sees it paid on its status page, beside the payment still planned.
      const g = await as(group);
      await g.goto(`${base}/my-applications/${grant.id}`);
      const payments = g.locator('#payments');
      expect(await payments.textContent()).toContain('KICB-2027-000418');
      expect(await payments.textContent()).toContain(t('disbursement.state.paid'));
      expect(await payments.textContent()).toContain(t('disbursement.state.scheduled'));
      await look(g, `${lang}-group-status-paid`, js);
    } finally {
      for (const context of people) await context.close();
    }
  });
});
