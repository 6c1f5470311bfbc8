import { TimerScheduler } from '../src/engine/timer.scheduler';
import { MailWorker } from '../src/notifications/mail.worker';
import { sqlRows } from '../src/common/sql';
import { translate } from '../src/i18n/translate';
import type { ExplanationParams } from '../workflows/kit';
import type { Locale } from '../workflows/localised';
import { firedTimers, pilotCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

// The pilot round replayed over HTTP and SMTP, from the close of the call to the award decisions:
// a EUR 12,500 call, eight proposals from four municipalities, a committee of five with a declared
// conflict, three blind reviews each, a disagreement flagged, five awarded within the budget.

const DAY = 86_400_000;
type Scores = [number, number, number];

interface Pilot {
  key: string;
  title: string;
  municipality: string;
  amount: string;
  /** What every reviewer gives it; the disputed one gets a different score from each. */
  scores: Scores | Scores[];
}

const PROPOSALS: Pilot[] = [
  { key: 'zhazyWater', title: 'Жазы мектебине таза суу', municipality: 'Zhazy', amount: '2400.00', scores: [5, 5, 4] },
  {
    key: 'zhazyPlayground',
    title: 'Playground beside the Zhazy school',
    municipality: 'Zhazy',
    amount: '2500.00',
    scores: [3, 3, 2],
  },
  {
    key: 'yuryevkaLibrary',
    title: 'Библиотека для Юрьевки',
    municipality: 'Yuryevka',
    amount: '2300.00',
    scores: [5, 4, 4],
  },
  {
    key: 'yuryevkaRoad',
    title: 'Gravel for the Yuryevka school road',
    municipality: 'Yuryevka',
    amount: '2500.00',
    scores: [
      [5, 5, 5],
      [1, 1, 1],
      [3, 3, 3],
    ],
  },
  {
    key: 'gulistanSports',
    title: 'Гүлистан жаштары үчүн спорт аянтча',
    municipality: 'Gulistan',
    amount: '2450.00',
    scores: [4, 4, 5],
  },
  {
    key: 'gulistanSewing',
    title: 'Sewing workshop for Gulistan women',
    municipality: 'Gulistan',
    amount: '2200.00',
    scores: [4, 3, 4],
  },
  {
    key: 'alexLights',
    title: 'Street lights on Lenin street',
    municipality: 'Alexandrovsky',
    amount: '2350.00',
    scores: [4, 4, 4],
  },
  {
    key: 'alexPark',
    title: 'A park by the Alexandrovsky club',
    municipality: 'Alexandrovsky',
    amount: '2500.00',
    scores: [2, 2, 3],
  },
];

const messagesTo = (smtp: SmtpSink, who: TestUser) =>
  smtp.to(who.email).map((r) => r.mail.headers.get('x-grants-message'));

describe('committee review and award decisions: the pilot round', () => {
  let h: Harness;
  let smtp: SmtpSink;
  const drain = (at = new Date()) => h.app.get(MailWorker).drain(at);

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, MAIL_FROM: 'Mini-grants <grants@programme.example>' });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  /** An open pilot call with the given applications submitted and screened eligible, then closed. */
  async function closedCall(
    applicants: TestUser[],
    amounts: string[],
    terms: Record<string, unknown> = {},
  ): Promise<{ callId: string; ids: string[] }> {
    const callId = (
      await h
        .http()
        .post('/calls')
        .set('authorization', h.manager)
        .send(pilotCall({ maxAward: '2500.00', ...terms }))
        .expect(201)
    ).body.id as string;
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    const ids: string[] = [];
    for (const [i, who] of applicants.entries()) {
      const body = proposal(amounts[i], { title: PROPOSALS[i % PROPOSALS.length].title, municipality: undefined });
      const id = (
        await h.http().post(`/calls/${callId}/applications`).set('authorization', who.auth).send(body).expect(201)
      ).body.id as string;
      await send(h, who.auth, `/applications/${id}`, { type: 'SUBMIT' });
      ids.push(id);
    }
    const screened = await h
      .http()
      .post(`/calls/${callId}/screening`)
      .set('authorization', h.manager)
      .send({ items: ids.map((applicationId) => ({ applicationId, type: 'SCREEN', decision: 'eligible' })) })
      .expect(200);
    expect(screened.body.failed).toBe(0);
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    return { callId, ids };
  }

  it('replays the pilot: conflicts declared, reviewers assigned, blind scoring, a disagreement flagged, five awarded within EUR 12,500', async () => {
    const http = () => h.http();
    const scheduler = h.app.get(TimerScheduler);

    // Eight groups, two in each municipality; the committee of five, Elena from Gulistan.
    const groups = await Promise.all(
      PROPOSALS.map((p, i) =>
        h.user('applicant', {
          name: `Group ${p.key}`,
          locale: (['ky', 'ru', 'en'] as const)[i % 3],
          municipality: p.municipality,
        }),
      ),
    );
    const committee = {
      aida: await h.user('committee', { name: 'Aida Chair', locale: 'ky' }),
      bakyt: await h.user('committee', { name: 'Bakyt Osmonov', locale: 'ru' }),
      nurlan: await h.user('committee', { name: 'Nurlan Sadykov', locale: 'en' }),
      elena: await h.user('committee', { name: 'Elena Gulistan', locale: 'ru' }),
      timur: await h.user('committee', { name: 'Timur Asanov', locale: 'en' }),
    };
    const members = Object.values(committee);
    const { callId, ids } = await closedCall(
      groups,
      PROPOSALS.map((p) => p.amount),
      { reviewReminderDays: 2 },
    );
    const id = Object.fromEntries(PROPOSALS.map((p, i) => [p.key, ids[i]])) as Record<string, string>;
    await http()
      .put(`/calls/${callId}/committee`)
      .set('authorization', h.manager)
      .send({ members: members.map((m) => ({ userId: m.id, chair: m === committee.aida })) })
      .expect(200);

    const reviewDueAt = new Date(Date.now() + 5 * DAY);
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW', reviewDueAt: reviewDueAt.toISOString() });

    // Each member first sees only the list: title, group, municipality; no proposal, no scores.
    const board = (await http().get(`/calls/${callId}/review`).set('authorization', committee.elena.auth).expect(200))
      .body;
    expect(board.applications).toHaveLength(8);
    expect(board.applications[0]).toEqual(
      expect.objectContaining({
        title: expect.any(String),
        group: expect.any(String),
        municipality: expect.any(String),
        declaration: null,
        review: null,
      }),
    );
    expect(board.applications[0]).not.toHaveProperty('proposal');
    expect(board.members).toBeUndefined();
    // Until they declare, the application itself is not theirs to read.
    await http().get(`/applications/${id.zhazyWater}`).set('authorization', committee.elena.auth).expect(404);

    // Elena declares a conflict with the Gulistan sports ground (her nephew leads the group).
    await http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', committee.elena.auth)
      .send({ items: [{ applicationId: id.gulistanSports, conflicted: true }] })
      .expect(400);
    await http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', committee.elena.auth)
      .send({
        items: PROPOSALS.map((p) => ({
          applicationId: id[p.key],
          conflicted: p.key === 'gulistanSports',
          ...(p.key === 'gulistanSports' && { reason: 'My nephew leads the group' }),
        })),
      })
      .expect(200);
    // Assignment waits for everyone's declarations, and says whose are missing.
    const early = await http().post(`/calls/${callId}/assignments`).set('authorization', h.manager).expect(409);
    expect(early.body.error.message).toMatch(/still to declare: .*Aida Chair \(8\)/);
    for (const m of [committee.aida, committee.bakyt, committee.nurlan, committee.timur]) {
      await http()
        .post(`/calls/${callId}/conflicts`)
        .set('authorization', m.auth)
        .send({ items: ids.map((applicationId) => ({ applicationId, conflicted: false })) })
        .expect(200);
    }
    // A declared conflict stands.
    await http()
      .post(`/applications/${id.gulistanSports}/conflict`)
      .set('authorization', committee.elena.auth)
      .send({ conflicted: false })
      .expect(409);

    // Three reviewers each, none conflicted, loads 5/5/5/5/4.
    const assigned = (await http().post(`/calls/${callId}/assignments`).set('authorization', h.manager).expect(200))
      .body;
    expect(assigned.added).toHaveLength(24);
    expect(assigned.loads.map((l: { reviews: number }) => l.reviews).sort()).toEqual([4, 5, 5, 5, 5]);
    expect(
      assigned.added.filter(
        (a: { applicationId: string; userId: string }) =>
          a.applicationId === id.gulistanSports && a.userId === committee.elena.id,
      ),
    ).toEqual([]);
    for (const key of Object.keys(id))
      expect(assigned.added.filter((a: { applicationId: string }) => a.applicationId === id[key])).toHaveLength(3);
    // Assigning again adds nobody.
    expect(
      (await http().post(`/calls/${callId}/assignments`).set('authorization', h.manager).expect(200)).body.added,
    ).toEqual([]);

    // The manager's board: every declaration, every reviewer.
    const managerBoard = (await http().get(`/calls/${callId}/review`).set('authorization', h.manager).expect(200)).body;
    const sports = managerBoard.applications.find(
      (a: { applicationId: string }) => a.applicationId === id.gulistanSports,
    );
    expect(sports.declarations.find((d: { userId: string }) => d.userId === committee.elena.id)).toMatchObject({
      conflicted: true,
      reason: 'My nephew leads the group',
    });
    expect(sports.reviewers).toHaveLength(3);
    expect(sports.reviewers.map((r: { userId: string }) => r.userId)).not.toContain(committee.elena.id);
    expect(managerBoard.members.every((m: { undeclared: number }) => m.undeclared === 0)).toBe(true);
    expect(managerBoard.members.map((m: { userId: string }) => m.userId).sort()).toEqual(
      members.map((m) => m.id).sort(),
    );

    // Elena never reads the application she declared on, nor its reviews.
    await http().get(`/applications/${id.gulistanSports}`).set('authorization', committee.elena.auth).expect(404);
    await http()
      .get(`/applications/${id.gulistanSports}/reviews`)
      .set('authorization', committee.elena.auth)
      .expect(404);
    await http().get(`/applications/${id.zhazyWater}`).set('authorization', committee.elena.auth).expect(200);

    type Added = { applicationId: string; userId: string; reviewId: string };
    const reviewsOf = (key: string): Added[] => assigned.added.filter((a: Added) => a.applicationId === id[key]);
    const authOf = (userId: string) => (members.find((m) => m.id === userId) as TestUser).auth;
    const scoresFor = (p: Pilot, nth: number): Scores =>
      Array.isArray(p.scores[0]) ? (p.scores as Scores[])[nth] : (p.scores as Scores);
    const write = async (a: Added, scores: Scores) => {
      const auth = authOf(a.userId);
      await send(h, auth, `/reviews/${a.reviewId}`, {
        type: 'SAVE',
        scores,
        comments: ['Named by the village itself', 'A plan the group can carry out', 'Young people build it'],
        overallComment: 'Clear and modest.',
        recommendation: scores[0] >= 4 ? 'fund' : scores[0] >= 3 ? 'fund_with_changes' : 'do_not_fund',
      });
      return send(h, auth, `/reviews/${a.reviewId}`, { type: 'SUBMIT' });
    };

    // A review is saved as a draft, checked on the call's scale, then submitted.
    const first = reviewsOf('zhazyWater')[0];
    const offScale = await send(
      h,
      authOf(first.userId),
      `/reviews/${first.reviewId}`,
      { type: 'SAVE', scores: [6, 5, 4] },
      409,
    );
    expect(offScale.body.error.details).toMatchObject({
      failedConditions: ['scoresOnScale'],
      reasons: [{ key: 'review.scoresOnScale', params: { min: 0, max: 5 } }],
    });
    // Each member reads the refusal in the language of their account.
    const spoken = new Map<string, Locale>([
      [committee.aida.id, 'ky'],
      [committee.bakyt.id, 'ru'],
      [committee.nurlan.id, 'en'],
      [committee.elena.id, 'ru'],
      [committee.timur.id, 'en'],
    ]);
    const inTheirWords = (key: string, params: ExplanationParams) =>
      translate(spoken.get(first.userId) as Locale, key, params);
    expect(offScale.body.error.message).toBe(inTheirWords('review.scoresOnScale', { min: 0, max: 5 }));
    const incomplete = await send(h, authOf(first.userId), `/reviews/${first.reviewId}`, { type: 'SUBMIT' }, 409);
    expect(incomplete.body.error.details.reasons).toEqual([
      {
        key: 'review.everyCriterionScored',
        params: { criteria: { list: ['Community need', 'Feasibility', 'Inclusion of women and youth'] } },
        message: inTheirWords('review.everyCriterionScored', {
          criteria: { list: ['Community need', 'Feasibility', 'Inclusion of women and youth'] },
        }),
      },
      expect.objectContaining({ key: 'review.recommendationGiven' }),
    ]);
    // Another member cannot touch it.
    const stranger = members.find(
      (m) => !reviewsOf('zhazyWater').some((a) => a.userId === m.id) && m !== committee.elena,
    ) as TestUser;
    await send(h, stranger.auth, `/reviews/${first.reviewId}`, { type: 'SAVE', scores: [0, 0, 0] }, 404);

    // Blind until submitted: the second reviewer of Zhazy's water sees no one else's scores.
    const [, second] = reviewsOf('zhazyWater');
    await write(first, [5, 5, 4]);
    const blind = (
      await http().get(`/applications/${id.zhazyWater}/reviews`).set('authorization', authOf(second.userId)).expect(200)
    ).body;
    expect(blind).toMatchObject({
      othersVisible: false,
      hiddenBecause: 'submit your own review of this application first',
      assigned: 3,
      submitted: 1,
    });
    expect(blind.reviews.filter((r: { content?: unknown }) => r.content)).toEqual([
      expect.objectContaining({ mine: true, reviewer: expect.objectContaining({ userId: second.userId }) }),
    ]);
    // Nor the ranking, with reviews still to submit.
    await http().get(`/calls/${callId}/ranking`).set('authorization', authOf(second.userId)).expect(403);
    await write(second, [5, 5, 4]);
    const seen = (
      await http().get(`/applications/${id.zhazyWater}/reviews`).set('authorization', authOf(second.userId)).expect(200)
    ).body;
    expect(seen.othersVisible).toBe(true);
    expect(
      seen.reviews.filter((r: { content?: { weightedScore: number } }) => r.content?.weightedScore === 95),
    ).toHaveLength(2);
    // The chair may keep scores hidden until every review of an application is in; only the chair.
    await http()
      .put(`/calls/${callId}/committee/visibility`)
      .set('authorization', committee.bakyt.auth)
      .send({ scoresHiddenUntilComplete: true })
      .expect(403);
    await http()
      .put(`/calls/${callId}/committee/visibility`)
      .set('authorization', committee.aida.auth)
      .send({ scoresHiddenUntilComplete: true })
      .expect(200);
    const held = (
      await http().get(`/applications/${id.zhazyWater}/reviews`).set('authorization', authOf(second.userId)).expect(200)
    ).body;
    expect(held).toMatchObject({
      othersVisible: false,
      hiddenBecause: "the chair keeps the committee's scores hidden until every review of this application is in",
    });
    expect(held.reviews.filter((r: { content?: unknown }) => r.content)).toEqual([
      expect.objectContaining({ mine: true }),
    ]);
    await http()
      .put(`/calls/${callId}/committee/visibility`)
      .set('authorization', committee.aida.auth)
      .send({ scoresHiddenUntilComplete: false })
      .expect(200);
    // A submitted review is read-only.
    await send(h, authOf(first.userId), `/reviews/${first.reviewId}`, { type: 'SAVE', overallComment: 'changed' }, 409);

    // Everyone scores, but Timur leaves one review for later.
    const late = assigned.added.find(
      (a: Added) => a.userId === committee.timur.id && a !== first && a !== second,
    ) as Added;
    for (const p of PROPOSALS) {
      for (const [nth, a] of reviewsOf(p.key).entries()) {
        if (a === first || a === second || a === late) continue;
        await write(a, scoresFor(p, nth));
      }
    }
    const lateKey = PROPOSALS.find((p) => id[p.key] === late.applicationId) as Pilot;

    const fired = (event: string) => firedTimers(h, 'call', callId, event);
    // The reminder two days before the deadline goes only to Timur, naming what he still owes.
    await drain();
    await scheduler.fireDue(new Date(reviewDueAt.getTime() - 2 * DAY));
    expect(await fired('REMIND_REVIEWERS')).toBe(1);
    await drain();
    // This call's emails of a kind: its link names the call (other suites' mail waits in the same database).
    const mailOf = (message: string) =>
      smtp.received.filter(
        (r) => r.mail.headers.get('x-grants-message') === message && (r.mail.text ?? '').includes(callId),
      );
    const reminders = mailOf('call.review_reminder');
    expect(reminders.map((r) => r.to)).toEqual([[committee.timur.email]]);
    expect(reminders[0].mail.text).toContain(lateKey.title);
    // At the deadline the manager is told what is missing, and by whom.
    await scheduler.fireDue(reviewDueAt);
    expect(await fired('REVIEW_DEADLINE')).toBe(1);
    await drain();
    const notice = mailOf('call.review_deadline_passed');
    expect(notice).toHaveLength(1);
    expect(notice[0].mail.text).toContain('Timur Asanov');
    expect(notice[0].mail.text).toContain(lateKey.title);
    const lateApp = await http().get(`/applications/${late.applicationId}`).set('authorization', h.manager).expect(200);
    expect(lateApp.body.state).toBe('in_review');
    await write(late, scoresFor(lateKey, reviewsOf(lateKey.key).indexOf(late)));

    // Every review in: every application is marked reviewed.
    const states = await sqlRows<{ state: string }>(
      h.orm.em.fork(),
      `select state from workflow_instance where subject_type = 'application' and subject_id in (?)`,
      [ids],
    );
    expect(states.map((s) => s.state)).toEqual(Array(8).fill('reviewed'));

    // The chair reopens a review with a reason; it is logged, its reviewer told, and it comes back.
    const reopened = reviewsOf('alexLights')[0];
    await http()
      .post(`/reviews/${reopened.reviewId}/reopen`)
      .set('authorization', committee.bakyt.auth)
      .send({ reason: 'Only the chair' })
      .expect(403);
    await http()
      .post(`/reviews/${reopened.reviewId}/reopen`)
      .set('authorization', committee.aida.auth)
      .send({ reason: 'The feasibility comment says the poles are not bought yet' })
      .expect(200);
    expect(
      (await http().get(`/applications/${id.alexLights}`).set('authorization', h.manager).expect(200)).body.state,
    ).toBe('in_review');
    const history = (
      await http()
        .get(`/reviews/${reopened.reviewId}/history`)
        .set('authorization', authOf(reopened.userId))
        .expect(200)
    ).body;
    expect(history.at(-1)).toMatchObject({
      event: 'REOPEN',
      from: 'submitted',
      to: 'draft',
      reason: 'The feasibility comment says the poles are not bought yet',
      actor: { id: committee.aida.id },
    });
    await write(reopened, [4, 4, 4]);
    expect(
      (await http().get(`/applications/${id.alexLights}`).set('authorization', h.manager).expect(200)).body.state,
    ).toBe('reviewed');

    // The ranking: weighted scores, the disputed road flagged, both proposals within the budget.
    const ranking = (await http().get(`/calls/${callId}/ranking`).set('authorization', h.manager).expect(200)).body;
    const byKey = (key: string) => ranking.entries.find((e: { applicationId: string }) => e.applicationId === id[key]);
    expect(ranking.entries.map((e: { applicationId: string }) => e.applicationId)).toEqual(
      [
        'zhazyWater',
        'yuryevkaLibrary',
        'gulistanSports',
        'alexLights',
        'gulistanSewing',
        'yuryevkaRoad',
        'zhazyPlayground',
        'alexPark',
      ].map((k) => id[k]),
    );
    expect(byKey('zhazyWater')).toMatchObject({
      rank: 1,
      rawScore: 95,
      reviews: { submitted: 3, assigned: 3 },
      disagreement: false,
    });
    expect(byKey('yuryevkaRoad')).toMatchObject({ rawScore: 60, disagreement: true });
    expect(byKey('yuryevkaRoad').spread).toBeGreaterThan(15);
    expect(ranking.entries.filter((e: { disagreement: boolean }) => e.disagreement)).toHaveLength(1);
    const top5 = ['zhazyWater', 'yuryevkaLibrary', 'gulistanSports', 'alexLights', 'gulistanSewing'].map((k) => id[k]);
    expect(ranking.proposals.byRank).toMatchObject({ applicationIds: top5, total: '11700.00', left: '800.00' });
    expect(ranking.proposals.optimal.applicationIds).toEqual(top5);
    expect(ranking.proposals.difference.explanation).toMatch(/^Both proposals fund the same 5 applications/);
    expect(ranking.tieBreak).toMatch(/lowest review score/);

    // Elena reads the ranking with the application she declared on withheld.
    const elenaView = (
      await http().get(`/calls/${callId}/ranking`).set('authorization', committee.elena.auth).expect(200)
    ).body;
    expect(elenaView.entries.find((e: { rank: number }) => e.rank === 3)).toEqual({ rank: 3, withheld: true });
    expect(JSON.stringify(elenaView)).not.toContain(id.gulistanSports);
    // Both proposals fund it: their total scores, from which its score would follow, are withheld too.
    expect([elenaView.proposals.byRank.totalScore, elenaView.proposals.optimal.totalScore]).toEqual([null, null]);
    expect(ranking.proposals.byRank.totalScore).toBeGreaterThan(0);

    // The manager's decisions: five awards (one below the request, with its reason), a waitlist, two rejections.
    const decided = await http()
      .post(`/calls/${callId}/decisions`)
      .set('authorization', h.manager)
      .send({
        items: [
          ...['zhazyWater', 'yuryevkaLibrary', 'gulistanSports', 'alexLights'].map((k) => ({
            applicationId: id[k],
            type: 'AWARD',
            amount: PROPOSALS.find((p) => p.key === k)?.amount,
          })),
          { applicationId: id.gulistanSewing, type: 'AWARD', amount: '2100.00' },
          {
            applicationId: id.gulistanSewing,
            type: 'AWARD',
            amount: '2100.00',
            reason: 'The fabric is given by the aiyl okmotu',
          },
          { applicationId: id.yuryevkaRoad, type: 'WAITLIST' },
          {
            applicationId: id.zhazyPlayground,
            type: 'REJECT',
            reason: 'The committee found the maintenance plan too thin.',
          },
          { applicationId: id.alexPark, type: 'REJECT' },
        ],
      })
      .expect(200);
    expect(decided.body).toMatchObject({ succeeded: 8, failed: 1 });
    expect(decided.body.results[4]).toMatchObject({ ok: false, error: { status: 409, code: 'GUARD_FAILED' } });
    expect(decided.body.results[4].error.message).toMatch(
      /^An award of EUR\s[\d,.]+, below the EUR\s2,200\.00 requested, needs a reason\.$/,
    );
    // A refused item is worded in the sender's language, as a refusal of one request is.
    const inRussian = await h.user('manager', { locale: 'ru' });
    const again = await http()
      .post(`/calls/${callId}/decisions`)
      .set('authorization', inRussian.auth)
      .send({
        items: [{ applicationId: id.zhazyWater, type: 'AWARD', amount: '2500.00' }],
      })
      .expect(200);
    expect(again.body.results[0]).toMatchObject({
      ok: false,
      error: {
        status: 409,
        code: 'EVENT_NOT_ALLOWED',
        message: 'Сейчас нельзя присудить грант: заявка в статусе «грант присуждён».',
      },
    });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CONFIRM_DECISIONS' });
    const after = (await http().get(`/calls/${callId}/ranking`).set('authorization', h.manager).expect(200)).body;
    expect(after.money).toMatchObject({ awarded: '11600.00', left: '900.00', freed: '0.00' });
    expect(after.entries.filter((e: { state: string }) => e.state === 'awarded')).toHaveLength(5);
    expect(after.entries.filter((e: { state: string }) => e.state === 'rejected')).toHaveLength(3);

    // Every applicant heard of every step; the rejected with the committee's summary where one was written.
    await drain();
    const steps = ['application.submitted', 'application.eligible', 'application.in_review', 'application.reviewed'];
    const expected: Record<string, string[]> = {
      zhazyWater: [...steps, 'application.awarded'],
      yuryevkaLibrary: [...steps, 'application.awarded'],
      gulistanSports: [...steps, 'application.awarded'],
      alexLights: [...steps, 'application.in_review', 'application.reviewed', 'application.awarded'],
      gulistanSewing: [...steps, 'application.awarded'],
      yuryevkaRoad: [...steps, 'application.waitlisted', 'application.rejected'],
      zhazyPlayground: [...steps, 'application.rejected'],
      alexPark: [...steps, 'application.rejected'],
    };
    for (const [i, p] of PROPOSALS.entries())
      expect([p.key, messagesTo(smtp, groups[i])]).toEqual([p.key, expected[p.key]]);
    const playground = smtp.to(groups[1].email).at(-1)?.mail.text ?? '';
    expect(playground).toContain('The committee found the maintenance plan too thin.');
    const sewing = smtp.to(groups[5].email).at(-1)?.mail.text ?? '';
    expect(sewing).toMatch(/2[\s\u00a0,.]?100[.,]00/);

    // Reviewers were emailed their assignments, Elena never the one she declared on; the reopened review's author was told why.
    for (const m of members) {
      const mine = assigned.added.filter((a: Added) => a.userId === m.id).length;
      expect(messagesTo(smtp, m).filter((x) => x === 'review.assigned')).toHaveLength(mine);
    }
    const reopenedMail = smtp
      .to((members.find((m) => m.id === reopened.userId) as TestUser).email)
      .find((r) => r.mail.headers.get('x-grants-message') === 'review.reopened');
    expect(reopenedMail?.mail.text).toContain('The feasibility comment says the poles are not bought yet');
    expect(smtp.to(committee.elena.email).some((r) => r.mail.text?.includes(PROPOSALS[4].title))).toBe(false);
  });

  it('holds the budget under 20 concurrent awards: the total never exceeds it and every refusal is a clear 409', async () => {
    const applicants = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.user('applicant', { municipality: PROPOSALS[i % 8].municipality })),
    );
    const { callId, ids } = await closedCall(applicants, Array(20).fill('2000.00'));
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    // EUR 12,500 fits six awards of EUR 2,000; twenty arrive at once.
    const answers = await Promise.all(
      ids.map((id) =>
        h
          .http()
          .post(`/applications/${id}/events`)
          .set('authorization', h.manager)
          .send({ type: 'AWARD', amount: '2000.00' }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 409)).toHaveLength(14);
    for (const refused of answers.filter((a) => a.status === 409)) {
      expect(refused.body.error.code).toBe('GUARD_FAILED');
      expect(refused.body.error.details).toMatchObject({
        failedConditions: ['withinCallBudget'],
        reasons: [
          {
            key: 'application.withinCallBudget',
            params: { amount: { money: 200_000, currency: 'EUR' }, left: { money: 50_000, currency: 'EUR' } },
          },
        ],
      });
      expect(refused.body.error.message).toMatch(
        /^EUR\s2,000\.00 is more than the EUR\s500\.00 left of the call's budget\.$/,
      );
    }
    const [row] = await sqlRows<{ total: string; awarded: string }>(
      h.orm.em.fork(),
      `select coalesce(sum((snapshot->'context'->>'awardedMinor')::bigint), 0) as total, count(*) as awarded
         from workflow_instance where subject_type = 'application' and subject_id in (?) and state = 'awarded'`,
      [ids],
    );
    expect(Number(row.total)).toBe(1_200_000);
    expect(Number(row.total)).toBeLessThanOrEqual(1_250_000);

    // A group declines: the freed money shows, and the next on the waiting list is awarded.
    const awarded = ids.filter((_, i) => statuses[i] === 200);
    const waiting = ids.filter((_, i) => statuses[i] !== 200);
    await send(h, h.manager, `/applications/${waiting[0]}`, { type: 'WAITLIST' });
    const owner = applicants[ids.indexOf(awarded[0])];
    await send(h, owner.auth, `/applications/${awarded[0]}`, {
      type: 'DECLINE_AWARD',
      reason: 'The school found other funds',
    });
    const ranking = (await h.http().get(`/calls/${callId}/ranking`).set('authorization', h.manager).expect(200)).body;
    expect(ranking.money).toMatchObject({ awarded: '10000.00', freed: '2000.00', left: '2500.00' });
    expect(ranking.waitlist).toEqual({ applicationIds: [waiting[0]], nextFundable: waiting[0] });
    expect(
      (await send(h, h.manager, `/applications/${waiting[0]}`, { type: 'AWARD', amount: '2000.00' })).body.state,
    ).toBe('awarded');
  });

  it('refuses an assignment that conflicts make impossible, naming the application', async () => {
    const applicants = await Promise.all([0, 1].map(() => h.user('applicant')));
    const { callId, ids } = await closedCall(applicants, ['1000.00', '1200.00'], { reviewersPerApplication: 2 });
    const [a, b] = [await h.user('committee', { name: 'Member A' }), await h.user('committee', { name: 'Member B' })];
    await h
      .http()
      .put(`/calls/${callId}/committee`)
      .set('authorization', h.manager)
      .send({ members: [{ userId: a.id, chair: true }, { userId: b.id }] })
      .expect(200);
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await h
      .http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', a.auth)
      .send({
        items: [
          { applicationId: ids[0], conflicted: true, reason: 'Same village council' },
          { applicationId: ids[1], conflicted: false },
        ],
      })
      .expect(200);
    await h
      .http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', b.auth)
      .send({ items: ids.map((applicationId) => ({ applicationId, conflicted: false })) })
      .expect(200);
    const refused = await h.http().post(`/calls/${callId}/assignments`).set('authorization', h.manager).expect(409);
    expect(refused.body.error.message).toMatch(
      /KG-\d{4}-\d{4} needs 2 more reviewers, but only 1 committee member has no conflict/,
    );
    // The manager assigns by hand what can be assigned, and moves a draft review to another member.
    const given = (
      await h
        .http()
        .post(`/applications/${ids[1]}/reviewers`)
        .set('authorization', h.manager)
        .send({ to: a.id })
        .expect(200)
    ).body;
    await h
      .http()
      .post(`/applications/${ids[0]}/reviewers`)
      .set('authorization', h.manager)
      .send({ to: a.id })
      .expect(409);
    const moved = await h
      .http()
      .post(`/applications/${ids[1]}/reviewers`)
      .set('authorization', h.manager)
      .send({ from: a.id, to: b.id, reason: 'Aida is away' })
      .expect(200);
    expect(moved.body.loads.map((l: { reviews: number }) => l.reviews).sort()).toEqual([0, 1]);
    const old = (await h.http().get(`/reviews/${given.added[0].reviewId}`).set('authorization', h.manager).expect(200))
      .body;
    expect(old).toMatchObject({ state: 'unassigned', reason: 'Aida is away' });
    // Declaring a conflict late takes the member's review away at once.
    await h
      .http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', b.auth)
      .send({ items: [{ applicationId: ids[1], conflicted: true, reason: 'I now chair their council' }] })
      .expect(200);
    const taken = (
      await h.http().get(`/reviews/${moved.body.added[0].reviewId}`).set('authorization', h.manager).expect(200)
    ).body;
    expect(taken).toMatchObject({ state: 'unassigned', reason: 'its reviewer declared a conflict of interest' });
    await h.http().get(`/applications/${ids[1]}/reviews`).set('authorization', b.auth).expect(404);
  });
});
