import type { BrowserContext } from 'playwright-core';
import type { Locale } from '../workflows/localised';
import { MailWorker } from '../src/notifications/mail.worker';
import { browserStage, type BrowserStage } from './support/browser';
import { openCall, submittedApplication } from './support/fixtures';

// The initiative group's pages in a real browser (Debian's Chromium, no download), in each
// language: axe checks every page visited at WCAG 2.2 AA, and each is photographed at 360 and
// 1280 pixels wide into the folder printed at the start, for a reviewer to look at.

// A journey in a browser takes longer than the suite's usual minute on a loaded machine.
jest.setTimeout(180_000);

const HEADINGS: Record<Locale, { home: string; signIn: string; sent: string; greeting: string; invalid: string }> = {
  en: {
    home: 'Grants for community initiatives',
    signIn: 'Sign in',
    sent: 'Check your email',
    greeting: 'Hello',
    invalid: 'Enter an email address like name@example.kg',
  },
  ru: {
    home: 'Гранты для местных инициатив',
    signIn: 'Вход',
    sent: 'Проверьте почту',
    greeting: 'Здравствуйте',
    invalid: 'Введите адрес электронной почты, например name@example.kg',
  },
  ky: {
    home: 'Жергиликтүү демилгелер үчүн гранттар',
    signIn: 'Кирүү',
    sent: 'Почтаңызды текшериңиз',
    greeting: 'Саламатсызбы',
    invalid: 'Электрондук почтанын дарегин жазыңыз, мисалы name@example.kg',
  },
};

describe('the initiative group’s pages in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the pages');
  });
  afterAll(() => stage?.close());

  async function signInLink(email: string): Promise<string> {
    await stage.h.app.get(MailWorker).drain();
    const links = stage.smtp
      .to(email)
      .map((r) => /https?:\/\/\S+\/auth\/sign-in\?token=gwl_[A-Za-z0-9_-]+/.exec(r.mail.text ?? '')?.[0])
      .filter((l) => l !== undefined);
    const link = links[links.length - 1];
    if (!link) throw new Error(`no sign-in link in the mail to ${email}`);
    return link;
  }

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', true],
    ['en', false],
  ])(
    'in %s (JavaScript %s): finds the call, signs in by the emailed link, and follows an application',
    async (lang, js) => {
      const { h, browser, base, look } = stage;
      const member = await h.user('applicant', { locale: lang, name: lang === 'en' ? 'Aida' : 'Айда' });
      const callId = await openCall(h, h.manager);
      const applicationId = await submittedApplication(h, callId, member.auth);
      const words = HEADINGS[lang];
      const context: BrowserContext = await browser.newContext({ locale: lang, javaScriptEnabled: js });
      const page = await context.newPage();
      try {
        await page.goto(`${base}/`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        expect(await page.textContent('h1')).toBe(words.home);
        await look(page, `${lang}-home`, js);

        await page.click(`a[href="/open-calls/${callId}"]`);
        await page.waitForURL(`**/open-calls/${callId}`);
        await look(page, `${lang}-call`, js);

        await page.click('a.govuk-button');
        await page.waitForURL(/\/sign-in\?next=/);
        expect(await page.textContent('h1')).toBe(words.signIn);
        await page.fill('#email', 'not an address');
        await page.click('form[action="/sign-in"] button');
        expect(await page.textContent('.govuk-error-summary')).toContain(words.invalid);
        await look(page, `${lang}-sign-in-error`, js);

        await page.fill('#email', member.email);
        await page.click('form[action="/sign-in"] button');
        expect(await page.textContent('h1')).toBe(words.sent);
        await look(page, `${lang}-sign-in-sent`, js);

        await page.goto(await signInLink(member.email));
        await look(page, `${lang}-sign-in-link`, js);
        await page.click('form button');
        // signed in, the reader is back where the Apply button sent them to sign in
        await page.waitForURL(`**/open-calls/${callId}/apply`);
        await page.goto(`${base}/home`);
        expect(await page.textContent('h1')).toContain(words.greeting);
        await look(page, `${lang}-home-group`, js);

        await page.click(`a[href="/my-applications/${applicationId}"]`);
        await page.waitForURL(`**/my-applications/${applicationId}`);
        expect(await page.textContent('h1')).toBe('Clean water for Zhazy school');
        await look(page, `${lang}-status`, js);
      } finally {
        await context.close();
      }
    },
  );

  it('checked every page the journeys visited with axe', () => {
    expect(stage.checked()).toBe(14);
  });
});
