import { benchApplication, benchCall } from './fixtures';
import { requestJson, type RawResponse } from './http';
import type { MeasuredPage, PageUsers, Site } from './pages';
import { isPage } from './pages';

// The staff pages of a round, measured like the applicants' (bench/pages.ts): a call in screening
// and a call whose committee has scored every application, each with an application from every
// bench group (BENCH_PAGES_USERS of them), seeded through the API; then the pages that read most of
// them: the manager's screening list, an application, the committee, the ranking and decisions, the
// dashboard and the list, and a member's board and ranking.

/** What the round's pages show: the two calls and an application in screening. */
interface Round {
  screening: string;
  review: string;
  application: string;
}

const SCORES = [5, 4, 3, 4, 2];

/** The two calls, through the API as the pages would leave them. */
async function seedRound(site: Site, users: PageUsers): Promise<Round> {
  const post = <T = { id: string }>(auth: string, path: string, body: unknown = {}) =>
    requestJson<T>(site.agent, 'POST', `${site.base}${path}`, auth, body);
  const put = (auth: string, path: string, body: unknown) =>
    requestJson(site.agent, 'PUT', `${site.base}${path}`, auth, body);
  const manager = users.managers[0].token;
  const calls: string[] = [];
  for (const title of ['Staff pages: screening', 'Staff pages: review']) {
    const terms = {
      ...benchCall(title, 1),
      criteria: [
        { name: 'Community need', weight: 40 },
        { name: 'Feasibility', weight: 35 },
        { name: 'Inclusion of women and youth', weight: 25 },
      ],
      reviewersPerApplication: 3,
    };
    const { id } = await post(manager, '/calls', terms);
    await post(manager, `/calls/${id}/events`, { type: 'PUBLISH' });
    calls.push(id);
  }
  const [screening, review] = calls;
  const submitted: Record<string, string[]> = { [screening]: [], [review]: [] };
  for (const [i, applicant] of users.applicants.entries()) {
    for (const call of calls) {
      const { id } = await post(applicant.token, `/calls/${call}/applications`, benchApplication(i));
      await post(applicant.token, `/applications/${id}/events`, { type: 'SUBMIT' });
      submitted[call].push(id);
    }
  }
  await post(manager, `/calls/${review}/screening`, {
    items: submitted[review].map((applicationId) => ({ applicationId, type: 'SCREEN', decision: 'eligible' })),
  });
  await post(manager, `/calls/${review}/events`, { type: 'CLOSE' });
  await put(manager, `/calls/${review}/committee`, {
    members: users.committee.map((m, i) => ({ userId: m.id, chair: i === 0 })),
  });
  await post(manager, `/calls/${review}/events`, {
    type: 'START_REVIEW',
    reviewDueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  for (const member of users.committee)
    await post(member.token, `/calls/${review}/conflicts`, {
      items: submitted[review].map((applicationId) => ({ applicationId, conflicted: false })),
    });
  const { added } = await post<{ added: { userId: string; reviewId: string }[] }>(
    manager,
    `/calls/${review}/assignments`,
  );
  for (const [n, assigned] of added.entries()) {
    const member = users.committee.find((m) => m.id === assigned.userId);
    if (!member) throw new Error(`a review for ${assigned.userId}, who is not on the committee`);
    const score = SCORES[n % SCORES.length];
    await post(member.token, `/reviews/${assigned.reviewId}/events`, {
      type: 'SAVE',
      scores: [score, Math.max(1, score - 1), score],
      comments: ['Named by the village itself', 'A plan the group can carry out', 'Young people build it'],
      overallComment: 'Clear and modest.',
      recommendation: score >= 4 ? 'fund' : 'fund_with_changes',
    });
    await post(member.token, `/reviews/${assigned.reviewId}/events`, { type: 'SUBMIT' });
  }
  return { screening, review, application: submitted[screening][0] };
}

/**
 * Seeds the round and gives the staff pages that answer a page, each read by the `i`th manager (or a
 * committee member, in turn); a page that answers anything else is skipped, saying so.
 */
export async function staffPages(
  site: Site,
  users: PageUsers,
  get: (path: string, cookie: string) => Promise<RawResponse>,
): Promise<MeasuredPage[]> {
  const round = await seedRound(site, users);
  const manager = (i: number) => users.managers[i % users.managers.length].cookie;
  const member = (i: number) => users.committee[i % users.committee.length].cookie;
  const candidates: MeasuredPage[] = [
    { name: 'GET /manage', path: () => '/manage', cookie: manager },
    { name: 'GET /manage/calls/:id', path: () => `/manage/calls/${round.review}`, cookie: manager },
    {
      name: 'GET /manage/calls/:id/screening',
      path: () => `/manage/calls/${round.screening}/screening`,
      cookie: manager,
    },
    { name: 'GET /manage/applications/:id', path: () => `/manage/applications/${round.application}`, cookie: manager },
    { name: 'GET /manage/calls/:id/committee', path: () => `/manage/calls/${round.review}/committee`, cookie: manager },
    { name: 'GET /manage/calls/:id/decisions', path: () => `/manage/calls/${round.review}/decisions`, cookie: manager },
    { name: 'GET /manage/applications', path: () => `/manage/applications?callId=${round.review}`, cookie: manager },
    { name: 'GET /review/calls/:id (member)', path: () => `/review/calls/${round.review}`, cookie: member },
    {
      name: 'GET /review/calls/:id/ranking (member)',
      path: () => `/review/calls/${round.review}/ranking`,
      cookie: member,
    },
  ];
  const pages: MeasuredPage[] = [];
  for (const page of candidates) {
    const res = await get(page.path(0), page.cookie(0) ?? '');
    if (isPage(res)) pages.push(page);
    else console.log(`staff pages: skipped ${page.name}: answers ${res.status} ${res.headers['content-type'] ?? ''}`);
  }
  return pages;
}
