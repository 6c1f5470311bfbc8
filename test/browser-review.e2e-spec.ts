import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import type { ExplanationParams } from '../workflows/kit';
import { browserStage, type BrowserStage } from './support/browser';
import { createCall, send, submittedApplication } from './support/fixtures';
import { signInToken } from './support/pages';

// A committee chair's round in a real browser, in each language: they find their call, declare on
// each application (a refusal first), score a review (the machine's refusal first, naming what is
// unscored), read the other member's review once theirs is in, send it back with a reason, and read
// the ranking. axe checks every page at WCAG 2.2 AA where JavaScript is on; each page is
// photographed at 360 and 1280 pixels wide into the folder printed at the start.

jest.setTimeout(240_000);

const CRITERIA = [
  { name: 'Коомчулуктун муктаждыгы', description: 'Көйгөй канча адамга тиешелүү жана канчалык оор', weight: 40 },
  { name: 'Аткарылышы', description: 'Топ планды аткара алабы', weight: 35 },
  { name: 'Аялдар жана жаштар', description: 'Ким катышат жана ким пайда көрөт', weight: 25 },
];
const RUNS: [Locale, boolean][] = [
  ['ky', true],
  ['ru', false],
  ['en', true],
];

describe('a committee chair’s round in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the review pages');
  });
  afterAll(() => stage?.close());

  it.each(RUNS)('in %s (JavaScript %s): declares, scores, reads, sends a review back and ranks', async (lang, js) => {
    const { h, smtp, browser, base, look } = stage;
    const t = (key: string, params: ExplanationParams = {}) => translate(lang, key, params);
    const chair = await h.user('committee', { locale: lang, name: 'Айгүл Токтогулова' });
    const other = await h.user('committee', { locale: lang, name: 'Бакыт Осмонов' });
    const callId = await createCall(h, h.manager, { criteria: CRITERIA, reviewersPerApplication: 2 });
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    await h
      .http()
      .put(`/calls/${callId}/committee`)
      .set('authorization', h.manager)
      .send({ members: [{ userId: chair.id, chair: true }, { userId: other.id }] })
      .expect(200);
    const apps = [
      await submittedApplication(h, callId, (await h.user('applicant')).auth, '2400.00'),
      await submittedApplication(h, callId, (await h.user('applicant')).auth, '1800.00'),
    ];
    for (const id of apps) await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await h
      .http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', other.auth)
      .send({ items: apps.map((applicationId) => ({ applicationId, conflicted: false })) })
      .expect(200);

    const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
    const page = await context.newPage();
    const banner = page.locator('.govuk-notification-banner--success');
    const summary = page.locator('.govuk-error-summary');
    try {
      await page.goto(`${base}/sign-in`);
      await page.getByLabel(t('web.signIn.email')).fill(chair.email);
      await page.getByRole('button', { name: t('web.signIn.send') }).click();
      await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
      await page.goto(`${base}/auth/sign-in?token=${await signInToken(h, smtp, chair.email)}`);
      await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
      await page.waitForURL(/\/(home|review)$/);

      // the calls, then the board with its declarations
      await page.goto(`${base}/review`);
      expect(await page.textContent('h1')).toBe(t('web.review.hub.title'));
      await look(page, `${lang}-review-hub`, js);
      await page.locator(`a[href="/review/calls/${callId}"]`).click();
      await page.waitForURL(`**/review/calls/${callId}`);
      await look(page, `${lang}-review-board`, js);
      await page.locator(`#conflict-${apps[0]}`).check();
      await page.locator(`#conflict-${apps[1]}-2`).check();
      await page.getByRole('button', { name: t('web.review.declare.send') }).click();
      expect(await summary.textContent()).toContain(t('web.review.declare.reasonMissing'));
      await look(page, `${lang}-review-board-error`, js);
      await page.locator(`#conflict-${apps[1]}`).check();
      await page.getByRole('button', { name: t('web.review.declare.send') }).click();
      await page.waitForURL(`**/review/calls/${callId}?done=declared`);
      expect(await banner.textContent()).toContain(t('web.review.done.declared'));
      await look(page, `${lang}-review-board-declared`, js);

      // the chair's choice of when members see one another's scores, then back to the default
      await page.getByLabel(t('web.review.visibility.complete')).check();
      await page.getByRole('button', { name: t('web.review.visibility.save') }).click();
      await page.waitForURL(`**/review/calls/${callId}?done=visibility`);
      expect(await page.textContent('main')).toContain(t('web.review.visibility.now.complete'));
      await look(page, `${lang}-review-board-visibility`, js);
      await page.getByLabel(t('web.review.visibility.own')).check();
      await page.getByRole('button', { name: t('web.review.visibility.save') }).click();
      await page.waitForURL(`**/review/calls/${callId}?done=visibility`);
      expect(await page.textContent('main')).toContain(t('web.review.visibility.now.own'));

      // the review form: refused while criteria are unscored, then submitted
      await h.http().post(`/calls/${callId}/assignments`).set('authorization', h.manager).expect(200);
      const board = await h.http().get(`/calls/${callId}/review`).set('authorization', chair.auth).expect(200);
      const [first, second] = (board.body.applications as { review: { id: string } }[]).map((a) => a.review.id);
      await page.goto(`${base}/review/calls/${callId}`);
      await page.locator(`a[href="/review/reviews/${first}"]`).click();
      await page.waitForURL(`**/review/reviews/${first}`);
      await page.getByText(t('web.review.form.proposal')).click();
      expect(await page.textContent('main')).toContain('Buy and fit the filter');
      await look(page, `${lang}-review-form`, js);
      await page.goto(`${base}/review/calls/${callId}/ranking`);
      expect(await page.textContent('main')).toContain(t('ranking.outstandingReviews', { count: 2 }));
      await look(page, `${lang}-review-ranking-waiting`, js);
      await page.goto(`${base}/review/reviews/${first}`);
      await page.locator('#score-0-5').check();
      await page.getByLabel(t('web.review.form.comment', { criterion: CRITERIA[0].name })).fill('Мектептин каты бар.');
      await page.getByRole('button', { name: t('web.review.form.submit') }).click();
      const unscored = t('review.everyCriterionScored', { criteria: { list: [CRITERIA[1].name] } });
      expect(await summary.textContent()).toContain(unscored);
      await summary.getByRole('link', { name: unscored }).click();
      await look(page, `${lang}-review-form-refused`, js);
      await page.locator('#score-1-4').check();
      await page.locator('#score-2-6').check();
      await page.getByLabel(t('web.review.recommendation.fund'), { exact: true }).check();
      await page.getByLabel(t('web.review.form.overall')).fill('Ата-энелердин активдүү тобунун күчтүү долбоору.');
      await page.getByRole('button', { name: t('web.review.form.submit') }).click();
      await page.waitForURL(`**/review/reviews/${first}?done=submitted`);
      expect(await banner.textContent()).toContain(t('web.review.done.submitted'));
      expect(await page.locator('input[type="radio"]').count()).toBe(0);
      await look(page, `${lang}-review-submitted`, js);

      // the other member's review, read once in, and sent back by the chair
      const theirs = (
        await h.http().get(`/calls/${callId}/review`).set('authorization', other.auth).expect(200)
      ).body.applications.map((a: { review: { id: string } }) => a.review.id) as string[];
      for (const id of [...theirs, second]) {
        const auth = id === second ? chair.auth : other.auth;
        await send(h, auth, `/reviews/${id}`, {
          type: 'SAVE',
          scores: id === theirs[0] ? [1, 1, 1] : [4, 4, 4],
          comments: ['', '', ''],
          recommendation: id === theirs[0] ? 'do_not_fund' : 'fund',
        });
        await send(h, auth, `/reviews/${id}`, { type: 'SUBMIT' });
      }
      await page.goto(`${base}/review/applications/${apps[0]}/reviews`);
      expect(await page.textContent('main')).toContain(t('web.review.recommendation.do_not_fund'));
      await look(page, `${lang}-review-others`, js);
      const reopen = page.locator('details', { hasText: t('web.review.reopen.for', { name: 'Бакыт Осмонов' }) });
      await reopen.locator('summary').click();
      await reopen.getByLabel(t('web.review.reopen.reason')).fill('«Аткарылышы» боюнча баа комментарийге дал келбейт.');
      await reopen.getByRole('button', { name: t('web.review.reopen.send') }).click();
      await page.waitForURL(`**/review/applications/${apps[0]}/reviews?done=reopened`);
      expect(await banner.textContent()).toContain(t('web.review.done.reopened'));
      await look(page, `${lang}-review-reopened`, js);

      // the ranking: every review of the chair's is in
      await page.goto(`${base}/review/calls/${callId}`);
      await page.getByRole('link', { name: t('web.review.board.rankingLink') }).click();
      await page.waitForURL(`**/review/calls/${callId}/ranking`);
      expect(await page.locator('tbody tr').count()).toBe(2);
      await look(page, `${lang}-review-ranking`, js);

      // a conflict found late: its page, refused without a reason, then left without declaring
      await page.goto(`${base}/review/reviews/${second}`);
      await page.getByRole('link', { name: t('web.review.conflict.link') }).click();
      await page.waitForURL(`**/review/applications/${apps[1]}/conflict`);
      await look(page, `${lang}-review-conflict`, js);
      await page.getByRole('button', { name: t('web.review.conflict.send') }).click();
      expect(await summary.textContent()).toContain(t('web.review.declare.reasonMissing'));
      await look(page, `${lang}-review-conflict-error`, js);
      await page.getByRole('link', { name: t('web.review.conflict.cancel') }).click();
      await page.waitForURL(`**/review/calls/${callId}`);
    } finally {
      await context.close();
    }
  });

  it('checked every page the journeys visited with axe', () => {
    expect(stage.checked()).toBe(2 * 14);
  });
});
