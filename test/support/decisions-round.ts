import { pilotCall, proposal, send } from './fixtures';
import type { Harness, TestUser } from './harness';

// A call whose reviews are all in, seeded through the API for the decision pages' tests: a budget
// of EUR 5,000, six applications reviewed by a committee of two. Going down the ranking funds the
// two best (EUR 4,900) and leaves too little for the next; the optimal set funds the next three.
// One application's reviewers disagree (100 against 20).

type Scores = [number, number, number];

export interface RoundApplication {
  key: string;
  title: string;
  amount: string;
  /** The first reviewer's scores, then the second's. */
  scores: [Scores, Scores];
}

export const ROUND: RoundApplication[] = [
  {
    key: 'water',
    title: 'Clean water for the Zhazy school',
    amount: '2500.00',
    scores: [
      [5, 5, 5],
      [5, 5, 5],
    ],
  },
  {
    key: 'library',
    title: 'Библиотека для Юрьевки',
    amount: '2400.00',
    scores: [
      [5, 5, 4],
      [5, 5, 4],
    ],
  },
  {
    key: 'sports',
    title: 'Гүлистан жаштары үчүн спорт аянтча',
    amount: '1600.00',
    scores: [
      [5, 4, 4],
      [5, 4, 4],
    ],
  },
  {
    key: 'sewing',
    title: "Women's sewing workshop in Gulistan",
    amount: '1600.00',
    scores: [
      [4, 5, 4],
      [4, 5, 4],
    ],
  },
  {
    key: 'lights',
    title: 'Street lights on Lenin street',
    amount: '1600.00',
    scores: [
      [4, 4, 5],
      [4, 4, 5],
    ],
  },
  {
    key: 'road',
    title: 'Gravel for the school road',
    amount: '1000.00',
    scores: [
      [5, 5, 5],
      [1, 1, 1],
    ],
  },
];

export interface Round {
  callId: string;
  /** Application ids by key. */
  id: Record<string, string>;
  reference: Record<string, string>;
  applicants: TestUser[];
}

/** The round, up to every review submitted; the call is in review. */
export async function reviewedRound(h: Harness, terms: Record<string, unknown> = {}): Promise<Round> {
  const http = () => h.http();
  const callId = (
    await http()
      .post('/calls')
      .set('authorization', h.manager)
      .send(pilotCall({ budget: '5000.00', reviewersPerApplication: 2, rankBy: 'raw', ...terms }))
      .expect(201)
  ).body.id as string;
  await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
  const applicants = await Promise.all(ROUND.map(() => h.user('applicant')));
  const id: Record<string, string> = {};
  const reference: Record<string, string> = {};
  for (const [i, a] of ROUND.entries()) {
    const made = await http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', applicants[i].auth)
      .send(proposal(a.amount, { title: a.title }))
      .expect(201);
    id[a.key] = made.body.id as string;
    reference[a.key] = made.body.reference as string;
    await send(h, applicants[i].auth, `/applications/${id[a.key]}`, { type: 'SUBMIT' });
  }
  const ids = ROUND.map((a) => id[a.key]);
  await http()
    .post(`/calls/${callId}/screening`)
    .set('authorization', h.manager)
    .send({ items: ids.map((applicationId) => ({ applicationId, type: 'SCREEN', decision: 'eligible' })) })
    .expect(200);
  await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
  const members = [await h.user('committee'), await h.user('committee')];
  await http()
    .put(`/calls/${callId}/committee`)
    .set('authorization', h.manager)
    .send({ members: members.map((m, i) => ({ userId: m.id, chair: i === 0 })) })
    .expect(200);
  await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
  for (const m of members) {
    await http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', m.auth)
      .send({ items: ids.map((applicationId) => ({ applicationId, conflicted: false })) })
      .expect(200);
  }
  const assigned = (await http().post(`/calls/${callId}/assignments`).set('authorization', h.manager).expect(200))
    .body as { added: { applicationId: string; userId: string; reviewId: string }[] };
  for (const added of assigned.added) {
    const nth = members.findIndex((m) => m.id === added.userId);
    const scores = (ROUND.find((a) => id[a.key] === added.applicationId) as RoundApplication).scores[nth];
    const auth = members[nth].auth;
    await send(h, auth, `/reviews/${added.reviewId}`, {
      type: 'SAVE',
      scores,
      comments: ['Named by the village itself', 'A plan the group can carry out', 'Young people build it'],
      overallComment: 'Clear and modest.',
      recommendation: 'fund',
    });
    await send(h, auth, `/reviews/${added.reviewId}`, { type: 'SUBMIT' });
  }
  return { callId, id, reference, applicants };
}
