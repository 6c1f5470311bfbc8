import { createCall, openCall, pilotCall, proposal, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';

// Input the service cannot use is refused with a 400 that names the field, whatever route it comes
// through: arrays where objects belong, text PostgreSQL cannot store, odd list queries and cursors,
// null where a field has no meaning for it, and malformed ids.

interface Refusal {
  status: number;
  body: { error: { code: string; details?: { fields?: { field: string }[] } } };
}

const fieldsOf = (res: Refusal) => (res.body.error.details?.fields ?? []).map((f) => f.field);

function expectRefused(res: Refusal, ...fields: string[]) {
  expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  expect(fieldsOf(res)).toEqual(expect.arrayContaining(fields));
}

const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('bad input answers 400 naming the field', () => {
  let h: Harness;
  let manager: string;
  let applicant: TestUser;
  let committee: TestUser;
  let reviewCallId: string;
  let reviewedId: string;
  let reviewId: string;
  let draftCallId: string;
  let openCallId: string;
  let moreInfoId: string;
  let moreInfoBy: TestUser;

  beforeAll(async () => {
    h = await startHarness();
    manager = h.manager;
    applicant = await h.user('applicant');
    committee = await h.user('committee');
    reviewCallId = await openCall(h, manager);
    reviewedId = await submittedApplication(h, reviewCallId, applicant.auth);
    await send(h, manager, `/applications/${reviewedId}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, manager, `/calls/${reviewCallId}`, { type: 'CLOSE' });
    await h
      .http()
      .put(`/calls/${reviewCallId}/committee`)
      .set('authorization', manager)
      .send({ members: [{ userId: committee.id, chair: true }] })
      .expect(200);
    await send(h, manager, `/calls/${reviewCallId}`, { type: 'START_REVIEW' });
    await h
      .http()
      .post(`/calls/${reviewCallId}/conflicts`)
      .set('authorization', committee.auth)
      .send({ items: [{ applicationId: reviewedId, conflicted: false }] })
      .expect(200);
    const review = await h
      .http()
      .post(`/applications/${reviewedId}/reviewers`)
      .set('authorization', manager)
      .send({ to: committee.id })
      .expect(200);
    reviewId = review.body.added[0].reviewId;
    draftCallId = await createCall(h, manager);
    openCallId = await openCall(h, manager);
    moreInfoBy = await h.user('applicant');
    moreInfoId = await submittedApplication(h, openCallId, moreInfoBy.auth);
    await send(h, manager, `/applications/${moreInfoId}`, {
      type: 'REQUEST_INFO',
      questions: ['Which school is it for?'],
    });
  });
  afterAll(() => h.close());

  const post = (path: string, auth: string, body: unknown) =>
    h
      .http()
      .post(path)
      .set('authorization', auth)
      .send(body as object);

  describe('an array where an object belongs', () => {
    it.each([
      ['questions', { questions: [[]] }],
      ['questions', { questions: [[{ id: 'registered', text: { en: 'Registered?' }, required: true }]] }],
      ['criteria', { criteria: [[]] }],
      ['reportSchedule', { reportSchedule: [['final', '2027-06-30']] }],
      ['title', { title: [] }],
      ['composition', { composition: [2, ['civil_society']] }],
    ])('POST /calls with %s %j', async (field, overrides) => {
      expectRefused(await post('/calls', manager, pilotCall(overrides)), field);
    });

    it.each([
      ['questions', { questions: [[]] }],
      ['criteria', { criteria: [[]] }],
      ['scale', { scale: [0, 5] }],
    ])('UPDATE of a draft call with %s %j', async (field, change) => {
      expectRefused(await post(`/calls/${draftCallId}/events`, manager, { type: 'UPDATE', ...change }), field);
    });

    it.each([
      ['activities', { activities: [[]] }],
      ['budget', { budget: [[{ category: 'Equipment', description: 'Filter', quantity: 1, unitCost: '10.00' }]] }],
      ['coFunding', { coFunding: [[]] }],
      ['participants', { participants: [] }],
    ])('UPDATE_DRAFT with %s %j', async (field, change) => {
      expectRefused(
        await post(`/applications/${moreInfoId}/events`, moreInfoBy.auth, { type: 'UPDATE_DRAFT', ...change }),
        field,
      );
    });

    it('on every batch and list of objects', async () => {
      expectRefused(await post(`/calls/${reviewCallId}/conflicts`, committee.auth, { items: [[]] }), 'items');
      expectRefused(
        await post(`/calls/${reviewCallId}/conflicts`, committee.auth, {
          items: [[{ applicationId: reviewedId, conflicted: false }]],
        }),
        'items',
      );
      expectRefused(await post(`/calls/${openCallId}/screening`, manager, { items: [[]] }), 'items');
      expectRefused(await post(`/calls/${reviewCallId}/decisions`, manager, { items: [[]] }), 'items');
      expectRefused(
        await h
          .http()
          .put(`/calls/${reviewCallId}/committee`)
          .set('authorization', manager)
          .send({ members: [[]] }),
        'members',
      );
    });
  });

  describe('text PostgreSQL cannot store: NUL and lone surrogate halves', () => {
    const BAD = [
      ['NUL', 'a\u0000b'],
      ['a lone high surrogate', 'x\ud800'],
      ['a lone low surrogate', '\udc00x'],
      ['the halves reversed', '\udc00\ud800'],
    ];

    it.each(BAD)('%s anywhere in a call, named by its path', async (_, bad) => {
      expectRefused(await post('/calls', manager, pilotCall({ title: { en: bad } })), 'title.en');
      expectRefused(
        await post(
          '/calls',
          manager,
          pilotCall({ questions: [{ id: 'registered', text: { ru: bad }, required: true }] }),
        ),
        'questions.0.text.ru',
      );
      expectRefused(await post('/calls', manager, pilotCall({ municipalities: ['Zhazy', bad] })), 'municipalities.1');
      expectRefused(
        await post(`/calls/${draftCallId}/events`, manager, { type: 'UPDATE', description: { ky: bad } }),
        'description.ky',
      );
    });

    it.each(BAD)('%s in an application, new or changed', async (_, bad) => {
      const other = await h.user('applicant');
      expectRefused(
        await post(`/calls/${openCallId}/applications`, other.auth, proposal('100.00', { title: bad })),
        'title',
      );
      expectRefused(
        await post(
          `/calls/${openCallId}/applications`,
          other.auth,
          proposal('100.00', {
            budget: [{ category: 'Equipment', description: bad, quantity: 1, unitCost: '100.00' }],
          }),
        ),
        'budget.0.description',
      );
      expectRefused(
        await post(`/applications/${moreInfoId}/events`, moreInfoBy.auth, { type: 'UPDATE_DRAFT', summary: bad }),
        'summary',
      );
      expectRefused(
        await post(`/applications/${moreInfoId}/events`, moreInfoBy.auth, { type: 'RESUBMIT', answers: [bad] }),
        'answers.0',
      );
    });

    it.each(BAD)('%s in people, groups, members and reviews', async (_, bad) => {
      expectRefused(
        await post('/users', manager, { email: 'new-officer@example.test', name: bad, role: 'finance' }),
        'name',
      );
      expectRefused(await h.http().patch('/me').set('authorization', applicant.auth).send({ name: bad }), 'name');
      expectRefused(
        await post('/groups', applicant.auth, { name: bad, municipality: 'Zhazy', oblast: 'Issyk-Kul' }),
        'name',
      );
      expectRefused(
        await post(`/groups/${applicant.groupId}/members`, applicant.auth, { email: 'friend@example.test', name: bad }),
        'name',
      );
      expectRefused(
        await post(`/reviews/${reviewId}/events`, committee.auth, { type: 'SAVE', comments: ['Clear', bad] }),
        'comments.1',
      );
      expectRefused(
        await post(`/reviews/${reviewId}/events`, committee.auth, { type: 'SAVE', overallComment: bad }),
        'overallComment',
      );
      expectRefused(
        await post(`/calls/${reviewCallId}/conflicts`, committee.auth, {
          items: [{ applicationId: reviewedId, conflicted: true, reason: bad }],
        }),
        'items.0.reason',
      );
    });

    it('in a key as in a value', async () => {
      const res = await post(`/applications/${moreInfoId}/events`, moreInfoBy.auth, {
        type: 'UPDATE_DRAFT',
        eligibilityAnswers: { 'registered\u0000': true },
      });
      expectRefused(res);
      expect(fieldsOf(res).some((f) => f.startsWith('eligibilityAnswers'))).toBe(true);
    });

    it('and the refused writes leave the records as they were', async () => {
      const before = await h
        .http()
        .get(`/applications/${moreInfoId}`)
        .set('authorization', moreInfoBy.auth)
        .expect(200);
      await post(`/applications/${moreInfoId}/events`, moreInfoBy.auth, {
        type: 'UPDATE_DRAFT',
        summary: 'x\ud800',
      }).expect(400);
      const after = await h.http().get(`/applications/${moreInfoId}`).set('authorization', moreInfoBy.auth).expect(200);
      expect(after.body).toEqual(before.body);
    });
  });

  describe('list queries and cursors', () => {
    const list = (query: string, auth = manager) => h.http().get(`/applications?${query}`).set('authorization', auth);

    it.each(['q', 'municipality', 'cursor', 'callId', 'sort'])('NUL in %s', async (name) => {
      expectRefused(await list(`${name}=a%00b`), name);
    });

    it.each([
      ['created', 'abc'],
      ['created', 'not a date'],
      ['created', '2026-02-30T25:00:00Z'],
      ['created', '+275760-09-13T00:00:00.001Z'],
      ['requested', 'abc'],
      ['requested', '1e400'],
      ['requested', '-1'],
      ['requested', '1.5'],
      ['requested', '99999999999999999999999'],
      ['requested', 'Clean water for Zhazy school'],
      ['title', '\u0000'],
      ['reference', 'x\ud800'],
    ])('a cursor holding %s %j', async (sort, value) => {
      expectRefused(await list(`sort=${sort}&cursor=${cursor([value, reviewedId])}`), 'cursor');
    });

    it.each([
      ['an id that is not a uuid', cursor(['2026-01-01T00:00:00.000Z', '-'.repeat(36)])],
      ['a third member', cursor(['2026-01-01T00:00:00.000Z', reviewedId, 'x'])],
      ['a number', cursor([1, reviewedId])],
      ['an object', cursor({})],
      ['text that is not base64', 'not base64!'],
    ])('a cursor with %s', async (_, value) => {
      expectRefused(await list(`cursor=${encodeURIComponent(value)}`), 'cursor');
    });

    it('a cursor one sort gave out, used with another sort', async () => {
      const page = await list('sort=title&order=asc&limit=1').expect(200);
      expect(page.body.nextCursor).toEqual(expect.any(String));
      expectRefused(await list(`sort=requested&limit=1&cursor=${page.body.nextCursor}`), 'cursor');
      expectRefused(await list(`sort=created&limit=1&cursor=${page.body.nextCursor}`), 'cursor');
    });

    it('still pages with the cursors it gives out, in every sort', async () => {
      for (const sort of ['created', 'title', 'requested', 'reference']) {
        const all = await list(`sort=${sort}&limit=100`).expect(200);
        const seen: string[] = [];
        let next: string | null = null;
        do {
          const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list(
            `sort=${sort}&limit=1${next ? `&cursor=${next}` : ''}`,
          ).expect(200);
          seen.push(...page.body.items.map((i) => i.id));
          next = page.body.nextCursor;
        } while (next);
        expect(seen).toEqual(all.body.items.map((i: { id: string }) => i.id));
        expect(seen.length).toBeGreaterThan(1);
      }
    });

    it('notifications: NUL or a malformed id in before', async () => {
      expectRefused(await h.http().get('/notifications?before=a%00').set('authorization', manager), 'before');
      expectRefused(await h.http().get('/notifications?before=abc').set('authorization', manager), 'before');
      expectRefused(
        await h.http().get('/notifications?before=00000000-0000-4000-8000-000000000000').set('authorization', manager),
        'before',
      );
    });

    it('ranking: numbers that are not numbers', async () => {
      for (const value of ['abc', '1e400', 'NaN', '%00']) {
        expectRefused(
          await h.http().get(`/calls/${reviewCallId}/ranking?minimumScore=${value}`).set('authorization', manager),
          'minimumScore',
        );
      }
    });
  });

  describe('null in an optional field', () => {
    it.each(['composition', 'eligibilityAnswers', 'participants', 'budget', 'summary', 'municipality'])(
      'UPDATE_DRAFT %s: null is refused, and the screening pages still answer',
      async (field) => {
        expectRefused(
          await post(`/applications/${moreInfoId}/events`, moreInfoBy.auth, { type: 'UPDATE_DRAFT', [field]: null }),
          field,
        );
        await h.http().get(`/calls/${openCallId}/screening`).set('authorization', manager).expect(200);
        await h.http().get(`/applications/${moreInfoId}/screening`).set('authorization', manager).expect(200);
      },
    );

    it('a new application: null is refused', async () => {
      const other = await h.user('applicant');
      expectRefused(
        await post(`/calls/${openCallId}/applications`, other.auth, proposal('100.00', { composition: null })),
        'composition',
      );
      expectRefused(
        await post(`/calls/${openCallId}/applications`, other.auth, proposal('100.00', { eligibilityAnswers: null })),
        'eligibilityAnswers',
      );
    });

    it('calls: null is refused, except where the field says what it means', async () => {
      expectRefused(
        await post(`/calls/${draftCallId}/events`, manager, { type: 'UPDATE', questions: null }),
        'questions',
      );
      expectRefused(await post(`/calls/${draftCallId}/events`, manager, { type: 'UPDATE', title: null }), 'title');
      expectRefused(await post('/calls', manager, pilotCall({ scale: null })), 'scale');
      // A composition rule of null is no rule; a limit per municipality of null is no limit.
      const changed = await post(`/calls/${draftCallId}/events`, manager, {
        type: 'UPDATE',
        composition: null,
        maxAwardsPerMunicipality: null,
      }).expect(200);
      expect(changed.body.state).toBe('draft');
      const call = await h.http().get(`/calls/${draftCallId}`).set('authorization', manager).expect(200);
      expect(call.body).toMatchObject({ composition: null, review: { maxAwardsPerMunicipality: null } });
    });

    it('reviews: a recommendation of null is none', async () => {
      await post(`/reviews/${reviewId}/events`, committee.auth, { type: 'SAVE', recommendation: null }).expect(200);
      expectRefused(
        await post(`/reviews/${reviewId}/events`, committee.auth, { type: 'SAVE', comments: null }),
        'comments',
      );
    });

    it('people: null is refused', async () => {
      expectRefused(await h.http().patch('/me').set('authorization', applicant.auth).send({ locale: null }), 'locale');
      expectRefused(
        await post(`/groups/${applicant.groupId}/members`, applicant.auth, {
          email: 'friend2@example.test',
          name: 'Friend',
          locale: null,
        }),
        'locale',
      );
    });
  });

  describe('malformed ids and bodies', () => {
    it.each([
      ['/applications/not-a-uuid', 'id'],
      ['/calls/123/ranking', 'callId'],
      [`/applications/${'0'.repeat(36)}`, 'id'],
      ['/applications/a%00b', 'id'],
    ])('GET %s names %s', async (path, field) => {
      expectRefused(await h.http().get(path).set('authorization', manager), field);
    });

    it('a body that is not JSON, or carries a prototype key, names the body', async () => {
      const raw = (text: string) =>
        h.http().post('/calls').set('authorization', manager).set('content-type', 'application/json').send(text);
      expectRefused(await raw('{"title":'), '(body)');
      expectRefused(await raw('{"__proto__":{"polluted":true}}'), '(body)');
    });

    it('a body nested deeper than any DTO goes names where it goes too deep', async () => {
      const raw = (path: string, text: string) =>
        h.http().post(path).set('authorization', manager).set('content-type', 'application/json').send(text);
      for (const depth of [40, 100_000]) {
        const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
        expectRefused(
          await raw(`/calls/${draftCallId}/events`, `{"type":"UPDATE","questions":${nested}}`),
          depth === 40 ? 'questions.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0' : '(body)',
        );
        expectRefused(
          await raw('/calls', `{"questions":${nested}}`),
          depth === 40 ? 'questions.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0' : '(body)',
        );
      }
    });

    // The web pages (src/web) answer their refusals as pages: test/web-pages.e2e-spec.ts.
    it('an error on an HTML route of the API still answers JSON', async () => {
      const res = await h.http().get('/setup?token=%00');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expectRefused(res, 'token');
    });
  });
});
