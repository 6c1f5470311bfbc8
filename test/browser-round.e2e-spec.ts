import type { Page } from 'playwright-core';
import type { Locale } from '../workflows/localised';
import { STATUS_WORDS } from '../src/applications/status-words';
import { TimerScheduler } from '../src/engine/timer.scheduler';
import { translate } from '../src/i18n/translate';
import type { ExplanationParams } from '../workflows/kit';
import { browserStage, type BrowserStage } from './support/browser';
import { signInToken } from './support/pages';
import {
  CONFLICTED,
  DISPUTED,
  PROPOSALS,
  PagesVisitor,
  messagesTo,
  pilotTitled,
  recommendationFor,
  scoresFor,
  type Pilot,
} from './support/round';

// The pilot round through the pages alone, in a real browser: a programme manager sets up and
// publishes the EUR 12,500 call, eight initiative groups apply (one in the browser, seven through the
// same pages without JavaScript), the manager screens them, the call closes at its time, the manager
// forms the committee of five and starts the review, the members declare (one conflict), are
// assigned and score, the chair sends one review back and its author resubmits, the ranking flags the
// disagreement beside both proposals, and the manager awards five, rejects three and confirms. The
// manager, the chair and one group are in the browser, in Kyrgyz, then in Russian with the manager's
// JavaScript off. axe checks every page at WCAG 2.2 AA where JavaScript is on; each is photographed
// at 360 and 1280 px; the committee's other four members take part through the pages over HTTP.

jest.setTimeout(600_000);

const DAY = 24 * 60 * 60 * 1000;
const NEXT_YEAR = new Date().getUTCFullYear() + 1;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

interface Seat {
  name: string;
  locale: Locale;
}

/** Each run's people: the manager, the chair (first of the committee, in the browser) and the other four. */
const PEOPLE: Record<'ky' | 'ru', { manager: string; committee: Seat[]; conflictReason: string }> = {
  ky: {
    manager: 'Нургүл Сатылганова',
    committee: [
      { name: 'Айгүл Токтогулова', locale: 'ky' },
      { name: 'Бакыт Осмонов', locale: 'ru' },
      { name: 'Nurlan Sadykov', locale: 'en' },
      { name: 'Елена Ким', locale: 'ru' },
      { name: 'Тимур Асанов', locale: 'ky' },
    ],
    conflictReason: 'Топтун жетекчиси менин жээним.',
  },
  ru: {
    manager: 'Гульнара Исакова',
    committee: [
      { name: 'Жылдыз Абдыкадырова', locale: 'ru' },
      { name: 'Азамат Жумабеков', locale: 'ky' },
      { name: 'Daniyar Omurov', locale: 'en' },
      { name: 'Ольга Ли', locale: 'ru' },
      { name: 'Чынара Бекова', locale: 'ky' },
    ],
    conflictReason: 'Руководитель группы — мой племянник.',
  },
};
/** The member who declares the conflict (by seat). */
const CONFLICTED_SEAT = 3;

const CALL_TITLES = {
  ky: 'Социалдык демилгелер: Александровка, Юрьевка, Гүлистан жана Жазы',
  ru: 'Социальные инициативы в Александровке, Юрьевке, Гулистане и Жазы',
  en: 'Social initiatives in Alexandrovsky, Yuryevka, Gulistan and Zhazy',
};
const CRITERIA: Record<'ky' | 'ru', [string, number][]> = {
  ky: [
    ['Коомчулуктун муктаждыгы', 40],
    ['Аткарылышы', 35],
    ['Аялдардын жана жаштардын катышуусу', 25],
  ],
  ru: [
    ['Потребность сообщества', 40],
    ['Выполнимость', 35],
    ['Участие женщин и молодёжи', 25],
  ],
};
/** The pages each person looks at in a round with JavaScript, besides the chair's two a review. */
const MANAGER_PAGES = 33;
const GROUP_PAGES = 16;
const CHAIR_PAGES = 9;
const MUNICIPALITIES = ['Alexandrovsky', 'Yuryevka', 'Gulistan', 'Zhazy'];

describe('the pilot round through the pages in Chromium', () => {
  let stage: BrowserStage;
  let looked = 0;
  /** How many reviews the chair scored in a browser with JavaScript: two pages each. */
  let chairReviewed = 0;

  beforeAll(async () => {
    stage = await browserStage('the pilot round');
  });
  afterAll(() => stage?.close());

  /** Signs in through the sign-in page and the emailed link. */
  async function signIn(page: Page, lang: Locale, email: string): Promise<void> {
    const t = (key: string) => translate(lang, key);
    await page.goto(`${stage.base}/sign-in`);
    await page.getByLabel(t('web.signIn.email')).fill(email);
    await page.getByRole('button', { name: t('web.signIn.send') }).click();
    await page.waitForSelector(`text=${t('web.signIn.sentTitle')}`);
    await page.goto(`${stage.base}/auth/sign-in?token=${await signInToken(stage.h, stage.smtp, email)}`);
    await page.getByRole('button', { name: t('web.signIn.linkButton') }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/auth'));
  }

  it.each<['ky' | 'ru', boolean, boolean]>([
    ['ky', true, true],
    ['ru', false, true],
  ])(
    'in %s (the manager with JavaScript %s, the chair and a group with JavaScript %s): from a new call to the confirmed award decisions',
    async (lang, managerJs, othersJs) => {
      const { h, smtp, browser, base } = stage;
      const t = (key: string, params: ExplanationParams = {}) => translate(lang, key, params);
      const people = PEOPLE[lang];
      const scripted = new Map<Page, boolean>();
      const see = async (page: Page, name: string) => {
        const js = scripted.get(page) === true;
        if (js) looked++;
        await stage.look(page, `${lang}-${name}`, js);
      };

      const manager = await h.user('manager', { locale: lang, name: people.manager });
      const groupLocales: Locale[] = [lang, 'ru', 'en', 'ky', 'ru', 'en', 'ky', 'ru'];
      const groups = await Promise.all(
        PROPOSALS.map((p, i) =>
          h.user('applicant', { locale: groupLocales[i], name: `Group ${p.key}`, municipality: p.municipality }),
        ),
      );
      const members = await Promise.all(people.committee.map((s) => h.user('committee', s)));
      const [chair] = members;

      // the manager's desk, the browser's group and the chair, each with a session of their own
      const scripts = [managerJs, othersJs, othersJs];
      const contexts = await Promise.all(
        scripts.map((js) => browser.newContext({ locale: lang, javaScriptEnabled: js })),
      );
      const [desk, groupPage, chairPage] = await Promise.all(contexts.map((c) => c.newPage()));
      [desk, groupPage, chairPage].forEach((page, i) => scripted.set(page, scripts[i]));
      const banner = (page: Page) => page.locator('.govuk-notification-banner--success');
      try {
        // 1. The call, set up on its task list and published.
        await signIn(desk, lang, manager.email);
        await desk.goto(`${base}/manage/calls/new`);
        await see(desk, 'setup-new');
        for (const l of ['ky', 'ru', 'en'] as const) await desk.fill(`#title-${l}`, CALL_TITLES[l]);
        await desk.getByRole('button', { name: t('web.setup.new.start') }).click();
        await desk.waitForURL('**/setup?done=created');
        const callId = /\/manage\/calls\/([0-9a-f-]{36})\/setup/.exec(desk.url())?.[1] as string;
        expect(await desk.textContent('h1')).toBe(t('web.setup.tasks.title'));
        await see(desk, 'setup-tasks-new');
        const task = async (name: string) => {
          await desk.getByRole('link', { name: t(`web.setup.task.${name}`) }).click();
          await desk.waitForURL(`**/setup/${name}`);
          expect(await desk.textContent('h1')).toBe(t(`web.setup.task.${name}`));
        };
        const saved = async (name: string) => {
          await see(desk, `setup-${name}`);
          await desk.getByRole('button', { name: t('web.setup.save') }).click();
          await desk.waitForURL(`**/setup?done=${name}`);
          await see(desk, `setup-tasks-${name}`);
        };
        const addRow = async (selector: string) => {
          await desk.click('button[name="add"]');
          await desk.waitForSelector(selector);
        };
        const fillDay = async (prefix: string, at: Date, time: string) => {
          await desk.fill(`#${prefix}-day`, String(at.getUTCDate()));
          await desk.fill(`#${prefix}-month`, String(at.getUTCMonth() + 1));
          await desk.fill(`#${prefix}-year`, String(at.getUTCFullYear()));
          await desk.fill(`#${prefix}-time`, time);
        };

        await task('texts');
        await desk.fill(
          '#description-ky',
          'Жергиликтүү бийлик менен жарандык коом бирге ишке ашырган долбоорлорго 2 500 еврого чейин грант.',
        );
        await desk.fill(
          '#description-ru',
          'Гранты до 2 500 евро на проекты, которые местная власть и гражданское общество выполняют вместе.',
        );
        await desk.fill(
          '#description-en',
          'Grants of up to EUR 2,500 for projects that local government and civil society carry out together.',
        );
        await saved('texts');

        await task('money');
        await desk.getByLabel(t('web.setup.money.currency')).fill('EUR');
        await desk.getByLabel(t('web.setup.money.budget')).fill('12500');
        await desk.getByLabel(t('web.setup.money.maxAward')).fill('2500');
        await saved('money');

        // open since yesterday, closing tomorrow evening on the programme's clock
        await task('dates');
        await fillDay('opens', new Date(Date.now() - DAY), '09:00');
        await fillDay('closes', new Date(Date.now() + DAY), '18:00');
        await saved('dates');

        await task('municipalities');
        for (const [i, name] of MUNICIPALITIES.entries()) {
          if (i > 0) await addRow(`#municipalities-${i}-name`);
          await desk.fill(`#municipalities-${i}-name`, name);
        }
        await saved('municipalities');

        await task('questions');
        await desk.fill('#questions-0-ky', 'Топтун курамында айыл өкмөтү же катталган уюм барбы?');
        await desk.fill('#questions-0-ru', 'Входит ли в группу айыл окмоту или зарегистрированная организация?');
        await desk.fill('#questions-0-en', 'Does the group include the local council or a registered organisation?');
        await desk.getByLabel(t('web.setup.questions.required')).check();
        await saved('questions');

        await task('composition');
        await desk.getByLabel(t('web.setup.composition.some')).check();
        for (const g of ['local_government', 'civil_society', 'religious_organisation', 'youth_women'])
          await desk.getByLabel(t(`web.apply.stakeholder.${g}`)).check();
        await desk.getByLabel(t('web.setup.composition.minimum')).fill('2');
        await saved('composition');

        await task('criteria');
        for (const [i, [name, weight]] of CRITERIA[lang].entries()) {
          if (i > 0) await addRow(`#criteria-${i}-name`);
          await desk.fill(`#criteria-${i}-name`, name);
          await desk.fill(`#criteria-${i}-weight`, String(weight));
        }
        await saved('criteria');

        // payments above EUR 2,000 need a second approval
        await task('finance');
        await desk.getByLabel(t('web.setup.finance.threshold', { currency: 'EUR' })).fill('2000');
        await saved('finance');

        await desk.getByRole('button', { name: t('web.setup.tasks.publish') }).click();
        await desk.waitForURL('**/publish');
        // every term ready: nothing listed as missing
        const notReady = desk.locator('#not-ready');
        expect((await notReady.count()) > 0 ? await notReady.textContent() : '').toBe('');
        await see(desk, 'setup-publish');
        await desk.getByRole('button', { name: t('web.setup.publish.confirm') }).click();
        await desk.waitForURL('**/setup?done=published');
        expect(await banner(desk).textContent()).toContain(t('web.setup.done.published'));
        expect(await desk.textContent('main')).toContain(t('call.state.open'));
        await see(desk, 'setup-published');

        // 2. Eight groups apply: the first in the browser, the other seven through the same pages over HTTP.
        const ids = new Map<string, string>();
        ids.set(
          PROPOSALS[0].key,
          await applyInBrowser(groupPage, lang, othersJs, groups[0].email, callId, PROPOSALS[0]),
        );
        const visitors: PagesVisitor[] = [];
        for (const [i, p] of PROPOSALS.entries()) {
          if (i === 0) continue;
          const visitor = await PagesVisitor.signIn(h, smtp, base, groups[i], groupLocales[i]);
          ids.set(p.key, await visitor.apply(callId, p));
          visitors[i] = visitor;
        }
        const idOf = (key: string) => ids.get(key) as string;
        const conflictedTitle = (PROPOSALS.find((p) => p.key === CONFLICTED) as Pilot).title;
        const disputedTitle = (PROPOSALS.find((p) => p.key === DISPUTED) as Pilot).title;
        const allIds = PROPOSALS.map((p) => idOf(p.key));
        for (const g of groups) expect(await messagesTo(h, smtp, g)).toContain('application.submitted');

        // 3. The manager screens all eight at once: every group meets the rules.
        await desk.goto(`${base}/manage/calls/${callId}/screening`);
        expect(await desk.textContent('h1')).toBe(t('web.screening.list.title'));
        expect(await desk.textContent('main')).toContain(t('web.screening.list.intro', { count: 8 }));
        await see(desk, 'screening');
        for (const id of allIds) await desk.check(`#choose-${id}`);
        await desk.getByLabel(t('web.screening.decision.eligible'), { exact: true }).check();
        await desk.getByRole('button', { name: t('web.screening.list.send') }).click();
        await desk.waitForURL(`**/manage/calls/${callId}/screening?outcome=*`);
        expect(await banner(desk).textContent()).toContain(t('web.screening.outcome.done', { count: 8 }));
        await see(desk, 'screening-done');

        if (lang === 'ky') {
          // The call closes at its closing time, on the programme's clock.
          await h.app.get(TimerScheduler).fireDue(new Date(Date.now() + 2 * DAY));
        } else {
          // Every group has applied: the manager closes the call from its page, before its deadline.
          await desk.goto(`${base}/manage/calls/${callId}`);
          await desk.getByRole('link', { name: t('web.setup.close.start') }).click();
          await desk.waitForURL(`**/manage/calls/${callId}/close`);
          await see(desk, 'call-close');
          await desk.getByRole('button', { name: t('web.setup.close.confirm') }).click();
          await desk.waitForURL(`**/manage/calls/${callId}?done=closed`);
          expect(await banner(desk).textContent()).toContain(t('web.setup.done.closed'));
          await see(desk, 'call-closed');
        }

        // 4. The committee of five, the chair first; the review started with its deadline.
        const committeePath = `${base}/manage/calls/${callId}/committee`;
        await desk.goto(committeePath);
        expect(await desk.textContent('h1')).toBe(t('web.committee.title'));
        expect(await desk.textContent('main')).toContain(t('call.state.closed'));
        await see(desk, 'committee');
        const chosen = desk.getByRole('group', { name: t('web.committee.members.legend') });
        for (const s of people.committee) await chosen.getByLabel(s.name, { exact: true }).check();
        await desk
          .getByRole('group', { name: t('web.committee.members.chair') })
          .getByLabel(people.committee[0].name, { exact: true })
          .check();
        await desk.getByRole('button', { name: t('web.committee.members.save') }).click();
        await desk.waitForURL('**/committee?done=members');
        expect(await banner(desk).textContent()).toContain(t('web.committee.done.members'));
        await see(desk, 'committee-members');
        await desk.getByLabel(t('web.committee.deadline.day'), { exact: true }).fill('10');
        await desk.getByLabel(t('web.committee.deadline.month'), { exact: true }).fill('4');
        await desk.getByLabel(t('web.committee.deadline.year'), { exact: true }).fill(String(NEXT_YEAR));
        await desk.getByLabel(t('web.committee.deadline.time'), { exact: true }).fill('18:00');
        await desk.getByRole('button', { name: t('web.committee.deadline.start') }).click();
        await desk.waitForURL('**/committee?done=started');
        expect(await banner(desk).textContent()).toContain(t('web.committee.done.started'));
        await see(desk, 'committee-started');

        // The chair declares in the browser: no conflict with any of the eight.
        await signIn(chairPage, lang, chair.email);
        await chairPage.goto(`${base}/review`);
        expect(await chairPage.textContent('h1')).toBe(t('web.review.hub.title'));
        await see(chairPage, 'review-hub');
        await chairPage.locator(`a[href="/review/calls/${callId}"]`).click();
        await chairPage.waitForURL(`**/review/calls/${callId}`);
        expect(await chairPage.textContent('main')).toContain(t('web.review.hub.undeclared', { count: 8 }));
        await see(chairPage, 'review-board');
        for (const id of allIds) await chairPage.check(`input[name="conflict-${id}"][value="no"]`);
        await chairPage.getByRole('button', { name: t('web.review.declare.send') }).click();
        await chairPage.waitForURL(`**/review/calls/${callId}?done=declared`);
        expect(await banner(chairPage).textContent()).toContain(t('web.review.done.declared'));
        await see(chairPage, 'review-board-declared');

        // The other four through the same pages; one declares a conflict with the Gulistan sports ground.
        const others: PagesVisitor[] = [];
        for (const [i, m] of members.entries()) {
          if (i === 0) continue;
          const visitor = await PagesVisitor.signIn(h, smtp, base, m, people.committee[i].locale);
          const conflicts =
            i === CONFLICTED_SEAT ? new Map([[idOf(CONFLICTED), people.conflictReason]]) : new Map<string, string>();
          await visitor.declare(callId, allIds, conflicts);
          others[i] = visitor;
        }

        // The manager sees the declarations, the conflict among them, and runs the assignment.
        await desk.goto(committeePath);
        expect(await desk.textContent(`#application-${idOf(CONFLICTED)}`)).toContain(
          t('web.committee.applications.conflictOf', {
            name: people.committee[CONFLICTED_SEAT].name,
            reason: people.conflictReason,
          }),
        );
        await see(desk, 'committee-declared');
        await desk.getByRole('button', { name: t('web.committee.assign.run') }).click();
        await desk.waitForURL('**/committee?done=assigned');
        expect(await banner(desk).textContent()).toContain(t('web.committee.done.assigned'));
        await see(desk, 'committee-assigned');

        // The members score: each review takes the scores of its place among the proposal's reviewers.
        const reviewers = new Map<string, { seat: number; reviewId: string }[]>();
        const nthOf = (p: Pilot, seat: number, reviewId: string) => {
          const list = reviewers.get(p.key) ?? [];
          list.push({ seat, reviewId });
          reviewers.set(p.key, list);
          return list.length - 1;
        };
        await chairPage.goto(`${base}/review/calls/${callId}`);
        await see(chairPage, 'review-board-assigned');
        const chairReviews = await chairPage
          .locator('a[href^="/review/reviews/"]')
          .evaluateAll((links) => links.map((a) => [a.getAttribute('href') as string, a.textContent as string]));
        expect(chairReviews.length).toBeGreaterThanOrEqual(4);
        if (othersJs) chairReviewed += chairReviews.length;
        const criteria = CRITERIA[lang];
        for (const [n, [href, text]] of chairReviews.entries()) {
          const p = pilotTitled(text.split(' · ').slice(1).join(' · ').trim());
          const reviewId = href.split('/').at(-1) as string;
          const scores = scoresFor(p, nthOf(p, 0, reviewId));
          await chairPage.goto(`${base}${href}`);
          for (const [name] of criteria) expect(await chairPage.textContent('main')).toContain(name);
          await see(chairPage, `review-form-${n + 1}`);
          for (const [i, s] of scores.entries()) await chairPage.check(`input[name="score-${i}"][value="${s}"]`);
          await chairPage
            .getByLabel(t('web.review.form.comment', { criterion: criteria[0][0] }))
            .fill(NEED_COMMENT[lang]);
          await chairPage.check(`input[name="recommendation"][value="${recommendationFor(scores)}"]`);
          await chairPage.getByRole('button', { name: t('web.review.form.submit') }).click();
          await chairPage.waitForURL(`**/review/reviews/${reviewId}?done=submitted`);
          expect(await banner(chairPage).textContent()).toContain(t('web.review.done.submitted'));
          expect(await chairPage.locator('input[type="radio"]').count()).toBe(0);
          await see(chairPage, `review-submitted-${n + 1}`);
        }
        for (const [i, visitor] of others.entries()) {
          if (!visitor) continue;
          const theirs = await visitor.reviews(callId);
          // the conflicted member is never given the application they declared on
          if (i === CONFLICTED_SEAT) expect(theirs.map((r) => r.title)).not.toContain(conflictedTitle);
          for (const { reviewId, title } of theirs) {
            const p = pilotTitled(title);
            await visitor.score(reviewId, scoresFor(p, nthOf(p, i, reviewId)), 'Clear and modest.');
          }
        }
        expect([...reviewers.values()].map((list) => list.length)).toEqual(Array(8).fill(3));

        // The chair sends back another member's review of an application the chair scored too.
        const [sentBackKey, sentBack] = [...reviewers.entries()]
          .filter(([key, list]) => key !== DISPUTED && list.some((r) => r.seat === 0))
          .map(([key, list]) => [key, list.find((r) => r.seat !== 0)] as const)[0];
        if (!sentBack) throw new Error('no review to send back');
        const author = others[sentBack.seat];
        const reason =
          lang === 'ky'
            ? 'Аткарылышы боюнча баа комментарийге дал келбейт.'
            : 'Оценка выполнимости не совпадает с комментарием.';
        await chairPage.goto(`${base}/review/calls/${callId}`);
        await see(chairPage, 'review-board-scored');
        await chairPage.locator(`a[href="/review/applications/${idOf(sentBackKey)}/reviews"]`).click();
        await chairPage.waitForURL(`**/review/applications/${idOf(sentBackKey)}/reviews`);
        expect(await chairPage.textContent('main')).toContain(
          t('web.review.reviews.counts', { submitted: 3, assigned: 3 }),
        );
        await see(chairPage, 'review-others');
        const reopen = chairPage.locator('details', {
          hasText: t('web.review.reopen.for', { name: people.committee[sentBack.seat].name }),
        });
        await reopen.locator('summary').click();
        await reopen.getByLabel(t('web.review.reopen.reason')).fill(reason);
        await reopen.getByRole('button', { name: t('web.review.reopen.send') }).click();
        await chairPage.waitForURL(`**/review/applications/${idOf(sentBackKey)}/reviews?done=reopened`);
        expect(await banner(chairPage).textContent()).toContain(t('web.review.done.reopened'));
        await see(chairPage, 'review-reopened');

        // Its author is told why, finds it open again with the reason on its page, and resubmits it.
        expect(await messagesTo(h, smtp, author.user)).toContain('review.reopened');
        const told = smtp
          .to(author.user.email)
          .find((r) => r.mail.headers.get('x-grants-message') === 'review.reopened');
        expect(told?.mail.text).toContain(reason);
        expect(await author.read(`/review/reviews/${sentBack.reviewId}`)).toContain(reason);
        const sentBackPilot = PROPOSALS.find((p) => p.key === sentBackKey) as Pilot;
        const place = (reviewers.get(sentBackKey) ?? []).indexOf(sentBack);
        await author.score(
          sentBack.reviewId,
          scoresFor(sentBackPilot, place),
          'Clear and modest; the costs are checked now.',
        );

        // The chair reads the ranking, every review in.
        await chairPage.goto(`${base}/review/calls/${callId}`);
        await see(chairPage, 'review-board-resubmitted');
        await chairPage.getByRole('link', { name: t('web.review.board.rankingLink') }).click();
        await chairPage.waitForURL(`**/review/calls/${callId}/ranking`);
        expect(await chairPage.locator('tbody tr').count()).toBe(8);
        const memberFlag = chairPage.getByText(t('web.review.ranking.disagreement'), { exact: true });
        expect(await chairPage.locator('tr', { has: memberFlag }).textContent()).toContain(disputedTitle);
        await see(chairPage, 'review-ranking');
        // The member who declared the conflict reads it with that application withheld.
        const withheld = await others[CONFLICTED_SEAT].read(`/review/calls/${callId}/ranking`);
        expect(withheld).toContain(PROPOSALS[0].title);
        expect(withheld).not.toContain(conflictedTitle);

        // The manager sees every review in on the committee page.
        await desk.goto(committeePath);
        for (const id of allIds)
          expect(await desk.textContent(`#application-${id}`)).toContain(
            t('web.committee.applications.submittedOf', { submitted: 3, count: 3 }),
          );
        await see(desk, 'committee-reviewed');

        // 5. The ranking: the disagreement flagged, the two proposals side by side.
        const decisions = `${base}/manage/calls/${callId}/decisions`;
        await desk.goto(decisions);
        expect(await desk.textContent('h1')).toBe(t('web.decisions.title'));
        const flagged = desk.getByText(t('web.decisions.ranking.disagree'), { exact: true });
        expect(await flagged.count()).toBe(1);
        expect(await desk.locator('tr', { has: flagged }).textContent()).toContain(disputedTitle);
        for (const name of ['byRank', 'optimal'])
          expect(await desk.getByRole('heading', { name: t(`web.decisions.proposals.${name}`) }).count()).toBe(1);
        await see(desk, 'decisions-ranking');

        // Started from the proposal by rank: its five awarded, the other three rejected with the committee's summary.
        await desk
          .getByRole('region', { name: t('web.decisions.proposals.byRank') })
          .getByRole('button', { name: t('web.decisions.proposals.startFrom') })
          .click();
        await desk.waitForURL('**/decisions/record?from=byRank*');
        expect(await desk.textContent('main')).toContain(t('web.decisions.record.startedFrom.byRank'));
        for (const p of PROPOSALS)
          expect([
            p.key,
            await desk.locator(`input[name="decision-${idOf(p.key)}"]:checked`).getAttribute('value'),
          ]).toEqual([p.key, p.funded ? 'AWARD' : 'WAITLIST']);
        await see(desk, 'decisions-record');
        for (const p of PROPOSALS.filter((x) => !x.funded)) {
          await desk.check(`input[name="decision-${idOf(p.key)}"][value="REJECT"]`);
          await desk.fill(`#summary-${idOf(p.key)}`, SUMMARIES[lang]);
        }
        await desk.getByRole('button', { name: t('web.decisions.record.save') }).click();
        await desk.waitForURL('**/decisions?done=recorded');
        expect(await banner(desk).textContent()).toContain(t('web.decisions.done.recorded'));
        await see(desk, 'decisions-recorded');

        await desk.getByRole('button', { name: t('web.decisions.next.confirm') }).click();
        await desk.waitForURL('**/decisions/confirm');
        await see(desk, 'decisions-confirm');
        await desk.getByRole('button', { name: t('web.decisions.confirm.button') }).click();
        await desk.waitForURL('**/decisions?done=confirmed');
        expect(await banner(desk).textContent()).toContain(t('web.decisions.done.confirmed'));
        const main = (await desk.textContent('main')) as string;
        expect(main).toContain(t('call.state.decided'));
        for (const p of PROPOSALS)
          expect([p.key, await desk.locator('tr', { hasText: p.title }).textContent()]).toEqual([
            p.key,
            expect.stringContaining(t(`application.state.${p.funded ? 'awarded' : 'rejected'}`)),
          ]);
        // EUR 11,700 awarded of the EUR 12,500
        expect(main.replace(/\s/g, '')).toMatch(/11[.,]?700[.,]00/);
        await see(desk, 'decisions-confirmed');

        // What the groups read: every step by email, and the decision on their status page.
        const steps = [
          'application.submitted',
          'application.eligible',
          'application.in_review',
          'application.reviewed',
        ];
        for (const [i, p] of PROPOSALS.entries()) {
          const again = p.key === sentBackKey ? ['application.in_review', 'application.reviewed'] : [];
          const decision = p.funded ? 'application.awarded' : 'application.rejected';
          const heard = (await messagesTo(h, smtp, groups[i])).filter((m) => m.startsWith('application.'));
          expect([p.key, heard]).toEqual([p.key, [...steps, ...again, decision]]);
          if (!p.funded) expect(smtp.to(groups[i].email).at(-1)?.mail.text).toContain(SUMMARIES[lang]);
          if (i > 0) {
            const status = await visitors[i].read(`/my-applications/${idOf(p.key)}`);
            expect(status).toContain(STATUS_WORDS[p.funded ? 'awarded' : 'rejected'][groupLocales[i]].name);
          }
        }
        // The browser's group follows the award email's link to its status page.
        const awardMail = smtp.to(groups[0].email).at(-1)?.mail.text ?? '';
        const link = new RegExp(`https?://\\S+/my-applications/${idOf(PROPOSALS[0].key)}`).exec(awardMail)?.[0];
        expect(link).toBeDefined();
        await groupPage.goto(link as string);
        expect(await groupPage.textContent('main')).toContain(STATUS_WORDS.awarded[lang].name);
        await see(groupPage, 'status-awarded');
        // The members were emailed their reviews; the conflicted member never the one declared on.
        for (const [seat, m] of members.entries()) {
          const mine = [...reviewers.values()].flat().filter((r) => r.seat === seat).length;
          expect((await messagesTo(h, smtp, m)).filter((x) => x === 'review.assigned')).toHaveLength(mine);
        }
        expect(smtp.to(members[CONFLICTED_SEAT].email).some((r) => r.mail.text?.includes(conflictedTitle))).toBe(false);
      } finally {
        await Promise.all(contexts.map((c) => c.close()));
      }
    },
  );

  it('checked every page the journeys visited with JavaScript with axe', () => {
    // the manager's pages in Kyrgyz; the group's and the chair's in both languages
    const expected = MANAGER_PAGES + 2 * (GROUP_PAGES + CHAIR_PAGES) + 2 * chairReviewed;
    expect(looked).toBe(expected);
    expect(stage.checked()).toBe(expected);
  });

  /** A group member applies in the browser: signs in, starts from the call's page, fills every task, checks and submits. */
  async function applyInBrowser(
    page: Page,
    lang: Locale,
    js: boolean,
    email: string,
    callId: string,
    p: Pilot,
  ): Promise<string> {
    const t = (key: string, params: ExplanationParams = {}) => translate(lang, key, params);
    const shot = async (name: string) => {
      if (js) looked++;
      await stage.look(page, `${lang}-apply-${name}`, js);
    };
    const openTask = async (task: string) => {
      await page.click(`a.govuk-task-list__link[href$="/tasks/${task}"]`);
      await page.waitForURL(new RegExp(`/tasks/${task}$`));
      expect(await page.textContent('h1')).toBe(t(`web.apply.task.${task}`));
    };
    const save = async (task: string) => {
      await shot(task);
      await page.click('button.govuk-button[name="save"]');
      await page.waitForURL(/\/tasks$/);
    };
    await signIn(page, lang, email);
    await page.goto(`${stage.base}/open-calls/${callId}`);
    expect(await page.textContent('h1')).toBe(CALL_TITLES[lang]);
    await shot('call');
    await page.click(`form[action="/open-calls/${callId}/apply"] button`);
    await page.waitForSelector('#title');
    await shot('start');
    await page.fill('#title', p.title);
    await page.click(`form[action="/open-calls/${callId}/apply"] button`);
    await page.waitForURL(/\/my-applications\/[0-9a-f-]{36}\/tasks$/);
    const id = /my-applications\/([0-9a-f-]{36})\//.exec(page.url())?.[1] as string;
    expect(await page.textContent('h1')).toBe(t('web.apply.tasks.title'));
    await shot('tasks');

    await openTask('about');
    await page.fill('#summary', 'Жазы мектебинин короосуна чыпка жана крант, ата-энелер орнотот.');
    await page.check(`input[name="municipality"][value="${p.municipality}"]`);
    await save('about');
    await openTask('problem');
    await page.fill('#problem', 'Балдар сууну үйдөн алып келишет; мектептин кудугу коопсуз эмес.');
    await save('problem');
    await openTask('activities');
    await page.fill('#activities-0-description', 'Чыпканы сатып алып орнотуу');
    for (const [part, value] of Object.entries({ day: '1', month: '3', year: '2027' }))
      await page.fill(`#activities-0-start-${part}`, value);
    for (const [part, value] of Object.entries({ day: '30', month: '4', year: '2027' }))
      await page.fill(`#activities-0-end-${part}`, value);
    await save('activities');
    await openTask('participants');
    await page.fill('#women', '30');
    await page.fill('#men', '20');
    await page.fill('#youth', '150');
    await page.fill('#by-local_government', '2');
    await save('participants');
    await openTask('composition');
    await page.fill('#composition-local_government', '1');
    await page.fill('#composition-civil_society', '4');
    await save('composition');
    await openTask('budget');
    await page.fill('#budget-0-category', 'Жабдуу');
    await page.fill('#budget-0-description', 'Суу чыпкасы жана крант');
    await page.fill('#budget-0-quantity', '1');
    await page.fill('#budget-0-unitCost', p.amount);
    await save('budget');
    await openTask('coFunding');
    await page.fill('#coFunding-0-source', 'Айыл өкмөтү');
    await page.fill('#coFunding-0-amount', '200');
    await page.check('input[name="coFunding-0-inKind"]');
    await save('coFunding');
    await openTask('eligibility');
    await page.check('input[name="answer-q1"][value="yes"]');
    await save('eligibility');
    await openTask('attachments');
    await page.setInputFiles('input[type="file"][name="file"]', {
      name: 'Смета.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await page.click('#upload');
    await page.waitForSelector('.app-files__name');
    await shot('attachments');
    await page.click(`a.govuk-button[href="/my-applications/${id}/tasks"]`);
    await page.waitForURL(/\/tasks$/);
    expect(await page.textContent('.govuk-task-list')).not.toContain(t('web.apply.status.notStarted'));
    await shot('tasks-done');

    await page.click(`a.govuk-button[href="/my-applications/${id}/check"]`);
    await page.waitForURL(/\/check$/);
    expect(await page.textContent('h1')).toBe(t('web.apply.check.title'));
    await shot('check');
    await page.click('#submit');
    await page.waitForURL(new RegExp(`/my-applications/${id}\\?done=submitted$`));
    expect(await page.textContent('h1')).toBe(p.title);
    expect(await page.textContent('main')).toContain(STATUS_WORDS.submitted[lang].name);
    await shot('submitted');
    return id;
  }
});

/** The chair's comment on the first criterion. */
const NEED_COMMENT = {
  ky: 'Айылдын өзү атаган муктаждык.',
  ru: 'Потребность назвало само село.',
};

/** The committee's summary the rejected groups read. */
const SUMMARIES = {
  ky: 'Комиссия долбоорду колдогон жок: тейлөө планы жетишсиз.',
  ru: 'Комиссия не поддержала проект: план содержания объекта недостаточен.',
};
