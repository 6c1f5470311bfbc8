import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { awardedApplication, giveBankDetails, openCall, send, submittedApplication } from './support/fixtures';
import { signInToken } from './support/pages';

// A new member's first visit in a real browser, in each language: they start their initiative
// group and invite a member, answer the programme's questions and resubmit, withdraw a second
// application, and accept an award. axe checks every page at WCAG 2.2 AA where JavaScript is on;
// each page is photographed at 360 and 1280 pixels wide into the folder printed at the start.

const QUESTIONS = ['Which school is the water for?', 'Who will look after the pump once it is built?'];

// A journey in a browser takes longer than the suite's usual minute on a loaded machine.
jest.setTimeout(240_000);

describe('a new member’s first visit in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the group’s pages');
  });
  afterAll(() => stage?.close());

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', true],
    ['en', false],
  ])(
    'in %s (JavaScript %s): starts the group, invites a member, resubmits, withdraws and accepts',
    async (lang, js) => {
      const { h, smtp, browser, base, look } = stage;
      const t = (key: string, params = {}) => translate(lang, key, params);
      const name = lang === 'en' ? 'Aida' : 'Айда';
      const member = await h.user('applicant', { locale: lang, name, noGroup: true });
      const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
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
        await look(page, `${lang}-home-no-group`, js);

        // the group
        await page.getByRole('button', { name: t('web.group.new.start') }).click();
        await page.waitForURL('**/group/new');
        expect(await page.textContent('h1')).toBe(t('web.group.new.title'));
        await look(page, `${lang}-group-new`, js);
        await page.getByLabel(t('web.group.new.oblast')).fill('Ош');
        await page.getByRole('button', { name: t('web.group.new.create') }).click();
        expect(await summary.textContent()).toContain(t('web.group.new.nameMissing'));
        await look(page, `${lang}-group-new-error`, js);
        await page.getByLabel(t('web.group.new.name')).fill('Жаштар демилгеси «Кара-Суу»');
        await page.getByLabel(t('web.group.new.municipality')).fill('Кара-Суу');
        await page.getByRole('button', { name: t('web.group.new.create') }).click();
        await page.waitForURL('**/my-group/*?done=created');
        expect(await banner.textContent()).toContain(t('web.group.done.created'));
        await look(page, `${lang}-group`, js);

        await page.getByLabel(t('web.group.invite.email'), { exact: true }).fill(`friend-${member.id}@example.test`);
        await page.getByLabel(t('web.group.invite.name'), { exact: true }).fill('Бакыт Осмонов');
        await page.getByLabel('Русский').check();
        await page.getByRole('button', { name: t('web.group.invite.send') }).click();
        await page.waitForURL('**/my-group/*?done=invited');
        expect(await page.textContent('main')).toContain(`Бакыт Осмонов · friend-${member.id}@example.test`);
        await look(page, `${lang}-group-invited`, js);

        // the programme's questions, answered on the status page
        const asked = await submittedApplication(h, await openCall(h, h.manager), member.auth);
        await send(h, h.manager, `/applications/${asked}`, { type: 'REQUEST_INFO', questions: QUESTIONS });
        await page.goto(`${base}/my-applications/${asked}`);
        await look(page, `${lang}-status-more-info`, js);
        await page.getByLabel(QUESTIONS[0]).fill('School No. 3 in Gulistan');
        await page.getByRole('button', { name: t('web.status.answer.send') }).click();
        expect(await summary.textContent()).toContain(t('web.status.answer.missing'));
        await page.getByLabel(QUESTIONS[1]).fill('The school’s caretaker, paid by the aiyl okmotu');
        await page.getByRole('button', { name: t('web.status.answer.send') }).click();
        await page.waitForURL(`**/my-applications/${asked}?done=resubmitted`);
        expect(await banner.textContent()).toContain(t('web.status.done.resubmitted'));
        await look(page, `${lang}-status-resubmitted`, js);

        // a second application withdrawn, through its confirmation page
        const second = await submittedApplication(h, await openCall(h, h.manager), member.auth);
        await page.goto(`${base}/my-applications/${second}`);
        await page.getByRole('button', { name: t('web.status.withdraw.start') }).click();
        await page.waitForURL(`**/my-applications/${second}/withdraw`);
        await look(page, `${lang}-withdraw`, js);
        await page.getByRole('button', { name: t('web.status.withdraw.confirm') }).click();
        expect(await summary.textContent()).toContain(t('web.status.withdraw.reasonMissing'));
        await look(page, `${lang}-withdraw-error`, js);
        await page.getByLabel(t('web.status.withdraw.reason')).fill('Мектеп башка каржылоо тапты.');
        await page.getByRole('button', { name: t('web.status.withdraw.confirm') }).click();
        await page.waitForURL(`**/my-applications/${second}?done=withdrawn`);
        expect(await banner.textContent()).toContain(t('web.status.done.withdrawn'));
        await look(page, `${lang}-status-withdrawn`, js);

        // an award, looked at on its decline page, then accepted on its own page, with the agreement
        const awarded = await awardedApplication(h, member.auth);
        await giveBankDetails(h, member.auth, awarded);
        await page.goto(`${base}/my-applications/${awarded}`);
        await look(page, `${lang}-status-awarded`, js);
        await page.getByRole('button', { name: t('web.status.award.decline') }).click();
        await page.waitForURL(`**/my-applications/${awarded}/decline`);
        await look(page, `${lang}-decline`, js);
        await page.getByRole('link', { name: t('web.status.cancel') }).click();
        await page.getByRole('button', { name: t('web.status.award.accept') }).click();
        await page.waitForURL(`**/my-applications/${awarded}/award`);
        await page.getByRole('button', { name: t('web.award.accept') }).click();
        await page.waitForURL(`**/my-applications/${awarded}/award/accept`);
        await page.getByRole('button', { name: t('web.award.confirm.yes') }).click();
        await page.waitForURL(`**/my-applications/${awarded}?done=accepted`);
        expect(await banner.textContent()).toContain(t('web.status.done.accepted'));
        await look(page, `${lang}-status-accepted`, js);
      } finally {
        await context.close();
      }
    },
  );

  it('checked every page the journeys visited with axe', () => {
    expect(stage.checked()).toBe(2 * 13);
  });
});
