import type { Page } from 'playwright-core';
import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { createCall, send, submittedApplication } from './support/fixtures';
import type { TestUser } from './support/harness';
import { signInToken } from './support/pages';

// A programme manager runs a call's committee in a real browser, in each language: sets the
// members and the chair (refused first without a chair), starts the review with its deadline,
// reads who has declared what, is refused the assignment while a member has not declared, runs
// it, gives a review to another member by hand, and moves the deadline. axe checks every page at
// WCAG 2.2 AA where JavaScript is on; each page is photographed at 360 and 1280 pixels wide.

jest.setTimeout(240_000);

const NAMES: Record<Locale, [string, string, string]> = {
  ky: ['Айгүл Мамытова', 'Бакыт Осмонов', 'Чолпон Асанова'],
  ru: ['Айгуль Мамытова', 'Нурлан Садыков', 'Жылдыз Абдыкадырова'],
  en: ['Aigul Mamytova', 'Bakyt Osmonov', 'Cholpon Asanova'],
};
const NEXT_YEAR = String(new Date().getFullYear() + 1);
const PAGES_LOOKED_AT = 9;

describe('the committee pages in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the committee pages');
  });
  afterAll(() => stage?.close());

  /** A closed call of two eligible applications, and three committee members of the programme. */
  async function closedCall(lang: Locale): Promise<{ callId: string; applications: string[]; members: TestUser[] }> {
    const { h } = stage;
    const members = await Promise.all(NAMES[lang].map((name) => h.user('committee', { name, locale: lang })));
    const callId = await createCall(h, h.manager, { reviewersPerApplication: 2 });
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    const applications: string[] = [];
    for (let i = 0; i < 2; i++)
      applications.push(await submittedApplication(h, callId, (await h.user('applicant')).auth));
    for (const id of applications)
      await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    return { callId, applications, members };
  }

  const declare = (member: TestUser, applicationId: string, conflicted: boolean, reason?: string) =>
    stage.h
      .http()
      .post(`/applications/${applicationId}/conflict`)
      .set('authorization', member.auth)
      .send({ conflicted, ...(reason && { reason }) })
      .expect(200);

  async function signIn(page: Page, lang: Locale, email: string): Promise<void> {
    const { h, smtp, base } = stage;
    const t = (key: string) => translate(lang, key);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel(t('web.signIn.email')).fill(email);
    await page.getByRole('button', { name: t('web.signIn.send') }).click();
    await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
    await page.goto(`${base}/auth/sign-in?token=${await signInToken(h, smtp, email)}`);
    await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/auth'));
  }

  async function fillDeadline(page: Page, lang: Locale, day: string, month: string, time: string): Promise<void> {
    const t = (key: string, params = {}) => translate(lang, key, params);
    await page.getByLabel(t('web.committee.deadline.day'), { exact: true }).fill(day);
    await page.getByLabel(t('web.committee.deadline.month'), { exact: true }).fill(month);
    await page.getByLabel(t('web.committee.deadline.year'), { exact: true }).fill(NEXT_YEAR);
    await page.getByLabel(t('web.committee.deadline.time'), { exact: true }).fill(time);
  }

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', false],
    ['en', true],
  ])(
    'in %s (JavaScript %s): sets the committee, starts the review, assigns, reassigns and moves the deadline',
    async (lang, js) => {
      const { h, browser, base, look } = stage;
      const t = (key: string, params = {}) => translate(lang, key, params);
      const { callId, applications, members } = await closedCall(lang);
      const [aigul, bakyt, cholpon] = members;
      const manager = await h.user('manager', { locale: lang });
      const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
      const page = await context.newPage();
      const banner = page.locator('.govuk-notification-banner--success');
      const summary = page.locator('.govuk-error-summary');
      const path = `${base}/manage/calls/${callId}/committee`;
      // each page checked and photographed, and nothing on it wider than a small phone's screen
      const see = async (name: string) => {
        await look(page, `${lang}-${name}`, js);
        await page.setViewportSize({ width: 360, height: 900 });
        expect([name, await page.locator('html').evaluate((html) => html.scrollWidth)]).toEqual([name, 360]);
      };
      try {
        await signIn(page, lang, manager.email);
        await page.goto(path);
        expect(await page.textContent('h1')).toBe(t('web.committee.title'));
        await see('committee-new');

        // members and chair: refused without a chair, then saved
        const chosen = page.getByRole('group', { name: t('web.committee.members.legend') });
        for (const name of NAMES[lang]) await chosen.getByLabel(name, { exact: true }).check();
        await page.getByRole('button', { name: t('web.committee.members.save') }).click();
        expect(await summary.textContent()).toContain(t('web.committee.members.chairMissing'));
        await see('committee-members-error');
        await page
          .getByRole('group', { name: t('web.committee.members.chair') })
          .getByLabel(NAMES[lang][0])
          .check();
        await page.getByRole('button', { name: t('web.committee.members.save') }).click();
        await page.waitForURL('**/committee?done=members');
        expect(await banner.textContent()).toContain(t('web.committee.done.members'));

        // the review started, with its deadline on the programme's clock
        await fillDeadline(page, lang, '10', '4', '18:00');
        await page.getByRole('button', { name: t('web.committee.deadline.start') }).click();
        await page.waitForURL('**/committee?done=started');
        expect(await banner.textContent()).toContain(t('web.committee.done.started'));
        await see('committee-started');

        // two members declare, one of them a conflict; the third has not: the assignment is refused
        await declare(aigul, applications[0], false);
        await declare(aigul, applications[1], false);
        await declare(bakyt, applications[0], true, 'Топтун жетекчиси менин карындашым.');
        await declare(bakyt, applications[1], false);
        await page.goto(path);
        expect(await page.textContent('main')).toContain(`${NAMES[lang][1]}: Топтун жетекчиси менин карындашым.`);
        await see('committee-declarations');
        await page.getByRole('button', { name: t('web.committee.assign.run') }).click();
        const undeclared = translate(lang, 'assignment.undeclared', { members: { list: [`${NAMES[lang][2]} (2)`] } });
        expect(await summary.textContent()).toContain(undeclared);
        await see('committee-assign-refused');

        // once everyone has declared, the assignment runs
        await declare(cholpon, applications[0], false);
        await declare(cholpon, applications[1], false);
        await page.goto(path);
        await page.getByRole('button', { name: t('web.committee.assign.run') }).click();
        await page.waitForURL('**/committee?done=assigned');
        expect(await banner.textContent()).toContain(t('web.committee.done.assigned'));
        await see('committee-assigned');

        // a review of the second application given by hand to the member who has none of it
        const reviews = (
          await h.http().get(`/applications/${applications[1]}/reviews`).set('authorization', manager.auth).expect(200)
        ).body.reviews as { reviewer: { userId: string; name: string } }[];
        const free = members.find((m) => !reviews.some((r) => r.reviewer.userId === m.id)) as TestUser;
        const freeName = NAMES[lang][members.indexOf(free)];
        await page
          .locator(`#application-${applications[1]}`)
          .getByRole('link', { name: t('web.committee.applications.change') })
          .click();
        await page.waitForURL(`**/committee/applications/${applications[1]}`);
        await see('committee-application');
        await page.getByRole('button', { name: t('web.committee.reassign.save') }).click();
        expect(await summary.textContent()).toContain(t('web.committee.reassign.toMissing'));
        await see('committee-application-error');
        await page
          .getByRole('group', { name: t('web.committee.reassign.to') })
          .getByLabel(freeName)
          .check();
        await page
          .getByRole('group', { name: t('web.committee.reassign.from') })
          .getByLabel(reviews[0].reviewer.name)
          .check();
        await page.getByLabel(t('web.committee.reassign.reason')).fill('Командировкада мөөнөттүн аягына чейин.');
        await page.getByRole('button', { name: t('web.committee.reassign.save') }).click();
        await page.waitForURL('**/committee?done=reassigned*');
        expect(await banner.textContent()).toContain(t('web.committee.done.reassigned'));

        // the deadline moved a week later
        await fillDeadline(page, lang, '17', '4', '12:00');
        await page.getByRole('button', { name: t('web.committee.deadline.save') }).click();
        await page.waitForURL('**/committee?done=deadline');
        expect(await banner.textContent()).toContain(t('web.committee.done.deadline'));
        await see('committee-deadline');
        const call = (await h.http().get(`/calls/${callId}`).set('authorization', manager.auth).expect(200)).body;
        expect(call.review.dueAtLocal).toBe(`${NEXT_YEAR}-04-17 12:00`);
      } finally {
        await context.close();
      }
    },
  );

  it('checked every page the journeys visited with axe', () => {
    expect(stage.checked()).toBe(2 * PAGES_LOOKED_AT);
  });
});
