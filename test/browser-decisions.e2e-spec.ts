import type { Locale } from '../workflows/localised';
import { translate } from '../src/i18n/translate';
import { browserStage, type BrowserStage } from './support/browser';
import { signInToken } from './support/pages';
import { ROUND, reviewedRound } from './support/decisions-round';

// The programme manager's decisions in a real browser, in Kyrgyz with JavaScript and in Russian
// without: the ranking and both proposals, other terms tried, decisions started from the proposal
// by rank, an award past the budget refused, the decisions recorded and confirmed. axe checks
// every page at WCAG 2.2 AA where JavaScript is on; each is photographed at 360 and 1280 pixels.

jest.setTimeout(240_000);

describe('the manager’s ranking and decisions in Chromium', () => {
  let stage: BrowserStage;

  beforeAll(async () => {
    stage = await browserStage('the decision pages');
  });
  afterAll(() => stage?.close());

  it.each<[Locale, boolean]>([
    ['ky', true],
    ['ru', false],
  ])('in %s (JavaScript %s): ranks, tries other terms, decides from a proposal and confirms', async (lang, js) => {
    const { h, smtp, browser, base, look } = stage;
    const t = (key: string, params = {}) => translate(lang, key, params);
    const round = await reviewedRound(h);
    const manager = await h.user('manager', { locale: lang, name: 'Айгүл Манагер' });
    const context = await browser.newContext({ locale: lang, javaScriptEnabled: js });
    const page = await context.newPage();
    const banner = page.locator('.govuk-notification-banner--success');
    const summary = page.locator('.govuk-error-summary');
    const path = `${base}/manage/calls/${round.callId}/decisions`;
    const line = (key: string) =>
      page.getByRole('group', { name: `${round.reference[key]} ${titleOf(key)}`, exact: false });
    try {
      await page.goto(`${base}/sign-in`);
      await page.getByLabel(t('web.signIn.email')).fill(manager.email);
      await page.getByRole('button', { name: t('web.signIn.send') }).click();
      await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
      await page.goto(`${base}/auth/sign-in?token=${await signInToken(h, smtp, manager.email)}`);
      await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
      await page.waitForLoadState();

      // The ranking, the flag in words, both proposals side by side.
      await page.goto(path);
      expect(await page.textContent('h1')).toBe(t('web.decisions.title'));
      await expect(page.getByText(t('web.decisions.ranking.disagree'), { exact: true }).count()).resolves.toBe(1);
      await expect(page.getByRole('heading', { name: t('web.decisions.proposals.byRank') }).count()).resolves.toBe(1);
      await expect(page.getByRole('heading', { name: t('web.decisions.proposals.optimal') }).count()).resolves.toBe(1);
      await look(page, `${lang}-decisions-ranking`, js);

      // Other terms: from 89 points up, both fund the same two; a score of 120 is refused.
      await page.getByLabel(t('web.decisions.terms.minimumScore')).fill('120');
      await page.getByRole('button', { name: t('web.decisions.terms.recompute') }).click();
      expect(await summary.textContent()).toContain(t('web.decisions.terms.minimumScoreInvalid'));
      await look(page, `${lang}-decisions-terms-error`, js);
      await page.getByLabel(t('web.decisions.terms.minimumScore')).fill('89');
      await page.getByRole('button', { name: t('web.decisions.terms.recompute') }).click();
      expect(await page.textContent('main')).toContain(t('web.decisions.difference.same', { count: 2 }));
      await look(page, `${lang}-decisions-terms`, js);

      // Started from the proposal by rank, on the call's own terms.
      await page.goto(path);
      await page
        .getByRole('region', { name: t('web.decisions.proposals.byRank') })
        .getByRole('button', { name: t('web.decisions.proposals.startFrom') })
        .click();
      await page.waitForURL('**/decisions/record?from=byRank*');
      expect(await page.textContent('main')).toContain(t('web.decisions.record.startedFrom.byRank'));
      await look(page, `${lang}-decisions-record`, js);

      // A third award is more than the money left: refused, and nothing is recorded.
      await line('sports').getByLabel(t('web.decisions.record.award'), { exact: true }).check();
      await page.getByLabel(`${t('web.decisions.record.amount')} ${round.reference.sports}`).fill('1600.00');
      await page.getByRole('button', { name: t('web.decisions.record.save') }).click();
      expect(await summary.textContent()).toContain(
        t('application.withinCallBudget', {
          amount: { money: 650000, currency: 'EUR' },
          left: { money: 500000, currency: 'EUR' },
        }),
      );
      await look(page, `${lang}-decisions-record-error`, js);

      // The sports ground back on the waiting list; the road not funded, with the committee's summary.
      await line('sports').getByLabel(t('web.decisions.record.waitlist'), { exact: true }).check();
      await line('road').getByLabel(t('web.decisions.record.reject'), { exact: true }).check();
      await page
        .getByLabel(`${t('web.decisions.record.summary')} ${round.reference.road}`)
        .fill('Эксперттердин баалары дал келген жок: жолдун сметасы так эмес.');
      await page.getByRole('button', { name: t('web.decisions.record.save') }).click();
      await page.waitForURL('**/decisions?done=recorded');
      expect(await banner.textContent()).toContain(t('web.decisions.done.recorded'));
      await look(page, `${lang}-decisions-recorded`, js);

      // Confirmed through its confirmation page.
      await page.getByRole('button', { name: t('web.decisions.next.confirm') }).click();
      await page.waitForURL('**/decisions/confirm');
      expect(await page.textContent('main')).toContain(t('web.decisions.confirm.warning', { count: 3 }));
      await look(page, `${lang}-decisions-confirm`, js);
      await page.getByRole('button', { name: t('web.decisions.confirm.button') }).click();
      await page.waitForURL('**/decisions?done=confirmed');
      expect(await banner.textContent()).toContain(t('web.decisions.done.confirmed'));
      await look(page, `${lang}-decisions-confirmed`, js);
      const call = await h.http().get(`/calls/${round.callId}`).set('authorization', manager.auth).expect(200);
      expect(call.body.state).toBe('decided');
    } finally {
      await context.close();
    }
  });
});

function titleOf(key: string): string {
  return (ROUND.find((a) => a.key === key) as (typeof ROUND)[number]).title;
}
