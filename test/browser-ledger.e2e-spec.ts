import type { Page } from 'playwright-core';
import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { createCall, giveBankDetails, proposal, send } from './support/fixtures';
import type { TestUser } from './support/harness';
import { signInToken } from './support/pages';

// The ledger's two pages in a real browser, in each language: a finance officer opens the
// programme's ledger from their queue and a call's from it, a manager a call's from the call's
// page. axe checks every page at WCAG 2.2 AA; each is photographed at 360 and 1280 pixels wide.

jest.setTimeout(300_000);

const SHOTS = '/tmp/shots/ledger';

describe('the ledger in Chromium', () => {
  let stage: BrowserStage;
  let callId: string;

  beforeAll(async () => {
    stage = await browserStage('the ledger pages', SHOTS);
    const { h } = stage;
    const m = h.manager;
    // A EUR call with a grant paid its first tranche and another still to accept, and a KGS fund.
    callId = await createCall(h, m, {
      paymentPlan: [
        { sharePercent: 70, release: 'on_acceptance' },
        { sharePercent: 30, release: 'interim_report_accepted' },
      ],
    });
    await send(h, m, `/calls/${callId}`, { type: 'PUBLISH' });
    const grants: { id: string; group: TestUser }[] = [];
    for (const [title, amount] of [
      ['Жазы мектебине таза суу: фильтр жана кран мектептин короосуна', '2500.00'],
      ['Уличное освещение в Гулистане', '1800.00'],
    ]) {
      const group = await h.user('applicant');
      const created = await h
        .http()
        .post(`/calls/${callId}/applications`)
        .set('authorization', group.auth)
        .send(proposal(amount, { title }))
        .expect(201);
      await send(h, group.auth, `/applications/${created.body.id}`, { type: 'SUBMIT' });
      await send(h, m, `/applications/${created.body.id}`, { type: 'SCREEN', decision: 'eligible' });
      grants.push({ id: created.body.id as string, group });
    }
    await send(h, m, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, m, `/calls/${callId}`, { type: 'START_REVIEW' });
    await send(h, m, `/applications/${grants[0].id}`, { type: 'AWARD', amount: '2500.00' });
    await send(h, m, `/applications/${grants[1].id}`, { type: 'AWARD', amount: '1800.00' });
    await giveBankDetails(h, grants[0].group.auth, grants[0].id);
    await send(h, grants[0].group.auth, `/applications/${grants[0].id}`, { type: 'ACCEPT_AWARD' });
    const [first] = (await h.http().get(`/applications/${grants[0].id}/tranches`).set('authorization', m).expect(200))
      .body as { id: string }[];
    const officers = [await h.user('finance'), await h.user('finance')];
    await send(h, m, `/tranches/${first.id}`, { type: 'REQUEST' });
    // A second officer approves where the grant is at the call's threshold.
    const { state } = (await send(h, officers[0].auth, `/tranches/${first.id}`, { type: 'APPROVE' })).body;
    if (state === 'partly_approved') await send(h, officers[1].auth, `/tranches/${first.id}`, { type: 'APPROVE' });
    await send(h, officers[0].auth, `/tranches/${first.id}`, {
      type: 'RECORD_PAYMENT',
      amount: '1750.00',
      reference: 'KICB-2027-000418',
      paidOn: new Date().toISOString().slice(0, 10),
    });
    const fund = await createCall(h, m, {
      title: { ky: 'Жазы айыл өкмөтүнүн социалдык демилгелер фонду', ru: 'Фонд социальных инициатив айыл окмоту Жазы' },
      currency: 'KGS',
      budget: '200000.00',
      maxAward: '50000.00',
    });
    await send(h, m, `/calls/${fund}`, { type: 'PUBLISH' });
  });
  afterAll(() => stage?.close());

  /** A browser page of one person, signed in through the sign-in page and the emailed link. */
  async function signedIn(user: TestUser, lang: Locale) {
    const { h, smtp, browser, base } = stage;
    const t = (key: string) => translate(lang, key);
    const context = await browser.newContext({ locale: lang });
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

  /** Nothing on the page is wider than a phone's screen: no table runs off its side. */
  async function fitsAPhone(page: Page): Promise<void> {
    await page.setViewportSize({ width: 360, height: 900 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
  }

  it.each<Locale>(['ky', 'ru', 'en'])(
    'in %s: the programme’s ledger and a call’s, for finance and for the manager',
    async (lang) => {
      const { h, base, look } = stage;
      const t = (key: string, params = {}) => translate(lang, key, params);
      const officer = await h.user('finance', { locale: lang });
      const manager = await h.user('manager', { locale: lang });
      const f = await signedIn(officer, lang);
      const m = await signedIn(manager, lang);
      try {
        await f.page.goto(`${base}/finance`);
        await f.page.getByRole('link', { name: t('web.finance.ledger.link') }).click();
        await f.page.waitForURL('**/finance/ledger');
        expect(await f.page.textContent('h1')).toContain(t('web.finance.ledger.title'));
        await look(f.page, `${lang}-programme-ledger`, true);
        await fitsAPhone(f.page);
        await f.page
          .locator(`#call-${callId}`)
          .getByRole('link', { name: t('web.finance.ledger.open') })
          .click();
        await f.page.waitForURL(`**/finance/calls/${callId}/ledger`);
        expect(await f.page.textContent('main')).toContain(t('web.finance.ledger.kind.disbursed'));
        await look(f.page, `${lang}-call-ledger-finance`, true);
        await fitsAPhone(f.page);

        await m.page.goto(`${base}/manage/calls/${callId}`);
        await m.page.getByRole('link', { name: t('web.finance.ledger.callLink') }).click();
        await m.page.waitForURL(`**/finance/calls/${callId}/ledger`);
        expect(await m.page.textContent('main')).toContain(t('web.finance.payments.link'));
        await look(m.page, `${lang}-call-ledger-manager`, true);
        await fitsAPhone(m.page);
      } finally {
        await f.context.close();
        await m.context.close();
      }
    },
  );
});
