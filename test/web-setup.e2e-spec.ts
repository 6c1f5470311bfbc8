import { IdentityService } from '../src/identity/identity.service';
import { translate } from '../src/i18n/translate';
import type { Locale } from '../workflows/localised';
import { createCall, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { csrfOf, postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// A programme manager sets up a call through its pages, as a browser without JavaScript does:
// each task page saves an UPDATE as the API sends it, publish and cancel are the API's events,
// and the machine's refusals are shown in the reader's language.

const ORIGIN = 'http://grants.example.org';
const DAY = 24 * 60 * 60 * 1000;

/** A day as the date input's three boxes, `prefix-day`, `prefix-month`, `prefix-year`. */
function dayFields(prefix: string, at: Date): Record<string, string> {
  return {
    [`${prefix}-day`]: String(at.getUTCDate()),
    [`${prefix}-month`]: String(at.getUTCMonth() + 1),
    [`${prefix}-year`]: String(at.getUTCFullYear()),
  };
}

describe('the call setup pages', () => {
  let h: Harness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  async function signedIn(
    role: 'manager' | 'applicant' | 'committee' | 'finance',
    locale: Locale,
    programmeId?: string,
  ): Promise<{ user: TestUser; agent: Agent }> {
    const user = await h.user(role, { locale, ...(programmeId && { programmeId }) });
    return { user, agent: await signedInAgent(h, smtp, user.email, ORIGIN) };
  }

  async function callOf(id: string, auth: string) {
    return (await h.http().get(`/calls/${id}`).set('authorization', auth).expect(200)).body;
  }

  /** Starts a call from the new-call page with an English title; its id. */
  async function started(agent: Agent): Promise<string> {
    const form = await agent.get('/manage/calls/new').expect(200);
    const res = await postForm(agent, ORIGIN, '/manage/calls/new', form.text, {
      'title-en': 'Clean water in Zhazy',
    }).expect(303);
    return /\/manage\/calls\/([0-9a-f-]{36})\/setup\?done=created$/.exec(res.headers.location as string)![1];
  }

  it('starts a call with its title, refuses one without, and lists its tasks with where each stands', async () => {
    const { user, agent } = await signedIn('manager', 'en');
    const t = (key: string, params = {}) => translate('en', key, params);
    const form = await agent.get('/manage/calls/new').expect(200);
    expect(form.text).toContain(t('web.setup.new.title'));

    const refused = await postForm(agent, ORIGIN, '/manage/calls/new', form.text, { 'title-en': '  ' }).expect(422);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('href="#title-ky"');
    expect(refused.text).toContain(t('web.setup.error.titleMissing'));

    const id = await started(agent);
    const list = await agent.get(`/manage/calls/${id}/setup?done=created`).expect(200);
    expect(list.text).toContain(t('web.setup.done.created'));
    expect(list.text).toContain('govuk-task-list');
    expect(list.text).toContain(`href="/manage/calls/${id}/setup/money"`);
    expect(list.text).toContain(t('web.setup.status.incomplete'));
    // the finance threshold waits for the money, the reports for the dates
    expect(list.text).toContain(t('web.setup.status.cannotStart'));
    expect(list.text).not.toContain(`href="/manage/calls/${id}/setup/finance"`);
    expect(list.text).toContain(t('web.setup.needs.finance'));
    expect(list.text).toContain(`href="/manage/calls/${id}/publish"`);

    const call = await callOf(id, user.auth);
    expect(call).toMatchObject({ state: 'draft', title: { en: 'Clean water in Zhazy' }, criteria: [] });
  });

  it('saves each task, re-renders it with its errors on bad input, and refuses weights that do not add up to 100', async () => {
    const { user, agent } = await signedIn('manager', 'en');
    const t = (key: string, params = {}) => translate('en', key, params);
    const id = await started(agent);
    const path = (task: string) => `/manage/calls/${id}/setup/${task}`;
    /** Posts a task page: the refusal's fields, or the redirect back to the task list. */
    const post = async (task: string, fields: Record<string, string | string[]>, status: number) => {
      const page = await agent.get(path(task)).expect(200);
      return agent
        .post(path(task))
        .set('origin', ORIGIN)
        .type('form')
        .send({ _csrf: csrfOf(page.text), ...fields })
        .expect(status);
    };
    const saved = async (task: string, fields: Record<string, string | string[]>) => {
      const res = await post(task, fields, 303);
      expect(res.headers.location).toBe(`/manage/calls/${id}/setup?done=${task}`);
    };
    const refusedWith = async (task: string, fields: Record<string, string | string[]>, problems: string[][]) => {
      const res = await post(task, fields, 422);
      expect(res.text).toContain('govuk-error-summary');
      for (const [field, key] of problems) {
        expect(res.text).toContain(`href="#${field}"`);
        expect(res.text).toContain(t(key, { max: 300, count: 2 }));
      }
      return res;
    };

    await refusedWith('texts', { 'title-ky': '', 'title-ru': '', 'title-en': '' }, [
      ['title-ky', 'web.setup.error.titleMissing'],
    ]);
    await saved('texts', {
      'title-ky': 'Жазы айылындагы таза суу',
      'title-ru': 'Чистая вода в Жазы',
      'title-en': 'Clean water in Zhazy',
      'description-en': 'Grants for clean water at schools.',
    });

    const money = await refusedWith('money', { currency: 'XX', budget: '-1', maxAward: '' }, [
      ['currency', 'web.setup.error.currency'],
      ['budget', 'web.setup.error.amount'],
      ['maxAward', 'web.setup.error.amount'],
    ]);
    expect(money.text).toContain('value="XX"');
    await refusedWith('money', { currency: 'EUR', budget: '1000', maxAward: '2500' }, [
      ['maxAward', 'web.setup.error.maxAwardOverBudget'],
    ]);
    await saved('money', { currency: 'eur', budget: '12 500', maxAward: '2500,00' });

    const opens = new Date(Date.now() - DAY);
    const closes = new Date(Date.now() + 30 * DAY);
    await refusedWith(
      'dates',
      {
        'opens-day': '31',
        'opens-month': '2',
        'opens-year': '2027',
        'opens-time': '25:00',
        ...dayFields('closes', closes),
      },
      [
        ['opens', 'web.setup.error.day'],
        ['opens-time', 'web.setup.error.time'],
        ['closes-time', 'web.setup.error.time'],
      ],
    );
    await refusedWith(
      'dates',
      { ...dayFields('opens', closes), 'opens-time': '09:00', ...dayFields('closes', opens), 'closes-time': '18:00' },
      [['closes', 'web.setup.error.closesBeforeOpens']],
    );
    await saved('dates', {
      ...dayFields('opens', opens),
      'opens-time': '09:00',
      ...dayFields('closes', closes),
      'closes-time': '18.00',
    });

    // a line added without JavaScript: the page again, one more line, nothing saved
    const added = await post('municipalities', { 'municipalities-0-name': 'Zhazy', add: '1' }, 200);
    expect(added.text).toContain('id="municipalities-1-name"');
    expect(added.text).toContain('value="Zhazy"');
    await refusedWith('municipalities', { 'municipalities-0-name': 'Zhazy', 'municipalities-1-name': 'zhazy' }, [
      ['municipalities-1-name', 'web.setup.error.municipalityTwice'],
    ]);
    await saved('municipalities', {
      'municipalities-0-name': 'Alexandrovsky',
      'municipalities-1-name': '',
      'municipalities-2-name': 'Zhazy',
    });

    await saved('questions', {
      'questions-0-en': 'Does the group include the aiyl okmotu?',
      'questions-0-ru': 'Входит ли в группу айыл окмоту?',
      'questions-0-ky': '',
      'questions-0-required': 'yes',
      'questions-1-en': '',
      'questions-1-ru': '',
      'questions-1-ky': '',
    });

    await refusedWith('composition', { rule: 'some', minimum: '', perGroup: '1' }, [
      ['groups', 'web.setup.error.groups'],
    ]);
    await refusedWith(
      'composition',
      { rule: 'some', groups: ['local_government', 'civil_society'], minimum: '3', perGroup: '0' },
      [
        ['minimum', 'web.setup.error.minimum'],
        ['perGroup', 'web.setup.error.perGroup'],
      ],
    );
    await saved('composition', {
      rule: 'some',
      groups: ['local_government', 'civil_society'],
      minimum: '2',
      perGroup: '2',
    });

    const rows = {
      'criteria-0-name': 'Community need',
      'criteria-0-description': 'How many people the problem touches',
      'criteria-0-weight': '40',
      'criteria-1-name': 'Feasibility',
      'criteria-1-description': '',
      'criteria-1-weight': '35',
      'criteria-2-name': 'Inclusion of women and youth',
      'criteria-2-description': '',
      'criteria-2-weight': '15',
    };
    const weights = await post('criteria', rows, 422);
    expect(weights.text).toContain('href="#weights-sum"');
    expect(weights.text).toContain(t('web.setup.criteria.sum', { sum: 90 }));
    expect(weights.text).toContain(t('call.weightsSumTo100', { sum: 90 }));
    expect((await callOf(id, user.auth)).criteria).toEqual([]);
    const removed = await post('criteria', { ...rows, 'remove-2': '1' }, 200);
    expect(removed.text).not.toContain('id="criteria-2-name"');
    expect(removed.text).toContain(t('web.setup.criteria.sum', { sum: 75 }));
    await refusedWith('criteria', { ...rows, 'criteria-1-weight': 'a lot' }, [
      ['criteria-1-weight', 'web.setup.error.weight'],
    ]);
    await saved('criteria', { ...rows, 'criteria-2-weight': '25' });

    await refusedWith('scale', { min: '5', max: '5' }, [['max', 'web.setup.error.scaleRising']]);
    await saved('scale', { min: '1', max: '10' });
    const review = {
      count: '2',
      reminderDays: '5',
      rankBy: 'normalised',
      disagreement: '12,5',
      minimumScore: '50',
      maxAwards: '',
    };
    const reviewers = await agent.get(path('reviewers')).expect(200);
    // a new call's review terms, as REVIEW_DEFAULTS has them: no lowest score and no limit show blank
    expect(reviewers.text).toContain('id="reminderDays" name="reminderDays" type="text" value="3"');
    expect(reviewers.text).toMatch(/value="raw" checked/);
    expect(reviewers.text).toContain(t('web.setup.reviewers.rankNormalisedHint'));
    const badReview = await refusedWith(
      'reviewers',
      { ...review, count: '0', reminderDays: '61', rankBy: '', disagreement: '0', minimumScore: '101', maxAwards: '0' },
      [
        ['count', 'web.setup.error.reviewers'],
        ['reminderDays', 'web.setup.error.reminderDays'],
        ['rankBy', 'web.setup.error.rankBy'],
        ['disagreement', 'web.setup.error.disagreement'],
        ['minimumScore', 'web.setup.error.minimumScore'],
        ['maxAwards', 'web.setup.error.maxAwards'],
      ],
    );
    expect(badReview.text).toContain('value="101"');
    await saved('reviewers', review);
    await refusedWith('finance', { threshold: '3000' }, [['threshold', 'web.setup.error.thresholdOverMaxAward']]);
    await saved('finance', { threshold: '2000' });
    await refusedWith(
      'reports',
      { 'reports-0-kind': 'interim', 'reports-0-day': '30', 'reports-0-month': '2', 'reports-0-year': '2028' },
      [['reports-0-due', 'web.setup.error.day']],
    );
    await saved('reports', {
      'reports-0-kind': 'interim',
      'reports-0-day': '15',
      'reports-0-month': '5',
      'reports-0-year': '2028',
      'reports-1-kind': 'final',
      'reports-1-day': '30',
      'reports-1-month': '6',
      'reports-1-year': '2028',
    });

    const call = await callOf(id, user.auth);
    expect(call).toMatchObject({
      state: 'draft',
      title: { ky: 'Жазы айылындагы таза суу', ru: 'Чистая вода в Жазы', en: 'Clean water in Zhazy' },
      description: { en: 'Grants for clean water at schools.' },
      currency: 'EUR',
      budget: '12500.00',
      maxAward: '2500.00',
      closesAtLocal: expect.stringMatching(/ 18:00$/),
      opensAtLocal: expect.stringMatching(/ 09:00$/),
      municipalities: ['Alexandrovsky', 'Zhazy'],
      questions: [
        {
          id: 'q1',
          text: { en: 'Does the group include the aiyl okmotu?', ru: 'Входит ли в группу айыл окмоту?' },
          required: true,
        },
      ],
      composition: { minimumGroups: 2, groups: ['local_government', 'civil_society'] },
      criteria: [
        { name: 'Community need', description: 'How many people the problem touches', weight: 40 },
        { name: 'Feasibility', description: '', weight: 35 },
        { name: 'Inclusion of women and youth', description: '', weight: 25 },
      ],
      scale: { min: 1, max: 10 },
      reviewersPerApplication: 2,
      applicationsPerGroup: 2,
      review: {
        reminderDays: 5,
        rankBy: 'normalised',
        disagreementThreshold: 12.5,
        minimumScore: 50,
        maxAwardsPerMunicipality: null,
      },
      financeThreshold: '2000.00',
    });
    expect(call.reportSchedule.map((r: { kind: string }) => r.kind)).toEqual(['interim', 'final']);
    // every task done: the task list says so, and the task pages show what was saved
    const list = await agent.get(`/manage/calls/${id}/setup`).expect(200);
    expect(list.text).not.toContain(t('web.setup.status.incomplete'));
    expect(list.text).not.toContain(t('web.setup.status.cannotStart'));
    expect((await agent.get(path('criteria')).expect(200)).text).toContain(t('web.setup.criteria.sum', { sum: 100 }));
    expect((await agent.get(path('dates')).expect(200)).text).toContain('value="18:00"');
    const again = await agent.get(path('reviewers')).expect(200);
    expect(again.text).toMatch(/value="normalised" checked/);
    expect(again.text).toContain('name="disagreement" type="text" value="12.5"');
    // the check page lists the new terms with the others
    const check = await agent.get(`/manage/calls/${id}/publish`).expect(200);
    for (const line of [
      t('web.setup.summary.perGroup'),
      t('web.setup.summary.daysBefore', { count: 5 }),
      t('web.setup.reviewers.rankNormalised'),
      t('web.setup.summary.points', { points: 12.5 }),
      t('web.setup.summary.points', { points: 50 }),
      t('web.setup.summary.noLimit'),
    ])
      expect(check.text).toContain(line);
  });

  it('lists every term not ready on the publish page in the reader’s language, each linked to its page, as the machine refuses', async () => {
    const { user, agent } = await signedIn('manager', 'ru');
    const id = await started(agent);
    const page = await agent.get(`/manage/calls/${id}/publish`).expect(200);
    const links = [...page.text.matchAll(/<li><a class="govuk-link" href="([^"]+)">([^<]+)<\/a><\/li>/g)];
    expect(links.map((l) => l[1])).toEqual(
      expect.arrayContaining([
        `/manage/calls/${id}/setup/texts`,
        `/manage/calls/${id}/setup/money`,
        `/manage/calls/${id}/setup/dates`,
        `/manage/calls/${id}/setup/criteria`,
        `/manage/calls/${id}/setup/finance`,
      ]),
    );
    expect(page.text).toContain(translate('ru', 'call.described'));
    // a task not filled in yet is one line, rather than each of the machine's reasons about its blank terms
    const notSet = (task: string) =>
      translate('ru', 'web.setup.publish.notSet', { task: { term: `web.setup.task.${task}` } });
    expect(page.text).toContain(notSet('money'));
    expect(page.text).toContain(notSet('criteria'));
    expect(page.text).not.toContain(translate('ru', 'call.budgetPositive'));
    expect(page.text).not.toContain('action="/manage/calls/' + id + '/publish"');

    // sent anyway, the machine refuses it with the same reasons, each linked to its page
    const refused = await postForm(agent, ORIGIN, `/manage/calls/${id}/publish`, page.text, {}).expect(409);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain(`href="/manage/calls/${id}/setup/money"`);
    expect(refused.text).toContain(translate('ru', 'call.criteriaNamedAndWeighted', { count: 0 }));
    expect(refused.text).toContain(translate('ru', 'call.budgetPositive'));
    expect((await callOf(id, user.auth)).state).toBe('draft');
  });

  it('publishes a complete call, whose terms are then read-only', async () => {
    const { user, agent } = await signedIn('manager', 'ky');
    const t = (key: string, params = {}) => translate('ky', key, params);
    const id = await createCall(h, user.auth);
    const page = await agent.get(`/manage/calls/${id}/publish`).expect(200);
    expect(page.text).not.toContain('id="not-ready"');
    expect(page.text).toContain(`href="/manage/calls/${id}/setup/criteria"`);
    const done = await postForm(agent, ORIGIN, `/manage/calls/${id}/publish`, page.text, {}).expect(303);
    expect(done.headers.location).toBe(`/manage/calls/${id}/setup?done=published`);
    expect((await callOf(id, user.auth)).state).toBe('open');

    const terms = await agent.get(done.headers.location as string).expect(200);
    expect(terms.text).toContain(t('web.setup.done.published'));
    expect(terms.text).toContain(t('web.setup.terms.readOnly'));
    expect(terms.text).toContain('Community need');
    expect(terms.text).not.toContain(`/setup/criteria"`);
    expect(terms.text).not.toContain(t('web.setup.change'));
    await agent.get(`/manage/calls/${id}/setup/colours`).expect(404);
    const task = await agent.get(`/manage/calls/${id}/setup/criteria`).expect(303);
    expect(task.headers.location).toBe(`/manage/calls/${id}/setup`);
    await agent.get(`/manage/calls/${id}/publish`).expect(303);

    // a task page's form sent after publishing: the machine refuses the change, in Kyrgyz
    const refused = await postForm(agent, ORIGIN, `/manage/calls/${id}/setup/reviewers`, terms.text, {
      count: '5',
      reminderDays: '3',
      rankBy: 'raw',
      disagreement: '15',
      minimumScore: '',
      maxAwards: '',
    }).expect(409);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain(translate('ky', 'call.event.UPDATE'));
    expect((await callOf(id, user.auth)).reviewersPerApplication).toBe(3);
  });

  it('cancels a call with a reason through its confirmation page', async () => {
    const { user, agent } = await signedIn('manager', 'en');
    const t = (key: string) => translate('en', key);
    const id = await createCall(h, user.auth);
    await send(h, user.auth, `/calls/${id}`, { type: 'PUBLISH' });
    const page = await agent.get(`/manage/calls/${id}/cancel`).expect(200);
    expect(page.text).toContain('govuk-warning-text');
    expect(page.text).toContain(t('web.setup.cancel.warning'));

    const refused = await postForm(agent, ORIGIN, `/manage/calls/${id}/cancel`, page.text, { reason: ' ' }).expect(422);
    expect(refused.text).toContain('href="#reason"');
    expect(refused.text).toContain(t('web.setup.cancel.reasonMissing'));
    expect((await callOf(id, user.auth)).state).toBe('open');

    const done = await postForm(agent, ORIGIN, `/manage/calls/${id}/cancel`, page.text, {
      reason: 'The funding was withdrawn.',
    }).expect(303);
    expect(done.headers.location).toBe(`/manage/calls/${id}/setup?done=cancelled`);
    const after = await agent.get(done.headers.location as string).expect(200);
    expect(after.text).toContain(t('web.setup.done.cancelled'));
    expect(after.text).toContain(t('web.setup.terms.cancelled'));
    expect((await callOf(id, user.auth)).state).toBe('cancelled');
    const history = await h.http().get(`/calls/${id}/history`).set('authorization', user.auth).expect(200);
    expect(history.body.at(-1)).toMatchObject({ event: 'CANCEL', reason: 'The funding was withdrawn.' });
    // nothing more to cancel: the page sends the manager back to the terms
    expect((await agent.get(`/manage/calls/${id}/cancel`).expect(303)).headers.location).toBe(
      `/manage/calls/${id}/setup`,
    );
  });

  it('keeps every page to the call’s programme’s managers: hidden drafts 404, published calls 403, other roles 403', async () => {
    const { user, agent } = await signedIn('manager', 'en');
    const draft = await started(agent);
    const published = await createCall(h, user.auth);
    await send(h, user.auth, `/calls/${published}`, { type: 'PUBLISH' });
    const other = await h.app.get(IdentityService).ensureProgramme(`Municipal fund ${Date.now()}`);
    const outsider = await signedIn('manager', 'en', other.id);

    for (const page of ['setup', 'setup/money', 'publish', 'cancel'])
      await outsider.agent.get(`/manage/calls/${draft}/${page}`).expect(404);
    await outsider.agent.get(`/manage/calls/${published}/setup`).expect(403);
    await outsider.agent.get(`/manage/calls/${published}/cancel`).expect(403);
    // the outsider's own new-call page works, and its form token does not reach another's call
    const own = await outsider.agent.get('/manage/calls/new').expect(200);
    await postForm(outsider.agent, ORIGIN, `/manage/calls/${draft}/setup/reviewers`, own.text, { count: '7' }).expect(
      404,
    );
    await postForm(outsider.agent, ORIGIN, `/manage/calls/${draft}/cancel`, own.text, { reason: 'Not mine' }).expect(
      404,
    );
    expect(await callOf(draft, user.auth)).toMatchObject({ state: 'draft', reviewersPerApplication: 3 });

    for (const role of ['applicant', 'committee', 'finance'] as const) {
      const { agent: someone } = await signedIn(role, 'en');
      await someone.get('/manage/calls/new').expect(403);
      await someone.get(`/manage/calls/${published}/setup`).expect(403);
    }
    await h.http().get(`/manage/calls/${draft}/setup`).expect(303);
  });
});
