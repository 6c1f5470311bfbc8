import type { Locator } from 'playwright-core';
import { db } from '../src/common/kysely';
import { translate } from '../src/i18n/translate';
import { IdentityService } from '../src/identity/identity.service';
import type { Locale } from '../workflows/localised';
import { browserStage, type BrowserStage } from './support/browser';
import { pilotCall, proposal, send } from './support/fixtures';
import { signInToken } from './support/pages';

// A programme manager's round of their programme in a real browser, in Kyrgyz with JavaScript and
// in English without: the dashboard, a call's hub, the applications list filtered and sorted, and
// the outbox where a dead email is sent again. axe checks every page at WCAG 2.2 AA where
// JavaScript is on; each page is photographed at 360 and 1280 pixels wide.

jest.setTimeout(240_000);

describe('a programme manager’s pages in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the manage pages');
  });
  afterAll(() => stage?.close());

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['en', false],
  ])('in %s (JavaScript %s): the dashboard, a call, its applications and the outbox', async (lang, js) => {
    const { h, smtp, browser, base, look } = stage;
    const t = (key: string, params = {}) => translate(lang, key, params);
    const http = () => h.http();

    // A programme of its own: an open call with three groups' applications, one asked questions and answered.
    const programme = await h.app.get(IdentityService).ensureProgramme(`Programme ${lang}`);
    const manager = await h.user('manager', { programmeId: programme.id, locale: lang, name: 'Айгүл Маматова' });
    const callRes = await http()
      .post('/calls')
      .set('authorization', manager.auth)
      .send(pilotCall({ title: { ky: 'Жазы айылындагы суу долбоорлору', en: 'Water projects in Zhazy' } }))
      .expect(201);
    const callId = callRes.body.id as string;
    await send(h, manager.auth, `/calls/${callId}`, { type: 'PUBLISH' });
    const titles = ['Мектепке таза суу', 'Көчө жарыгы <b>Гүлстан</b>', 'Балдар аянтчасы'];
    const ids: string[] = [];
    for (const [i, title] of titles.entries()) {
      const group = await h.user('applicant', { municipality: i === 1 ? 'Gulistan' : 'Zhazy' });
      const res = await http()
        .post(`/calls/${callId}/applications`)
        .set('authorization', group.auth)
        .send(proposal(`${2500 - i * 400}.00`, { title, municipality: i === 1 ? 'Gulistan' : 'Zhazy' }))
        .expect(201);
      ids.push(res.body.id as string);
      await send(h, group.auth, `/applications/${res.body.id}`, { type: 'SUBMIT' });
      if (i === 2) {
        await send(h, manager.auth, `/applications/${res.body.id}`, {
          type: 'REQUEST_INFO',
          questions: ['Жер кимге таандык?'],
        });
        await send(h, group.auth, `/applications/${res.body.id}`, { type: 'RESUBMIT', answers: ['Айыл өкмөтүнө'] });
      }
    }

    const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
    const page = await context.newPage();
    try {
      await page.goto(`${base}/sign-in`);
      await page.getByLabel(t('web.signIn.email')).fill(manager.email);
      await page.getByRole('button', { name: t('web.signIn.send') }).click();
      await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
      await page.goto(`${base}/auth/sign-in?token=${await signInToken(h, smtp, manager.email)}`);
      await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
      // Signed in, a manager lands on their dashboard (through /home).
      await page.waitForURL(/\/(home|manage)$/);

      // One email about the first application gave up after its tries (the sign-in mail is sent).
      const em = h.orm.em.fork();
      const mail = await db(em)
        .selectFrom('notification')
        .select(['id', 'email'])
        .where('subject_id', '=', ids[0])
        .executeTakeFirstOrThrow();
      await db(em)
        .updateTable('notification')
        .set({ status: 'dead', attempts: 5, last_error: '550 mailbox unavailable', subject: null, sent_at: null })
        .where('id', '=', mail.id)
        .execute();

      // the dashboard
      await page.goto(`${base}/manage`);
      expect(await page.textContent('h1')).toBe(t('web.manage.dashboard.title'));
      const main = page.locator('main');
      await expectText(main, t('web.manage.waiting.toScreen', { count: 2 }));
      await expectText(main, t('web.manage.waiting.answered', { count: 1 }));
      await expectText(main, `${t('call.state.open').charAt(0).toUpperCase()}${t('call.state.open').slice(1)} (1)`);
      await look(page, `${lang}-manage-dashboard`, js);

      // the call's hub
      const callTitle = lang === 'ky' ? 'Жазы айылындагы суу долбоорлору' : 'Water projects in Zhazy';
      await page.getByRole('link', { name: callTitle }).click();
      await page.waitForURL(`**/manage/calls/${callId}`);
      expect(await page.textContent('h1')).toBe(callTitle);
      await expectText(main, t('web.manage.call.now.open'));
      expect(await page.getByRole('link', { name: t('web.manage.csv') }).getAttribute('href')).toBe(
        `/calls/${callId}/applications.csv`,
      );
      await look(page, `${lang}-manage-call`, js);

      // its applications, filtered by state and sorted by the amount requested
      await page.getByRole('link', { name: t('web.manage.call.applications') }).click();
      await page.waitForURL(`**/manage/applications?callId=${callId}`);
      expect(await page.locator('tbody tr').count()).toBe(3);
      // the group's own words shown as written, never as markup
      await expectText(main, 'Көчө жарыгы <b>Гүлстан</b>');
      await look(page, `${lang}-manage-applications`, js);
      await page.locator('summary', { hasText: t('web.manage.list.stateSummary', { count: 0 }) }).click();
      await page.getByLabel(t('web.manage.state.submitted')).check();
      await page.getByLabel(t('web.manage.list.sort')).selectOption('requested');
      await page.getByLabel(t('web.manage.list.order'), { exact: true }).selectOption('desc');
      await page.getByRole('button', { name: t('web.manage.list.apply') }).click();
      await page.waitForURL('**/manage/applications?*state=submitted*');
      const rows = page.locator('tbody tr');
      expect(await rows.count()).toBe(3);
      expect(await rows.first().textContent()).toContain(titles[0]);
      await look(page, `${lang}-manage-applications-filtered`, js);
      await page.getByLabel(t('web.manage.list.municipality')).fill('Gulistan');
      await page.getByRole('button', { name: t('web.manage.list.apply') }).click();
      await page.waitForURL('**/manage/applications?*municipality=Gulistan*');
      expect(await rows.count()).toBe(1);
      // a title longer than the list allows: refused in the error summary, linked to its field
      await page.getByLabel(t('web.manage.list.q')).fill('ы'.repeat(201));
      await page.getByRole('button', { name: t('web.manage.list.apply') }).click();
      expect(await page.locator('.govuk-error-summary').textContent()).toContain(t('web.manage.list.qTooLong'));
      await look(page, `${lang}-manage-applications-error`, js);

      // the outbox: the dead email sent again
      await page.goto(`${base}/manage`);
      await page.getByRole('link', { name: t('web.manage.dashboard.outbox') }).click();
      await page.waitForURL('**/manage/outbox');
      await look(page, `${lang}-manage-outbox`, js);
      await page.getByLabel(t('web.manage.outbox.show')).selectOption('dead');
      await page.getByRole('button', { name: t('web.manage.outbox.filter') }).click();
      await page.waitForURL('**/manage/outbox?status=dead');
      await expectText(main, mail.email);
      await look(page, `${lang}-manage-outbox-dead`, js);
      await page.getByRole('button', { name: `${t('web.manage.outbox.retry')} ${mail.email}` }).click();
      await page.waitForURL('**/manage/outbox?done=retried');
      expect(await page.locator('.govuk-notification-banner--success').textContent()).toContain(
        t('web.manage.outbox.done.retried'),
      );
      await look(page, `${lang}-manage-outbox-retried`, js);
    } finally {
      await context.close();
    }
  });

  it('checked every page the journey visited with axe', () => {
    expect(stage.checked()).toBe(8);
  });
});

async function expectText(locator: Locator, text: string): Promise<void> {
  expect(await locator.textContent()).toContain(text);
}
