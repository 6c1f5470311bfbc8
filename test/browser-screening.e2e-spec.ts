import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { openCall, proposal, send } from './support/fixtures';
import { signInToken } from './support/pages';

// A programme manager screens a call's applications in a real browser, in Kyrgyz and Russian
// (Russian without JavaScript) and English: two decided eligible at once, one asked questions,
// one found not eligible on its own page, and the files of another looked at. axe checks every
// page at WCAG 2.2 AA where JavaScript is on; each is photographed at 360 and 1280 pixels wide.

jest.setTimeout(240_000);

const LOOKS = 8;

describe('screening in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the screening pages');
  });
  afterAll(() => stage?.close());

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', false],
    ['en', true],
  ])('in %s (JavaScript %s): decides several at once, asks questions, and finds one not eligible', async (lang, js) => {
    const { h, smtp, browser, base, look } = stage;
    const t = (key: string, params = {}) => translate(lang, key, params);
    const manager = await h.user('manager', { locale: lang, name: 'Нургуль' });

    const callId = await openCall(h, h.manager);
    const apply = async (overrides: Record<string, unknown>, file = false) => {
      const owner = (await h.user('applicant')).auth;
      const res = await h
        .http()
        .post(`/calls/${callId}/applications`)
        .set('authorization', owner)
        .send(proposal('2000.00', overrides))
        .expect(201);
      if (file)
        await h
          .http()
          .post(`/applications/${res.body.id}/attachments`)
          .set('authorization', owner)
          .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'смета-жазы.pdf')
          .expect(201);
      await send(h, owner, `/applications/${res.body.id}`, { type: 'SUBMIT' });
      const view = await h.http().get(`/applications/${res.body.id}`).set('authorization', owner).expect(200);
      return { id: res.body.id as string, reference: view.body.reference as string };
    };
    const water = await apply({ title: 'Жазы мектебине таза суу' });
    const osh = await apply({
      title: 'Ош шаарындагы спорт аянтчасы',
      municipality: 'Osh',
      eligibilityAnswers: { registered: false },
      composition: { civil_society: 6 },
    });
    const roof = await apply({ title: 'Юрьевкадагы жаштар борборунун чатыры', municipality: 'Yuryevka' }, true);
    const library = await apply({ title: 'Гулистандагы китепкана', municipality: 'Gulistan' });

    const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
    const page = await context.newPage();
    const banner = page.locator('.govuk-notification-banner--success');
    const summary = page.locator('.govuk-error-summary');
    const choose = (reference: string) =>
      page.getByLabel(t('web.screening.list.choose', { reference }), { exact: true });
    try {
      await page.goto(`${base}/sign-in`);
      await page.getByLabel(t('web.signIn.email')).fill(manager.email);
      await page.getByRole('button', { name: t('web.signIn.send') }).click();
      await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
      await page.goto(`${base}/auth/sign-in?token=${await signInToken(h, smtp, manager.email)}`);
      await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
      await page.waitForURL(/\/(home|manage)$/);

      // the list, with the check beside each answer
      await page.goto(`${base}/manage/calls/${callId}/screening`);
      expect(await page.textContent('h1')).toBe(t('web.screening.list.title'));
      expect(await page.textContent('main')).toContain(t('web.screening.list.intro', { count: 4 }));
      await look(page, `${lang}-screening-list`, js);
      await page.getByRole('button', { name: t('web.screening.list.send') }).click();
      expect(await summary.textContent()).toContain(t('web.screening.error.chooseOne'));
      expect(await summary.textContent()).toContain(t('web.screening.error.outcome'));
      await look(page, `${lang}-screening-list-error`, js);

      // two eligible at once
      await choose(water.reference).check();
      await choose(roof.reference).check();
      await page.getByLabel(t('web.screening.decision.eligible'), { exact: true }).check();
      await page.getByRole('button', { name: t('web.screening.list.send') }).click();
      await page.waitForURL(`**/manage/calls/${callId}/screening?outcome=*`);
      expect(await banner.textContent()).toContain(t('web.screening.outcome.done', { count: 2 }));
      await look(page, `${lang}-screening-list-done`, js);

      // questions for one group
      await choose(library.reference).check();
      await page.getByLabel(t('web.screening.decision.moreInfo'), { exact: true }).check();
      await page
        .getByLabel(t('web.screening.decision.questions'))
        .fill('Китепкана кайсы имаратта болот?\nКитептерди ким тандайт?');
      await page.getByRole('button', { name: t('web.screening.list.send') }).click();
      await page.waitForURL(`**/manage/calls/${callId}/screening?outcome=*`);
      expect(await banner.textContent()).toContain(t('web.screening.outcome.done', { count: 1 }));
      expect(await page.textContent('main')).toContain('Китептерди ким тандайт?');
      await look(page, `${lang}-screening-list-more-info`, js);

      // one application on its own page: not eligible, with the reason the group reads
      await page.getByRole('link', { name: `${osh.reference} · Ош шаарындагы спорт аянтчасы` }).click();
      await page.waitForURL(`**/manage/applications/${osh.id}`);
      expect(await page.textContent('h1')).toBe('Ош шаарындагы спорт аянтчасы');
      await look(page, `${lang}-screening-application`, js);
      await page.getByLabel(t('web.screening.decision.ineligible'), { exact: true }).check();
      await page.getByRole('button', { name: t('web.screening.application.send') }).click();
      expect(await summary.textContent()).toContain(t('web.screening.error.reason'));
      await look(page, `${lang}-screening-application-error`, js);
      await page
        .getByLabel(t('web.screening.decision.reason'))
        .fill('Долбоор Ош шаарында, ал эми конкурс төрт айыл аймагы үчүн гана.');
      await page.getByRole('button', { name: t('web.screening.application.send') }).click();
      await page.waitForURL(`**/manage/applications/${osh.id}?done=ineligible`);
      expect(await banner.textContent()).toContain(t('web.screening.done.ineligible'));
      await look(page, `${lang}-screening-application-done`, js);

      // an eligible one, with its file
      await page.goto(`${base}/manage/applications/${roof.id}`);
      const download = page.getByRole('link', { name: t('web.screening.files.download', { name: 'смета-жазы.pdf' }) });
      expect(await download.getAttribute('href')).toMatch(new RegExp(`^/applications/${roof.id}/attachments/`));
      await look(page, `${lang}-screening-application-eligible`, js);
    } finally {
      await context.close();
    }
    const state = async (id: string) =>
      (await h.http().get(`/applications/${id}`).set('authorization', h.manager).expect(200)).body.state as string;
    expect([await state(water.id), await state(roof.id), await state(library.id), await state(osh.id)]).toEqual([
      'eligible',
      'eligible',
      'more_info',
      'ineligible',
    ]);
  });

  it('checked every page the journeys visited with axe', () => {
    expect(stage.checked()).toBe(2 * LOOKS);
  });
});
