import { formatMoney } from '../src/i18n/format';
import { translate } from '../src/i18n/translate';
import type { ExplanationParams } from '../workflows/kit';
import { createCall, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// A committee member's pages over HTTP, as a browser without JavaScript uses them: declarations on
// the board, the review form through the review machine's SAVE and SUBMIT, the chair sending a
// review back, the others' reviews under the blind rule, and the ranking once the member's reviews
// are in. Each page answers outsiders as the API route it mirrors.

const ORIGIN = 'http://grants.example.org';
const CRITERIA = [
  { name: 'Community need', description: 'How many people the problem touches, and how badly', weight: 40 },
  { name: 'Feasibility', description: 'Whether the group can carry out the plan', weight: 35 },
  { name: 'Inclusion of women and youth', description: 'Who takes part and who gains', weight: 25 },
];
const en = (key: string, params: ExplanationParams = {}) => translate('en', key, params);
/** As Nunjucks writes text into a page. */
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

interface Member {
  user: TestUser;
  agent: Agent;
}

describe('the committee member’s pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let callId: string;
  let apps: string[];
  let chair: Member;
  let conflicted: Member;
  let third: Member;
  let outsider: Member;

  /** The member's own review of an application, by the API's board. */
  async function reviewOf(member: Member, applicationId: string): Promise<string | null> {
    const board = await h.http().get(`/calls/${callId}/review`).set('authorization', member.user.auth).expect(200);
    const entry = (board.body.applications as { applicationId: string; review: { id: string } | null }[]).find(
      (a) => a.applicationId === applicationId,
    );
    return entry?.review?.id ?? null;
  }

  async function apiReview(member: Member, id: string) {
    return (await h.http().get(`/reviews/${id}`).set('authorization', member.user.auth).expect(200)).body as {
      state: string;
      scores: (number | null)[];
      comments: string[];
      recommendation: string | null;
    };
  }

  /** Every review the member has still to write, scored and submitted through the API. */
  async function submitAll(member: Member, scores = [4, 4, 4]): Promise<void> {
    for (const a of apps) {
      const id = await reviewOf(member, a);
      if (!id || (await apiReview(member, id)).state !== 'draft') continue;
      await send(h, member.user.auth, `/reviews/${id}`, {
        type: 'SAVE',
        scores,
        comments: ['', '', ''],
        recommendation: 'fund',
      });
      await send(h, member.user.auth, `/reviews/${id}`, { type: 'SUBMIT' });
    }
  }

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    const sign = async (name: string): Promise<Member> => {
      const user = await h.user('committee', { name, locale: 'en' });
      return { user, agent: await signedInAgent(h, smtp, user.email, ORIGIN) };
    };
    chair = await sign('Aida Toktogulova');
    conflicted = await sign('Bakyt Osmonov');
    third = await sign('Cholpon Asanova');
    outsider = await sign('Dinara Sydykova');
    callId = await createCall(h, h.manager, { criteria: CRITERIA, reviewersPerApplication: 2 });
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    const members = [{ userId: chair.user.id, chair: true }, { userId: conflicted.user.id }, { userId: third.user.id }];
    await h.http().put(`/calls/${callId}/committee`).set('authorization', h.manager).send({ members }).expect(200);
    // another call's committee, for the outsider
    const other = await createCall(h, h.manager);
    await send(h, h.manager, `/calls/${other}`, { type: 'PUBLISH' });
    await h
      .http()
      .put(`/calls/${other}/committee`)
      .set('authorization', h.manager)
      .send({ members: [{ userId: outsider.user.id, chair: true }] })
      .expect(200);
    apps = [];
    for (let i = 0; i < 3; i++) {
      const applicant = await h.user('applicant');
      apps.push(await submittedApplication(h, callId, applicant.auth, '2000.00'));
    }
    for (const id of apps) await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
  });
  afterAll(async () => {
    await h?.close();
    await smtp?.stop();
  });

  it('lists the member’s calls with the declarations waiting', async () => {
    const hub = await chair.agent.get('/review').expect(200);
    expect(hub.text).toContain(`href="/review/calls/${callId}"`);
    expect(hub.text).toContain(en('web.review.hub.undeclared', { count: 3 }));
    expect(hub.text).toContain(en('web.review.chair'));
    const none = await outsider.agent.get('/review').expect(200);
    expect(none.text).not.toContain(callId);
  });

  it('lets the chair choose when members see one another’s scores, and no other member', async () => {
    const path = `/review/calls/${callId}`;
    const hidden = async () =>
      (await h.http().get(`/calls/${callId}/review`).set('authorization', chair.user.auth).expect(200)).body
        .scoresHiddenUntilComplete as boolean;
    const board = await chair.agent.get(path).expect(200);
    expect(board.text).toContain(html(en('web.review.visibility.now.own')));
    expect(board.text).toContain(`action="/review/calls/${callId}/visibility"`);

    const blank = await postForm(chair.agent, ORIGIN, `${path}/visibility`, board.text, {}).expect(422);
    expect(blank.text).toContain(html(en('web.review.visibility.missing')));
    const done = await postForm(chair.agent, ORIGIN, `${path}/visibility`, board.text, {
      visibility: 'complete',
    }).expect(303);
    expect(done.headers.location).toBe(`${path}?done=visibility`);
    expect(await hidden()).toBe(true);

    // Another member reads the rule on their board, without the form; posting it anyway is refused.
    const theirs = await third.agent.get(path).expect(200);
    expect(theirs.text).toContain(html(en('web.review.visibility.now.complete')));
    expect(theirs.text).not.toContain(`action="/review/calls/${callId}/visibility"`);
    const refused = await postForm(third.agent, ORIGIN, `${path}/visibility`, theirs.text, {
      visibility: 'own',
    }).expect(403);
    expect(refused.text).toContain(en('reviews.chairOnly'));
    expect(await hidden()).toBe(true);

    const back = await chair.agent.get(done.headers.location as string).expect(200);
    expect(back.text).toContain(html(en('web.review.done.visibility')));
    await postForm(chair.agent, ORIGIN, `${path}/visibility`, back.text, { visibility: 'own' }).expect(303);
    expect(await hidden()).toBe(false);
  });

  it('takes the declarations on the board: a conflict needs its reason, and then withholds the application', async () => {
    const path = `/review/calls/${callId}`;
    const board = await conflicted.agent.get(path).expect(200);
    expect(board.text).toContain(`name="conflict-${apps[0]}"`);
    expect(board.text).toContain('Gulistan');

    const nothing = await postForm(conflicted.agent, ORIGIN, `${path}/conflicts`, board.text, {}).expect(422);
    expect(nothing.text).toContain(`href="#conflict-${apps[0]}"`);
    expect(nothing.text).toContain(en('web.review.declare.nothing'));

    const noReason = await postForm(conflicted.agent, ORIGIN, `${path}/conflicts`, board.text, {
      [`conflict-${apps[0]}`]: 'yes',
      [`conflict-${apps[1]}`]: 'no',
    }).expect(422);
    expect(noReason.text).toContain('govuk-error-summary');
    expect(noReason.text).toContain(`href="#reason-${apps[0]}"`);
    expect(noReason.text).toContain(en('web.review.declare.reasonMissing'));
    const before = await h.http().get(`/calls/${callId}/review`).set('authorization', conflicted.user.auth);
    expect(before.body.applications.every((a: { declaration: unknown }) => a.declaration === null)).toBe(true);

    const sent = await postForm(conflicted.agent, ORIGIN, `${path}/conflicts`, board.text, {
      [`conflict-${apps[0]}`]: 'yes',
      [`reason-${apps[0]}`]: 'My sister leads this group',
      [`conflict-${apps[1]}`]: 'no',
      [`conflict-${apps[2]}`]: 'no',
    }).expect(303);
    expect(sent.headers.location).toBe(`${path}?done=declared`);
    const after = await conflicted.agent.get(sent.headers.location as string).expect(200);
    expect(after.text).toContain(en('web.review.done.declared'));
    expect(after.text).toContain(
      html(en('web.review.declare.declaredConflict', { reason: 'My sister leads this group' })),
    );
    expect(after.text).not.toContain(`name="conflict-${apps[0]}"`);
    expect(after.text).not.toContain(`name="conflict-${apps[1]}"`);
    expect(after.text).toContain(`href="/review/applications/${apps[1]}/conflict"`);
    const api = await h.http().get(`/calls/${callId}/review`).set('authorization', conflicted.user.auth).expect(200);
    expect(api.body.applications.map((a: { declaration: unknown }) => a.declaration)).toEqual([
      { conflicted: true, reason: 'My sister leads this group' },
      { conflicted: false, reason: null },
      { conflicted: false, reason: null },
    ]);
    // the application is withheld from the conflicted member: its reviews are not there for them
    await conflicted.agent.get(`/review/applications/${apps[0]}/reviews`).expect(404);
    await conflicted.agent.get(`/review/applications/${apps[1]}/reviews`).expect(200);

    for (const m of [chair, third]) {
      const page = await m.agent.get(path).expect(200);
      const fields = Object.fromEntries(apps.map((a) => [`conflict-${a}`, 'no']));
      await postForm(m.agent, ORIGIN, `${path}/conflicts`, page.text, fields).expect(303);
    }
    await h.http().post(`/calls/${callId}/assignments`).set('authorization', h.manager).expect(200);
    const assigned = await chair.agent.get(path).expect(200);
    expect(assigned.text).toContain(`href="/review/reviews/${await reviewOf(chair, apps[0])}"`);
    expect(await reviewOf(conflicted, apps[0])).toBeNull();
  });

  it('saves a draft that keeps its scores, and shows each criterion with its description and weight', async () => {
    const id = (await reviewOf(chair, apps[0])) as string;
    const path = `/review/reviews/${id}`;
    const form = await chair.agent.get(path).expect(200);
    for (const c of CRITERIA) {
      expect(form.text).toContain(c.description);
      expect(form.text).toContain(en('web.review.form.weight', { weight: c.weight }));
    }
    expect(form.text).toContain('Buy and fit the filter');
    const requested = formatMoney({ minor: 200000, currency: 'EUR' }, 'en');
    expect(form.text).toContain(html(en('web.review.form.requested', { amount: requested })));
    expect(form.text).toContain('name="score-2"');
    expect(form.text).toContain('value="5"');

    const saved = await postForm(chair.agent, ORIGIN, path, form.text, {
      action: 'save',
      'score-0': '4',
      'comment-0': 'A real need, backed by the school’s letter',
      overallComment: '',
      recommendation: '',
    }).expect(303);
    expect(saved.headers.location).toBe(`${path}?done=saved`);
    const again = await chair.agent.get(saved.headers.location as string).expect(200);
    expect(again.text).toContain(en('web.review.done.saved'));
    expect(again.text).toMatch(/id="score-0-5" name="score-0" type="radio" value="4" checked/);
    expect(again.text).toContain('A real need, backed by the school’s letter</textarea>');
    expect((await apiReview(chair, id)).scores).toEqual([4, null, null]);

    const bad = await postForm(chair.agent, ORIGIN, path, form.text, { action: 'save', 'score-1': 'high' }).expect(422);
    expect(bad.text).toContain('href="#score-1"');
    expect(bad.text).toContain(en('web.review.form.scoreInvalid'));
    expect((await apiReview(chair, id)).scores).toEqual([4, null, null]);
  });

  it('refuses to submit, naming each unscored criterion linked to its radios, and keeps the draft', async () => {
    const id = (await reviewOf(chair, apps[0])) as string;
    const path = `/review/reviews/${id}`;
    const form = await chair.agent.get(path).expect(200);
    const refused = await postForm(chair.agent, ORIGIN, path, form.text, {
      action: 'submit',
      'score-0': '4',
      'score-2': '3',
      'comment-2': 'Women lead the group',
    }).expect(409);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('href="#score-1"');
    expect(refused.text).toContain(html(en('review.everyCriterionScored', { criteria: { list: ['Feasibility'] } })));
    expect(refused.text).toContain('href="#recommendation"');
    expect(refused.text).toContain(en('review.recommendationGiven'));
    expect(refused.text).not.toContain('href="#score-0"');
    const review = await apiReview(chair, id);
    expect(review.state).toBe('draft');
    expect(review.scores).toEqual([4, null, 3]);
  });

  it('submits the review, after which its page is read-only', async () => {
    const id = (await reviewOf(chair, apps[0])) as string;
    const path = `/review/reviews/${id}`;
    const form = await chair.agent.get(path).expect(200);
    const sent = await postForm(chair.agent, ORIGIN, path, form.text, {
      action: 'submit',
      'score-0': '4',
      'score-1': '5',
      'score-2': '3',
      'comment-0': 'Clear need',
      overallComment: 'A strong proposal from an active parents’ group',
      recommendation: 'fund',
    }).expect(303);
    expect(sent.headers.location).toBe(`${path}?done=submitted`);
    const page = await chair.agent.get(sent.headers.location as string).expect(200);
    expect(page.text).toContain(en('web.review.done.submitted'));
    expect(page.text).not.toContain('name="score-0"');
    expect(page.text).toContain(en('web.review.scoreOf', { score: 5, max: 5 }));
    expect(page.text).toContain(en('web.review.recommendation.fund'));
    expect(page.text).toContain(en('web.review.form.readOnly'));
    expect((await apiReview(chair, id)).state).toBe('submitted');
    // a form sent again from the old page is refused by the machine, in words
    const late = await postForm(chair.agent, ORIGIN, path, form.text, { action: 'save', 'score-0': '1' }).expect(409);
    expect(late.text).toContain('govuk-error-summary');
    expect((await apiReview(chair, id)).scores).toEqual([4, 5, 3]);
  });

  it('keeps the others’ reviews blind until the member has submitted their own', async () => {
    const path = `/review/applications/${apps[0]}/reviews`;
    const blind = await third.agent.get(path).expect(200);
    expect(blind.text).toContain(en('web.review.blind.ownFirst'));
    expect(blind.text).toContain('Aida Toktogulova');
    expect(blind.text).not.toContain('A strong proposal from an active parents’ group');
    const own = (await reviewOf(third, apps[0])) as string;
    await send(h, third.user.auth, `/reviews/${own}`, {
      type: 'SAVE',
      scores: [2, 2, 2],
      comments: ['', '', ''],
      recommendation: 'do_not_fund',
    });
    await send(h, third.user.auth, `/reviews/${own}`, { type: 'SUBMIT' });
    const open = await third.agent.get(path).expect(200);
    expect(open.text).not.toContain(en('web.review.blind.ownFirst'));
    expect(open.text).toContain('A strong proposal from an active parents’ group');
    expect(open.text).toContain(en('web.review.recommendation.do_not_fund'));
    expect(open.text).toContain(en('web.review.scoreOf', { score: 5, max: 5 }));
  });

  it('lets the chair send a submitted review back with a reason, and no one else', async () => {
    const path = `/review/applications/${apps[0]}/reviews`;
    const theirs = (await reviewOf(third, apps[0])) as string;
    const page = await chair.agent.get(path).expect(200);
    expect(page.text).toContain(`action="/review/reviews/${theirs}/reopen"`);
    const empty = await postForm(chair.agent, ORIGIN, `/review/reviews/${theirs}/reopen`, page.text, {
      application: apps[0],
      reason: ' ',
    }).expect(422);
    expect(empty.text).toContain(`href="#reason-${theirs}"`);
    expect(empty.text).toContain(en('web.review.reopen.reasonMissing'));
    expect((await apiReview(third, theirs)).state).toBe('submitted');

    // another member's page has no such form, and the service refuses them in words
    const member = await third.agent.get(path).expect(200);
    expect(member.text).not.toContain('/reopen"');
    const mine = (await reviewOf(chair, apps[0])) as string;
    const refused = await postForm(third.agent, ORIGIN, `/review/reviews/${mine}/reopen`, member.text, {
      application: apps[0],
      reason: 'Look again',
    }).expect(403);
    expect(refused.text).toContain(en('reviews.chairOnly'));

    const sent = await postForm(chair.agent, ORIGIN, `/review/reviews/${theirs}/reopen`, page.text, {
      application: apps[0],
      reason: 'The score for feasibility contradicts its comment',
    }).expect(303);
    expect(sent.headers.location).toBe(`${path}?done=reopened`);
    expect((await chair.agent.get(sent.headers.location as string).expect(200)).text).toContain(
      en('web.review.done.reopened'),
    );
    expect((await apiReview(third, theirs)).state).toBe('draft');
    const back = await third.agent.get(`/review/reviews/${theirs}`).expect(200);
    expect(back.text).toContain(
      html(en('web.review.form.reopenedBecause', { reason: 'The score for feasibility contradicts its comment' })),
    );
    expect(back.text).toContain('name="score-0"');
  });

  it('withholds the ranking until the member’s reviews are in, and conflicted applications from it', async () => {
    const path = `/review/calls/${callId}/ranking`;
    const waiting = await third.agent.get(path).expect(403);
    const outstanding = (
      await h.http().get(`/calls/${callId}/ranking`).set('authorization', third.user.auth).expect(403)
    ).body.error.details.reasons[0].params.count as number;
    expect(waiting.text).toContain(en('ranking.outstandingReviews', { count: outstanding }));

    await submitAll(third, [2, 2, 2]);
    const ranking = await third.agent.get(path).expect(200);
    expect(ranking.text).toContain(en('web.review.ranking.tableCaption'));
    expect(ranking.text).toContain('Clean water for Zhazy school');
    expect(ranking.text).not.toContain(en('web.review.ranking.withheld'));

    await submitAll(conflicted, [5, 5, 5]);
    const withheld = await conflicted.agent.get(path).expect(200);
    const api = await h.http().get(`/calls/${callId}/ranking`).set('authorization', conflicted.user.auth).expect(200);
    const hidden = (api.body.entries as { withheld?: boolean }[]).filter((e) => e.withheld).length;
    expect(hidden).toBe(1);
    expect(withheld.text.split(en('web.review.ranking.withheld')).length - 1).toBe(1);
    const reference = (await h.http().get(`/applications/${apps[0]}`).set('authorization', h.manager)).body
      .reference as string;
    expect(withheld.text).not.toContain(reference);
  });

  it('takes a conflict found late from the review page: it stands, and the review is taken away', async () => {
    const id = (await reviewOf(conflicted, apps[1])) as string;
    const review = await conflicted.agent.get(`/review/reviews/${id}`).expect(200);
    const path = `/review/applications/${apps[1]}/conflict`;
    expect(review.text).toContain(`href="${path}"`);
    const page = await conflicted.agent.get(path).expect(200);
    expect(page.text).toContain(en('web.review.conflict.warning'));
    const empty = await postForm(conflicted.agent, ORIGIN, path, page.text, { reason: '' }).expect(422);
    expect(empty.text).toContain('href="#reason"');
    expect(empty.text).toContain(en('web.review.declare.reasonMissing'));
    expect(await reviewOf(conflicted, apps[1])).toBe(id);

    const sent = await postForm(conflicted.agent, ORIGIN, path, page.text, {
      reason: 'The group’s treasurer is my neighbour and business partner',
    }).expect(303);
    expect(sent.headers.location).toBe(`/review/calls/${callId}?done=declared`);
    await conflicted.agent.get(`/review/reviews/${id}`).expect(404);
    await conflicted.agent.get(path).expect(404);
    expect(await reviewOf(conflicted, apps[1])).toBeNull();
    const board = await h.http().get(`/calls/${callId}/review`).set('authorization', conflicted.user.auth).expect(200);
    expect(board.body.applications[1].declaration).toEqual({
      conflicted: true,
      reason: 'The group’s treasurer is my neighbour and business partner',
    });
  });

  it('answers outsiders as the API does', async () => {
    const review = (await reviewOf(chair, apps[0])) as string;
    await outsider.agent.get(`/review/reviews/${review}`).expect(404);
    await outsider.agent.get(`/review/applications/${apps[0]}/reviews`).expect(404);
    await outsider.agent.get(`/review/calls/${callId}`).expect(403);
    await outsider.agent.get(`/review/calls/${callId}/ranking`).expect(403);
    await conflicted.agent.get(`/review/reviews/${review}`).expect(404);
    const applicant = await h.user('applicant');
    const agent = await signedInAgent(h, smtp, applicant.email, ORIGIN);
    await agent.get('/review').expect(403);
    await agent.get(`/review/reviews/${review}`).expect(403);
    const anonymous = await h.http().get(`/review/calls/${callId}`).expect(303);
    expect(anonymous.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/review/calls/${callId}`)}`);
  });
});
