import { readFileSync } from 'node:fs';
import type { Locale } from '../workflows/localised';
import { formatMoney } from '../src/i18n/format';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { awardedApplication } from './support/fixtures';
import { signInToken } from './support/pages';

// A member's award in a real browser, in each language: they read the agreement on its page and
// download its PDF, give the group's bank account, check it, save it, and accept the grant on its
// confirmation page. axe checks every page at WCAG 2.2 AA where JavaScript is on; each page is
// photographed at 360 and 1280 pixels wide into /tmp/shots/award/.

jest.setTimeout(240_000);

const PAGES_PER_JOURNEY = 8;

describe('a member accepts their award in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the award’s pages', '/tmp/shots/award');
  });
  afterAll(() => stage?.close());

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', true],
    ['en', false],
  ])(
    'in %s (JavaScript %s): reads the agreement, gives the bank details, checks them and accepts',
    async (lang, js) => {
      const { h, smtp, browser, base, look } = stage;
      const t = (key: string, params = {}) => translate(lang, key, params);
      const member = await h.user('applicant', { locale: lang, name: lang === 'en' ? 'Aida' : 'Айда' });
      const id = await awardedApplication(h, member.auth, '2400.00');
      const context = await browser.newContext({ locale: lang, javaScriptEnabled: js, acceptDownloads: true });
      const page = await context.newPage();
      const banner = page.locator('.govuk-notification-banner--success');
      const summary = page.locator('.govuk-error-summary');
      try {
        await page.goto(`${base}/sign-in`);
        await page.getByLabel(t('web.signIn.email')).fill(member.email);
        await page.getByRole('button', { name: t('web.signIn.send') }).click();
        await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
        await page.goto(`${base}/auth/sign-in?token=${await signInToken(h, smtp, member.email)}`);
        await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
        await page.waitForURL('**/home');

        // from the status page to the award's page: the agreement, and no account yet
        await page.goto(`${base}/my-applications/${id}`);
        await page.getByRole('link', { name: t('web.award.statusLink') }).click();
        await page.waitForURL(`**/my-applications/${id}/award`);
        expect(await page.textContent('h1')).toBe(t('web.award.title'));
        expect(await page.textContent('main')).toContain(formatMoney({ minor: 240000, currency: 'EUR' }, lang));
        expect(await page.textContent('main')).toContain(t('web.award.needsBank'));
        expect(await page.getByRole('button', { name: t('web.award.accept') }).count()).toBe(0);
        await look(page, `${lang}-award-no-bank`, js);
        // the agreement's tables fit a phone's width: nothing sticks out of the page
        await page.setViewportSize({ width: 360, height: 900 });
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
        const main = (await page.locator('main').boundingBox()) as { x: number; width: number };
        for (const table of await page.locator('table').all()) {
          const box = (await table.boundingBox()) as { x: number; width: number };
          expect(box.x + box.width).toBeLessThanOrEqual(main.x + main.width);
        }

        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page
            .getByRole('link', { name: t('web.award.pdf') })
            .first()
            .click(),
        ]);
        expect(download.suggestedFilename()).toMatch(new RegExp(`^agreement-.+-${lang}\\.pdf$`));
        expect(
          readFileSync(await download.path())
            .subarray(0, 5)
            .toString(),
        ).toBe('%PDF-');

        // the bank details: refused empty, then given, checked and saved
        await page.getByRole('button', { name: t('web.award.bank.give') }).click();
        await page.waitForURL(`**/my-applications/${id}/bank-details`);
        await look(page, `${lang}-bank-details`, js);
        await page.getByLabel(t('web.award.form.account'), { exact: true }).fill('1280-0160-4441 0123');
        await page.getByRole('button', { name: t('web.award.form.continue') }).click();
        expect(await summary.textContent()).toContain(t('web.award.form.holderMissing'));
        expect(await summary.textContent()).toContain(t('web.award.form.bankMissing'));
        await look(page, `${lang}-bank-details-error`, js);
        await page.getByLabel(t('web.award.form.holder'), { exact: true }).fill('«Таза суу» демилге тобу');
        await page.getByLabel(t('web.award.form.bank'), { exact: true }).fill('KICB, Ош филиалы');
        await page.getByLabel(t('web.award.form.bic'), { exact: true }).fill('KICBKG22');
        await page.getByRole('button', { name: t('web.award.form.continue') }).click();
        expect(await page.textContent('h1')).toBe(t('web.award.check.title'));
        expect(await page.textContent('main')).toContain('1280-0160-4441 0123');
        await look(page, `${lang}-bank-check`, js);
        await page.getByRole('button', { name: t('web.award.check.save') }).click();
        await page.waitForURL(`**/my-applications/${id}/award?done=bankDetails`);
        expect(await banner.textContent()).toContain(t('web.award.done.bankDetails'));
        expect(await page.textContent('main')).toContain('••••••••••••0123');
        await look(page, `${lang}-award-bank-given`, js);

        // accepted on its confirmation page
        await page.getByRole('button', { name: t('web.award.accept') }).click();
        await page.waitForURL(`**/my-applications/${id}/award/accept`);
        expect(await page.textContent('h1')).toBe(t('web.award.confirm.title'));
        await look(page, `${lang}-award-accept`, js);
        await page.getByRole('button', { name: t('web.award.confirm.yes') }).click();
        await page.waitForURL(`**/my-applications/${id}?done=accepted`);
        expect(await banner.textContent()).toContain(t('web.status.done.accepted'));

        // afterwards: the acceptance on the award page, and a change of account warns who is told
        await page.getByRole('link', { name: t('web.award.statusLink') }).click();
        await page.waitForURL(`**/my-applications/${id}/award`);
        expect(await page.textContent('main')).toContain(t('web.award.checksum', { checksum: '' }).slice(0, 10));
        await look(page, `${lang}-award-accepted`, js);
        await page.getByRole('link', { name: t('web.award.bank.change') }).click();
        await page.waitForURL(`**/my-applications/${id}/bank-details`);
        expect(await page.textContent('main')).toContain(t('web.award.form.runningWarning'));
        await look(page, `${lang}-bank-details-running`, js);
      } finally {
        await context.close();
      }
    },
  );

  it('checked every page the journeys visited with axe', () => {
    expect(stage.checked()).toBe(2 * PAGES_PER_JOURNEY);
  });
});
