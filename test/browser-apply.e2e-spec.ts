import type { Page } from 'playwright-core';
import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { MailWorker } from '../src/notifications/mail.worker';
import { browserStage, type BrowserStage } from './support/browser';
import { openCall } from './support/fixtures';

// Applying in a real browser (Debian's Chromium), in each language, one of them with JavaScript
// off: a group member signs in by the emailed link, starts an application from the call's page,
// fills every task, meets the error summary for a missing answer and for a budget above the
// maximum award, submits, and opens the email's link to the status page. axe checks every page
// where JavaScript runs; each page is photographed at 360 and 1280 pixels wide.

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

jest.setTimeout(240_000);

describe('applying for a grant in Chromium', () => {
  let stage: BrowserStage;
  let visitedWithScript = 0;

  beforeAll(async () => {
    stage = await browserStage('the application pages');
  });
  afterAll(() => stage?.close());

  /** Checks and photographs the page, counting those where JavaScript runs. */
  async function look(page: Page, name: string, js: boolean): Promise<void> {
    if (js) visitedWithScript++;
    await stage.look(page, name, js);
  }

  /** The newest link in the mail to `email` that matches `pattern`. */
  async function linkIn(email: string, pattern: RegExp): Promise<string> {
    await stage.h.app.get(MailWorker).drain();
    const links = stage.smtp
      .to(email)
      .map((r) => pattern.exec(r.mail.text ?? '')?.[0])
      .filter((l) => l !== undefined);
    const link = links[links.length - 1];
    if (!link) throw new Error(`no link like ${String(pattern)} in the mail to ${email}`);
    return link;
  }

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', true],
    ['en', false],
  ])('in %s (JavaScript %s): applies through the task list and follows the application', async (lang, js) => {
    const t = (key: string, params = {}) => translate(lang, key, params);
    const member = await stage.h.user('applicant', { locale: lang, name: lang === 'en' ? 'Aida' : 'Айда' });
    const callId = await openCall(stage.h, stage.h.manager);
    const context = await stage.browser.newContext({ locale: lang, javaScriptEnabled: js });
    const page = await context.newPage();
    const shot = (name: string) => look(page, `${lang}-${name}`, js);
    /** Presses the page's save button and waits for the task list. */
    const save = async () => {
      await page.click('button.govuk-button[name="save"]');
      await page.waitForURL(/\/tasks$/);
    };
    const openTask = async (task: string) => {
      await page.click(`a.govuk-task-list__link[href$="/tasks/${task}"]`);
      await page.waitForURL(new RegExp(`/tasks/${task}$`));
      expect(await page.textContent('h1')).toBe(t(`web.apply.task.${task}`));
    };
    try {
      // signing in from the call's Apply button, by the emailed link
      await page.goto(`${stage.base}/open-calls/${callId}`);
      await page.click('a.govuk-button');
      await page.waitForURL(/\/sign-in\?next=/);
      await page.fill('#email', member.email);
      await page.click('form[action="/sign-in"] button');
      await page.waitForSelector('h1');
      await page.goto(await linkIn(member.email, /https?:\/\/\S+\/auth\/sign-in\?token=gwl_[A-Za-z0-9_-]+/));
      await page.click('form button');
      // back where the Apply button was pressed: the application's first question
      await page.waitForURL(`**/open-calls/${callId}/apply`);
      expect(await page.textContent('h1')).toBe(t('web.apply.start.title'));

      // the call's page now starts the application itself
      await page.goto(`${stage.base}/open-calls/${callId}`);
      await page.click(`form[action="/open-calls/${callId}/apply"] button`);
      await page.waitForSelector('#title');
      expect(await page.textContent('h1')).toBe(t('web.apply.start.title'));
      await shot('start');
      await page.fill('#title', 'Clean water for Zhazy school');
      await page.click(`form[action="/open-calls/${callId}/apply"] button`);
      await page.waitForURL(/\/my-applications\/[0-9a-f-]{36}\/tasks$/);
      const applicationId = /my-applications\/([0-9a-f-]{36})\//.exec(page.url())?.[1] as string;
      expect(await page.textContent('h1')).toBe(t('web.apply.tasks.title'));
      expect(await page.textContent('.govuk-task-list')).toContain(t('web.apply.status.notStarted'));
      await shot('tasks-new');

      // about the project, first without its summary: the error summary names it
      await openTask('about');
      await page.check('input[name="municipality"][value="Zhazy"]');
      await page.click('button.govuk-button[name="save"]');
      await page.waitForSelector('.govuk-error-summary');
      expect(await page.textContent('.govuk-error-summary')).toContain(t('web.apply.error.summary'));
      expect(await page.getAttribute('.govuk-error-summary a', 'href')).toBe('#summary');
      await shot('about-error');
      await page.fill('#summary', 'A filter and a tap in the school yard, fitted by parents.');
      await save();

      await openTask('problem');
      await page.fill('#problem', 'Children bring water from home; the school well is unsafe.');
      await shot('problem');
      await save();

      // activities: a second one added and removed without saving
      await openTask('activities');
      await page.fill('#activities-0-description', 'Buy and fit the filter');
      for (const [part, value] of Object.entries({ day: '1', month: '3', year: '2027' })) {
        await page.fill(`#activities-0-start-${part}`, value);
      }
      for (const [part, value] of Object.entries({ day: '30', month: '4', year: '2027' })) {
        await page.fill(`#activities-0-end-${part}`, value);
      }
      await page.click('button[name="add"]');
      await page.waitForSelector('#activities-1-description');
      await page.fill('#activities-1-description', 'Train the caretaker');
      await shot('activities-two');
      await page.click('button[name="remove-1"]');
      await page.waitForSelector('#activities-1-description', { state: 'detached' });
      expect(await page.inputValue('#activities-0-description')).toBe('Buy and fit the filter');
      await save();

      await openTask('participants');
      await page.fill('#women', '30');
      await page.fill('#men', '20');
      await page.fill('#youth', '150');
      await page.fill('#by-local_government', '2');
      await shot('participants');
      await save();

      await openTask('composition');
      await page.fill('#composition-local_government', '1');
      await page.fill('#composition-civil_society', '4');
      await shot('composition');
      await save();

      // the budget: totals from the server; above the maximum award, the error summary says so
      await openTask('budget');
      await page.fill('#budget-0-category', 'Equipment');
      await page.fill('#budget-0-description', 'Water filter and tap');
      await page.fill('#budget-0-quantity', '3');
      await page.fill('#budget-0-unitCost', '1000');
      await page.click('button[name="add"]');
      await page.waitForSelector('#budget-1-category');
      await page.fill('#budget-1-category', 'Transport');
      await page.fill('#budget-1-description', 'Bringing the filter from Osh');
      await page.fill('#budget-1-quantity', '2');
      await page.fill('#budget-1-unitCost', '50,50');
      await page.click('button.govuk-button[name="save"]');
      await page.waitForSelector('.govuk-error-summary');
      const tooMuch = await page.textContent('.govuk-error-summary');
      expect(tooMuch).toContain(
        t('application.budgetWithinMaxAward', {
          total: { money: 310100, currency: 'EUR' },
          maxAward: { money: 250000, currency: 'EUR' },
        }),
      );
      expect(await page.getAttribute('.govuk-error-summary a', 'href')).toBe('#budget');
      await shot('budget-too-much');
      await page.fill('#budget-0-quantity', '2');
      await page.click('button[name="add"]');
      await page.waitForSelector('#budget-2-category');
      // the totals are the server's: 2 × 1 000,00 + 2 × 50,50
      expect(await page.textContent('.govuk-table')).toContain(translate(lang, 'web.apply.budget.total'));
      expect((await page.textContent('.govuk-table'))?.replace(/\s/g, '')).toMatch(/2[.,]?101[.,]00/);
      await shot('budget-lines');
      await page.click('button[name="remove-2"]');
      await page.waitForSelector('#budget-2-category', { state: 'detached' });
      await save();

      await openTask('coFunding');
      await page.fill('#coFunding-0-source', 'Aiyl okmotu');
      await page.fill('#coFunding-0-amount', '200');
      await page.check('input[name="coFunding-0-inKind"]');
      await shot('co-funding');
      await save();

      await openTask('eligibility');
      await page.check('input[name="answer-registered"][value="yes"]');
      await shot('eligibility');
      await save();

      await openTask('attachments');
      await page.setInputFiles('input[type="file"][name="file"]', {
        name: 'План работ.pdf',
        mimeType: 'application/pdf',
        buffer: PDF,
      });
      await page.click('#upload');
      await page.waitForSelector('.app-files__name');
      expect(await page.textContent('.app-files__name')).toBe('План работ.pdf');
      await shot('attachments');
      await page.click(`a.govuk-button[href="/my-applications/${applicationId}/tasks"]`);
      await page.waitForURL(/\/tasks$/);
      expect(await page.textContent('.govuk-task-list')).not.toContain(t('web.apply.status.notStarted'));
      await shot('tasks-done');

      // check the answers, then submit
      await page.click(`a.govuk-button[href="/my-applications/${applicationId}/check"]`);
      await page.waitForURL(/\/check$/);
      expect(await page.textContent('h1')).toBe(t('web.apply.check.title'));
      expect(await page.textContent('main')).toContain('Aiyl okmotu');
      await shot('check');
      await page.click('#submit');
      await page.waitForURL(new RegExp(`/my-applications/${applicationId}\\?done=submitted$`));
      expect(await page.textContent('h1')).toBe('Clean water for Zhazy school');
      await shot('submitted');

      // the email about it links to the status page
      const link = await linkIn(member.email, new RegExp(`https?://\\S+/my-applications/${applicationId}`));
      await page.goto(link);
      expect(await page.textContent('h1')).toBe('Clean water for Zhazy school');
      await shot('status-from-email');
    } finally {
      await context.close();
    }
  });

  it('checked every page the journeys with JavaScript visited with axe', () => {
    // sixteen pages a journey, two journeys with JavaScript
    expect(visitedWithScript).toBe(32);
    expect(stage.checked()).toBe(visitedWithScript);
  });
});
