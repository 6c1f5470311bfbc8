import type { Page } from 'playwright-core';
import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { signInToken } from './support/pages';

// A programme manager sets up the pilot's EUR 12,500 call in a real browser, in Kyrgyz with
// JavaScript and in English without: starts it, fills in every task (a line added, a sum of
// weights refused), sees what is not ready, publishes it, then cancels it with a reason. axe
// checks every page at WCAG 2.2 AA where JavaScript is on; each is photographed at 360 and 1280 px.

jest.setTimeout(240_000);

const DAY = 24 * 60 * 60 * 1000;

describe('a programme manager sets up a call in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the call setup pages');
  });
  afterAll(() => stage?.close());

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['en', false],
  ])('in %s (JavaScript %s): starts, fills in, publishes and cancels the call', async (lang, js) => {
    const { h, smtp, browser, base, look } = stage;
    const t = (key: string, params = {}) => translate(lang, key, params);
    const manager = await h.user('manager', { locale: lang });
    const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
    const page = await context.newPage();
    const summary = page.locator('.govuk-error-summary');
    const save = () => page.getByRole('button', { name: t('web.setup.save') }).click();
    const task = async (name: string): Promise<void> => {
      await page.getByRole('link', { name: t(`web.setup.task.${name}`) }).click();
      await page.waitForURL(`**/setup/${name}`);
      expect(await page.textContent('h1')).toBe(t(`web.setup.task.${name}`));
    };
    const fillDay = async (prefix: string, at: Date) => {
      await page.fill(`#${prefix}-day`, String(at.getUTCDate()));
      await page.fill(`#${prefix}-month`, String(at.getUTCMonth() + 1));
      await page.fill(`#${prefix}-year`, String(at.getUTCFullYear()));
    };
    const savedBack = async (name: string, shot: string): Promise<void> => {
      await save();
      await page.waitForURL(`**/setup?done=${name}`);
      await look(page, `${lang}-${shot}`, js);
    };
    try {
      await signIn(page, base, t, manager.email, () => signInToken(h, smtp, manager.email));

      // started with its title alone
      await page.goto(`${base}/manage/calls/new`);
      await look(page, `${lang}-new`, js);
      await page.getByRole('button', { name: t('web.setup.new.start') }).click();
      expect(await summary.textContent()).toContain(t('web.setup.error.titleMissing'));
      await look(page, `${lang}-new-error`, js);
      await page.getByLabel(t('web.setup.texts.titleIn', { language: 'Кыргызча' })).fill('Социалдык демилгелер');
      await page.getByRole('button', { name: t('web.setup.new.start') }).click();
      await page.waitForURL('**/setup?done=created');
      expect(await page.textContent('h1')).toBe(t('web.setup.tasks.title'));
      await look(page, `${lang}-tasks-new`, js);

      // what is not ready, each linked to its page
      await page.getByRole('button', { name: t('web.setup.tasks.publish') }).click();
      await page.waitForURL('**/publish');
      expect(await page.textContent('#not-ready')).toContain(
        t('web.setup.publish.notSet', { task: { term: 'web.setup.task.money' } }),
      );
      await look(page, `${lang}-publish-not-ready`, js);
      await page.getByRole('link', { name: t('call.described') }).click();
      await page.waitForURL('**/setup/texts');
      expect(await page.textContent('h1')).toBe(t('web.setup.task.texts'));
      await look(page, `${lang}-texts`, js);
      await page.getByLabel(t('web.setup.texts.titleIn', { language: 'Русский' })).fill('Социальные инициативы');
      await page.getByLabel(t('web.setup.texts.titleIn', { language: 'English' })).fill('Social initiatives');
      await page
        .getByLabel(t('web.setup.texts.descriptionIn', { language: 'Кыргызча' }))
        .fill('Жергиликтүү бийлик менен жарандык коом бирге ишке ашыра турган долбоорлорго 2 500 еврого чейин грант.');
      await savedBack('texts', 'tasks-texts');

      await task('money');
      await page.getByLabel(t('web.setup.money.currency')).fill('EUR');
      await page.getByLabel(t('web.setup.money.budget')).fill('12500');
      await page.getByLabel(t('web.setup.money.maxAward')).fill('25000');
      await save();
      expect(await summary.textContent()).toContain(t('web.setup.error.maxAwardOverBudget'));
      await look(page, `${lang}-money-error`, js);
      await page.getByLabel(t('web.setup.money.maxAward')).fill('2500');
      await savedBack('money', 'tasks-money');

      await task('dates');
      await fillDay('opens', new Date(Date.now() - DAY));
      await page.fill('#opens-time', '09:00');
      await fillDay('closes', new Date(Date.now() + 60 * DAY));
      await page.fill('#closes-time', '18:00');
      await look(page, `${lang}-dates`, js);
      await savedBack('dates', 'tasks-dates');

      await task('municipalities');
      await page.getByLabel(t('web.setup.municipalities.row', { number: 1 })).fill('Alexandrovsky');
      await page.getByRole('button', { name: t('web.setup.municipalities.add') }).click();
      await page.getByLabel(t('web.setup.municipalities.row', { number: 2 })).fill('Zhazy');
      await look(page, `${lang}-municipalities`, js);
      await savedBack('municipalities', 'tasks-municipalities');

      await task('questions');
      await page
        .getByLabel(t('web.setup.questions.textIn', { language: 'Кыргызча' }))
        .fill('Топтун курамында айыл өкмөтү барбы?');
      await page.getByLabel(t('web.setup.questions.required')).check();
      await look(page, `${lang}-questions`, js);
      await savedBack('questions', 'tasks-questions');

      await task('composition');
      await page.getByLabel(t('web.setup.composition.some')).check();
      await page.getByLabel(t('web.apply.stakeholder.local_government')).check();
      await page.getByLabel(t('web.apply.stakeholder.civil_society')).check();
      await page.getByLabel(t('web.setup.composition.minimum')).fill('2');
      await look(page, `${lang}-composition`, js);
      await savedBack('composition', 'tasks-composition');

      await task('criteria');
      await page.fill('#criteria-0-name', 'Коомчулуктун муктаждыгы');
      await page.fill('#criteria-0-weight', '60');
      await page.getByRole('button', { name: t('web.setup.criteria.add') }).click();
      await page.fill('#criteria-1-name', 'Ишке ашыруу мүмкүнчүлүгү');
      await page.fill('#criteria-1-weight', '30');
      await save();
      expect(await summary.textContent()).toContain(t('call.weightsSumTo100', { sum: 90 }));
      expect(await page.textContent('#weights-sum')).toContain(t('web.setup.criteria.sum', { sum: 90 }));
      await look(page, `${lang}-criteria-error`, js);
      await page.fill('#criteria-1-weight', '40');
      await savedBack('criteria', 'tasks-criteria');

      await task('scale');
      await look(page, `${lang}-scale`, js);
      await savedBack('scale', 'tasks-scale');
      await task('reviewers');
      await look(page, `${lang}-reviewers`, js);
      await savedBack('reviewers', 'tasks-reviewers');
      await task('finance');
      await page.getByLabel(t('web.setup.finance.threshold', { currency: 'EUR' })).fill('2000');
      await look(page, `${lang}-finance`, js);
      await savedBack('finance', 'tasks-finance');
      await task('reports');
      await page.getByLabel(t('web.setup.reports.kind')).selectOption('final');
      await fillDay('reports-0-due', new Date(Date.now() + 200 * DAY));
      await look(page, `${lang}-reports`, js);
      await savedBack('reports', 'tasks-done');
      expect(await page.textContent('.govuk-task-list')).not.toContain(t('web.setup.status.incomplete'));

      // published, then read-only
      await page.getByRole('button', { name: t('web.setup.tasks.publish') }).click();
      await page.waitForURL('**/publish');
      await look(page, `${lang}-publish`, js);
      await page.getByRole('button', { name: t('web.setup.publish.confirm') }).click();
      await page.waitForURL('**/setup?done=published');
      expect(await page.textContent('.govuk-notification-banner')).toContain(t('web.setup.done.published'));
      expect(await page.textContent('main')).toContain('Коомчулуктун муктаждыгы');
      await look(page, `${lang}-published`, js);

      // cancelled with a reason
      await page.getByRole('button', { name: t('web.setup.cancel.start') }).click();
      await page.waitForURL('**/cancel');
      await look(page, `${lang}-cancel`, js);
      await page.getByRole('button', { name: t('web.setup.cancel.confirm') }).click();
      expect(await summary.textContent()).toContain(t('web.setup.cancel.reasonMissing'));
      await look(page, `${lang}-cancel-error`, js);
      await page.getByLabel(t('web.setup.cancel.reason')).fill('Программанын каржылоосу токтотулду.');
      await page.getByRole('button', { name: t('web.setup.cancel.confirm') }).click();
      await page.waitForURL('**/setup?done=cancelled');
      expect(await page.textContent('main')).toContain(t('call.state.cancelled'));
      await look(page, `${lang}-cancelled`, js);
    } finally {
      await context.close();
    }
  });

  it('checked every page the journey visited with axe', () => {
    expect(stage.checked()).toBe(31);
  });
});

/** Signs in through the sign-in page and the emailed link, as the manager would. */
async function signIn(
  page: Page,
  base: string,
  t: (key: string) => string,
  email: string,
  token: () => Promise<string>,
): Promise<void> {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(t('web.signIn.email')).fill(email);
  await page.getByRole('button', { name: t('web.signIn.send') }).click();
  await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
  await page.goto(`${base}/auth/sign-in?token=${await token()}`);
  await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/auth/'));
}
