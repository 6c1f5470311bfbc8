import fc from 'fast-check';
import { sqlRows } from '../src/common/sql';
import { MailWorker } from '../src/notifications/mail.worker';
import { startHarness, type Harness } from './support/harness';
import { createCall, openCall, pilotCall, proposal, send, submittedApplication } from './support/fixtures';

// Random JSON at every write route, bad values planted in valid bodies, odd query strings at every
// read route: whatever arrives, the answer is never a 5xx, a 400 names the bad field, and a refused
// request leaves every table as it was. Seeded and bounded, so a run is quick and repeatable.

const TABLES = [
  'app_user',
  'api_token',
  'workflow_instance',
  'transition_log',
  'outbox',
  'workflow_timer',
  'call',
  'application',
  'tranche',
  'report',
  'notification',
  'programme',
  'applicant_group',
  'group_member',
  'committee_member',
  'conflict_declaration',
  'login_link',
  'user_session',
  'attachment',
  'reference_counter',
  'review',
];

const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'type',
  'amount',
  'reason',
  'title',
  'currency',
  'budget',
  'criteria',
  'decision',
  'facts',
  'actor',
  'at',
  'items',
  'applicationId',
  'questions',
  'municipalities',
  'composition',
  'eligibilityAnswers',
  'participants',
  'unitCost',
  'quantity',
  'scores',
  'comments',
  'recommendation',
  'to',
  'from',
  'conflicted',
  'scoresHiddenUntilComplete',
];

const EVENT_TYPES = [
  'PUBLISH',
  'UPDATE',
  'CANCEL',
  'SUBMIT',
  'SCREEN',
  'AWARD',
  'REQUEST',
  'APPROVE',
  'ACCEPT',
  'DUE',
  'REVIEW_STARTED',
  'SAVE',
  'REOPEN',
  'WAITLIST',
  'toString',
  '__proto__',
];

// Text of any UTF-16 code units, lone surrogate halves, NUL and bidi overrides among them.
const oddText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u0000', '\ud800', '\udfff', '\u202e'),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  ),
  maxLength: 8,
});

const { value: jsonish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ maxLength: 5000 }),
    oddText,
    fc.constantFrom('\u0000', '\ud800', null, [[]], [[{}]], [null]),
    fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 1e308, 0.1, '2500.001', '1e3', '', '9'.repeat(40)),
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
}));

const eventLike = fc
  .tuple(fc.constantFrom(...EVENT_TYPES), fc.dictionary(fc.constantFrom(...KEYS), jsonish, { maxKeys: 4 }))
  .map(([type, rest]) => ({ ...rest, type }));

const body = fc.oneof(jsonish, eventLike);

const WRITE_METHODS = ['post', 'put', 'patch', 'delete'] as const;

// Routes that read no body: whatever JSON arrives is ignored, and the answer is theirs to give.
const BODYLESS = [
  'post /auth/logout',
  'post /notifications/{id}/retry',
  'post /users/{id}/sessions/revoke',
  'post /calls/{callId}/assignments',
];

interface Target {
  method: 'post' | 'put' | 'patch';
  path: string;
  auth: string;
  body: () => object;
  /** The fields where null has a documented meaning ("no rule", "no recommendation"); null elsewhere is refused. */
  nullable?: RegExp;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const methodOf = (route: string) => route.split(' ')[0] as (typeof WRITE_METHODS)[number];

function expectBelow500(res: { status: number; body: unknown }, request: string): void {
  if (res.status >= 500) throw new Error(`${request} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

/** A 400 names the fields it refuses (an unknown event type names `type` by its code). */
function expectNamedFields(
  res: { status: number; body: { error?: { code?: string; details?: { fields?: { field: string }[] } } } },
  request: string,
): string[] {
  if (res.status !== 400) return [];
  if (res.body.error?.code === 'UNKNOWN_EVENT_TYPE') return ['type'];
  const fields = (res.body.error?.details?.fields ?? []).map((f) => f.field);
  if (res.body.error?.code !== 'VALIDATION_FAILED' || fields.length === 0)
    throw new Error(`${request} answered 400 naming no field: ${JSON.stringify(res.body).slice(0, 200)}`);
  return fields;
}

type Path = (string | number)[];

/** Every place in a body a value sits, the event's type aside. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const here = prefix.length > 0 && !(prefix.length === 1 && prefix[0] === 'type') ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => pathsOf(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null)
    return [...here, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...prefix, k]))];
  return here;
}

function plant(
  body: object,
  path: Path,
  change: (holder: Record<string | number, unknown>, key: string | number) => void,
): object {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  const holder = path
    .slice(0, -1)
    .reduce<Record<string | number, unknown>>((at, key) => at[key] as Record<string | number, unknown>, copy);
  change(holder, path[path.length - 1]);
  return copy;
}

// Values no field accepts: an array where an object or a value belongs, text PostgreSQL cannot store.
const NEVER_VALID: unknown[] = [
  [[]],
  [[{}]],
  [['x']],
  ['\ud800'],
  '\ud800',
  'x\udfff',
  '\udc00\ud800',
  'a\u0000b',
  '\u0000',
  { en: '\u0000' },
];
// Values some fields take and others refuse: null in an optional field among them.
const ODD_VALUES: unknown[] = [
  null,
  {},
  [],
  [null],
  '',
  ' ',
  0,
  -1,
  1.5,
  1e21,
  true,
  'x',
  'x'.repeat(5000),
  '\u202e',
  '2027-02-30',
  'NaN',
];
const BAD_KEYS = ['\u0000', '\ud800', 'a\u0000'];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const planting = fc.oneof(
  fc.constantFrom(...NEVER_VALID).map((value) => ({ value, neverValid: true, key: undefined as string | undefined })),
  oddText
    .filter((t) => LONE_SURROGATE.test(t) || t.includes('\u0000'))
    .map((value) => ({ value, neverValid: true, key: undefined as string | undefined })),
  fc.constantFrom(...ODD_VALUES).map((value) => ({ value, neverValid: false, key: undefined as string | undefined })),
  fc
    .constantFrom(...BAD_KEYS)
    .map((key) => ({ value: 1 as unknown, neverValid: true, key: key as string | undefined })),
);

const LIST_SORTS = ['created', 'title', 'requested', 'reference'];
const encodeCursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
// Raw query text: percent-encoded bytes that are not UTF-8 (a lone surrogate written as CESU-8, a stray byte).
const RAW_QUERY_VALUES = ['%ED%A0%80', '%FF', '%00', '%C0%80'];
const GENERIC_QUERY_VALUES = [
  '\u0000',
  'a\u0000',
  'abc',
  '1e400',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  '',
  ' ',
  'x'.repeat(600),
  'submitted,more_info',
  ',',
  'draft,\u0000',
  '00000000-0000-4000-8000-000000000000',
  'not-a-uuid',
  'ky',
  'html',
  'dead',
  'review',
  ...LIST_SORTS,
  'asc',
  'desc',
];
// The query parameters each list reads; any route also gets one it does not know.
const QUERY_KEYS: Record<string, string[]> = {
  '/applications': ['callId', 'state', 'municipality', 'q', 'sort', 'order', 'limit', 'cursor'],
  '/notifications': ['status', 'subjectType', 'subjectId', 'limit', 'before'],
  '/calls/{callId}/ranking': ['rankBy', 'minimumScore', 'maxAwardsPerMunicipality'],
  '/applications/{id}/status': ['locale'],
  '/notifications/preview/{message}': ['locale', 'format'],
};
// The sign-in link's page (GET /auth/sign-in) is a web page, not the API's: test/web-pages.e2e-spec.ts sends it odd tokens.

const RAW_BODIES = [
  '{"__proto__":{"polluted":true},"type":"PUBLISH"}',
  '{"constructor":{"prototype":{"polluted":true}},"type":"CANCEL","reason":"x"}',
  '{"type":"SUBMIT"',
  'null',
  '[]',
  '"PUBLISH"',
  '{"type":"CANCEL","reason":"\\u0000"}',
];

describe('random JSON at every write route', () => {
  let h: Harness;
  let tokens: string[];
  let ids: Record<string, string>;
  let writeRoutes: string[];
  let readRoutes: string[];
  let targets: Target[];
  let reads: [auth: string, url: string][];
  let cursors: string[];

  const totalRows = async () => {
    const parts = TABLES.map((t) => `(select count(*) from ${t})`).join(' + ');
    const [row] = await sqlRows<{ n: string }>(h.orm.em.fork(), `select ${parts} as n`, []);
    return Number(row.n);
  };

  beforeAll(async () => {
    // Generous invitation limits, so every run reaches the members route rather than its daily limit.
    h = await startHarness({ MEMBER_INVITES_PER_GROUP_PER_DAY: '100000', MEMBER_INVITES_PER_PERSON_PER_DAY: '100000' });
    const manager = (await h.user('manager')).auth;
    const applicantUser = await h.user('applicant');
    const applicant = applicantUser.auth;
    const committee = await h.user('committee');
    tokens = [manager, applicant, (await h.user('finance')).auth, committee.auth];
    const callId = await openCall(h, manager);
    const applicationId = await submittedApplication(h, callId, applicant);
    await send(h, manager, `/applications/${applicationId}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, manager, `/calls/${callId}`, { type: 'CLOSE' });
    await h
      .http()
      .put(`/calls/${callId}/committee`)
      .set('authorization', manager)
      .send({ members: [{ userId: committee.id, chair: true }] })
      .expect(200);
    await send(h, manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await h
      .http()
      .post(`/calls/${callId}/conflicts`)
      .set('authorization', committee.auth)
      .send({ items: [{ applicationId, conflicted: false }] })
      .expect(200);
    const review = await h
      .http()
      .post(`/applications/${applicationId}/reviewers`)
      .set('authorization', manager)
      .send({ to: committee.id })
      .expect(200);
    await send(h, manager, `/applications/${applicationId}`, {
      type: 'AWARD',
      amount: '2000.00',
      reason: 'The transport line is covered by the aiyl okmotu',
    });
    const tranche = await h
      .http()
      .post(`/applications/${applicationId}/tranches`)
      .set('authorization', manager)
      .send({ amount: '1000.00' })
      .expect(201);
    const report = await h
      .http()
      .post(`/applications/${applicationId}/reports`)
      .set('authorization', manager)
      .send({ kind: 'interim', dueAt: '2027-03-01T00:00:00Z', overdueAt: '2027-03-15T00:00:00Z' })
      .expect(201);
    await h.app.get(MailWorker).drain();
    const [mail] = await sqlRows<{ id: string }>(h.orm.em.fork(), 'select id from notification limit 1', []);
    const otherUser = await h.user('applicant');
    ids = {
      calls: callId,
      applications: applicationId,
      tranches: tranche.body.id,
      reports: report.body.id,
      notifications: mail.id,
      groups: otherUser.groupId as string,
      users: otherUser.id,
      reviews: review.body.added[0].reviewId,
    };
    const doc = await h.http().get('/openapi.json').expect(200);
    writeRoutes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      WRITE_METHODS.filter((m) => m in ops).map((m) => `${m} ${path}`),
    );
    readRoutes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      'get' in ops ? [path] : [],
    );

    // A draft call, an open call with an application sent back for more information, and the list's cursors.
    const draftCallId = await createCall(h, manager);
    const openCallId = await openCall(h, manager);
    const moreInfoId = await submittedApplication(h, openCallId, otherUser.auth);
    await send(h, manager, `/applications/${moreInfoId}`, {
      type: 'REQUEST_INFO',
      questions: ['Which school is it for?'],
    });
    cursors = [];
    for (const sort of LIST_SORTS) {
      const page = await h.http().get(`/applications?limit=1&sort=${sort}`).set('authorization', manager).expect(200);
      const cursor = page.body.nextCursor as string;
      const [value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
      cursors.push(
        cursor,
        encodeCursor([value, '-'.repeat(36)]),
        encodeCursor([value, 'ffffffff-ffff-ffff-ffff-ffffffffffff']),
        encodeCursor([value, id, 'x']),
      );
      for (const odd of [
        'abc',
        '1e400',
        '-1',
        '1.5',
        '99999999999999999999999',
        'not a date',
        '2026-02-30T25:00:00Z',
        '+275760-09-13T00:00:00.001Z',
        '\u0000',
        '\ud800',
        '',
      ]) {
        cursors.push(encodeCursor([odd, id]));
      }
    }
    cursors.push(
      encodeCursor([1, ids.applications]),
      encodeCursor({}),
      encodeCursor(null),
      encodeCursor('x'),
      'not base64!',
      '\u0000',
      Buffer.from('\u0000').toString('base64url'),
    );

    let invited = 0;
    const fresh = () => `fuzz-${++invited}@example.test`;
    targets = [
      { method: 'post', path: '/calls', auth: manager, body: () => pilotCall(), nullable: /^composition$/ },
      {
        method: 'post',
        path: `/calls/${draftCallId}/events`,
        auth: manager,
        body: () => ({ type: 'UPDATE', ...pilotCall() }),
        nullable: /^composition$/,
      },
      { method: 'post', path: `/calls/${openCallId}/applications`, auth: applicant, body: () => proposal() },
      {
        method: 'post',
        path: `/applications/${moreInfoId}/events`,
        auth: otherUser.auth,
        body: () => ({ type: 'UPDATE_DRAFT', ...proposal() }),
      },
      {
        method: 'post',
        path: `/applications/${moreInfoId}/events`,
        auth: otherUser.auth,
        body: () => ({ type: 'RESUBMIT', answers: ['School no. 2'] }),
      },
      {
        method: 'post',
        path: `/calls/${openCallId}/screening`,
        auth: manager,
        body: () => ({ items: [{ applicationId: moreInfoId, type: 'REQUEST_INFO', questions: ['Which school?'] }] }),
      },
      {
        method: 'post',
        path: `/calls/${callId}/decisions`,
        auth: manager,
        body: () => ({ items: [{ applicationId, type: 'AWARD', amount: '2000.00', reason: 'As agreed' }] }),
      },
      {
        method: 'post',
        path: `/calls/${callId}/conflicts`,
        auth: committee.auth,
        body: () => ({ items: [{ applicationId, conflicted: false }] }),
      },
      {
        method: 'post',
        path: `/applications/${applicationId}/conflict`,
        auth: committee.auth,
        body: () => ({ conflicted: false }),
      },
      {
        method: 'put',
        path: `/calls/${callId}/committee`,
        auth: manager,
        body: () => ({ members: [{ userId: committee.id, chair: true }] }),
      },
      {
        method: 'put',
        path: `/calls/${callId}/committee/visibility`,
        auth: committee.auth,
        body: () => ({ scoresHiddenUntilComplete: false }),
      },
      {
        method: 'post',
        path: `/reviews/${ids.reviews}/events`,
        auth: committee.auth,
        body: () => ({
          type: 'SAVE',
          scores: [4, 3, 5],
          comments: ['Clear need', 'Realistic', 'Youth lead it'],
          overallComment: 'Fund it',
          recommendation: 'fund',
        }),
        nullable: /^(recommendation|scores\.\d+)$/,
      },
      {
        method: 'post',
        path: `/reviews/${ids.reviews}/reopen`,
        auth: committee.auth,
        body: () => ({ reason: 'Scores need a second look' }),
      },
      {
        method: 'post',
        path: `/applications/${applicationId}/reviewers`,
        auth: manager,
        body: () => ({ to: committee.id, reason: 'Balance the load' }),
      },
      {
        method: 'post',
        path: `/applications/${applicationId}/events`,
        auth: manager,
        body: () => ({ type: 'REJECT', reason: 'Out of budget' }),
      },
      {
        method: 'post',
        path: `/applications/${applicationId}/tranches`,
        auth: manager,
        body: () => ({ amount: '100.00', release: 'on_acceptance' }),
      },
      {
        method: 'post',
        path: `/applications/${applicationId}/reports`,
        auth: manager,
        body: () => ({ kind: 'final', dueAt: '2027-09-01T00:00:00Z', overdueAt: '2027-09-15T00:00:00Z' }),
      },
      {
        method: 'post',
        path: `/tranches/${ids.tranches}/events`,
        auth: tokens[2],
        body: () => ({ type: 'RECORD_PAYMENT', amount: '1000.00', reference: 'PAY-0001', paidOn: '2027-02-01' }),
      },
      {
        method: 'post',
        path: `/reports/${ids.reports}/events`,
        auth: manager,
        body: () => ({ type: 'REQUEST_REVISION', comments: ['Add the receipts'] }),
      },
      {
        method: 'post',
        path: '/groups',
        auth: applicant,
        body: () => ({ name: 'Zhazy parents', municipality: 'Zhazy', oblast: 'Issyk-Kul' }),
      },
      {
        method: 'post',
        path: `/groups/${applicantUser.groupId}/members`,
        auth: applicant,
        body: () => ({ email: fresh(), name: 'Aigul Osmonova', locale: 'ky' }),
      },
      {
        method: 'post',
        path: '/users',
        auth: manager,
        body: () => ({ email: fresh(), name: 'Nurlan Sadykov', role: 'finance', locale: 'ru' }),
      },
      { method: 'patch', path: '/me', auth: applicant, body: () => ({ locale: 'ru', name: 'Aigul' }) },
    ];
    // Pages that read what those writes stored: none of them may break on what a write let through.
    reads = [
      [manager, `/calls/${openCallId}/screening`],
      [manager, `/applications/${moreInfoId}/screening`],
      [otherUser.auth, `/applications/${moreInfoId}/status`],
      [otherUser.auth, `/applications/${moreInfoId}`],
      [manager, `/calls/${draftCallId}`],
      [manager, `/calls/${callId}/review`],
      [manager, `/applications?callId=${openCallId}`],
      [applicant, '/me'],
      [applicant, '/groups'],
      [manager, '/users'],
      [manager, '/calls'],
    ];
  });
  afterAll(() => h.close());

  /** A concrete path: the route's own resource id, another resource's id, a random uuid, or junk. */
  const concretePath = (route: string, pick: number) =>
    route.split(' ')[1].replace(/\{(\w+)\}/g, (_, param: string) => {
      const own = ids[route.split(' ')[1].split('/')[1]];
      const byParam: Record<string, string> = { callId: ids.calls, applicationId: ids.applications };
      const choices = [byParam[param] ?? own, own, ids.reports, '00000000-0000-4000-8000-000000000000', 'not-a-uuid'];
      return choices[pick % choices.length];
    });

  it('covers every write route the API documents', () => {
    expect(writeRoutes.sort()).toEqual(
      [
        'patch /me',
        'post /applications/{applicationId}/conflict',
        'post /applications/{applicationId}/reports',
        'post /applications/{applicationId}/tranches',
        'post /applications/{id}/events',
        'post /applications/{id}/attachments',
        'post /applications/{id}/reviewers',
        'post /calls/{callId}/assignments',
        'post /calls/{callId}/conflicts',
        'post /calls/{callId}/decisions',
        'post /reviews/{id}/events',
        'post /reviews/{id}/reopen',
        'post /setup',
        'put /calls/{callId}/committee/visibility',
        'delete /applications/{id}/attachments/{attachmentId}',
        'post /calls/{callId}/screening',
        'post /auth/login-link',
        'post /auth/logout',
        'post /auth/session',
        'post /calls',
        'post /calls/{callId}/applications',
        'post /calls/{id}/events',
        'post /groups',
        'post /groups/{id}/members',
        'post /notifications/{id}/retry',
        'post /reports/{id}/events',
        'post /tranches/{id}/events',
        'post /users',
        'post /users/{id}/sessions/revoke',
        'put /calls/{callId}/committee',
        'put /applications/{id}/bank-details',
      ].sort(),
    );
  });

  it('never answers 5xx, and a refused request writes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writeRoutes), body, fc.nat(), fc.nat(), async (route, payload, pick, who) => {
        const before = await totalRows();
        const http = h.http();
        const res = await http[methodOf(route)](concretePath(route, pick))
          .set('authorization', tokens[who % tokens.length])
          .set('content-type', 'application/json')
          .send(JSON.stringify(payload) ?? 'null');
        expectBelow500(res, `${route} ${JSON.stringify(payload)}`);
        expectNamedFields(res, `${route} ${JSON.stringify(payload)}`);
        if (res.status >= 400) {
          expect(res.body.error.code).toEqual(expect.any(String));
          expect(await totalRows()).toBe(before);
        }
      }),
      { numRuns: 400, seed: 1201 },
    );
  });

  it('answers malformed and prototype-polluting bodies with a 4xx and pollutes nothing', async () => {
    for (const route of writeRoutes.filter((r) => !BODYLESS.includes(r))) {
      for (const raw of RAW_BODIES) {
        const before = await totalRows();
        const agent = h.http();
        const res = await agent[methodOf(route)](concretePath(route, 0))
          .set('authorization', tokens[0])
          .set('content-type', 'application/json')
          .send(raw);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.correlationId).toEqual(res.headers['x-correlation-id']);
        expect(await totalRows()).toBe(before);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  /**
   * Sends `body` to the target: never a 5xx; a 400 names its fields; a value no field takes is refused,
   * naming the field it was planted in; and after a write it let through, every page still reads.
   */
  async function tryBody(target: Target, body: object, path: Path, neverValid: boolean): Promise<number> {
    const res = await h.http()[target.method](target.path).set('authorization', target.auth).send(body);
    // Named by the route and what was planted where, the rest of the body being the target's own.
    const request = `${target.method.toUpperCase()} ${target.path} with ${path.join('.') || '(body)'}=${JSON.stringify(valueAt(body, path))?.slice(0, 60)}`;
    expectBelow500(res, request);
    const fields = expectNamedFields(res, request);
    if (neverValid) {
      if (res.status < 400) throw new Error(`${request} answered ${res.status}: taken`);
      if (res.status === 400 && path.length > 0 && !fields.some((f) => f.split(/[.[]/)[0] === String(path[0]))) {
        throw new Error(`${request} refused ${fields.join(', ')}, not ${path.join('.')}`);
      }
    }
    if (res.status < 300) {
      const created =
        res.body.id && target.path === '/calls' ? [[target.auth, `/calls/${res.body.id}`] as [string, string]] : [];
      for (const [auth, url] of [...reads, ...created])
        expectBelow500(await h.http().get(url).set('authorization', auth), `GET ${url} after ${request}`);
    }
    return res.status;
  }

  /** Runs every case of a sweep, and reports all that failed rather than the first. */
  async function sweep(cases: (() => Promise<unknown>)[]): Promise<void> {
    const failures: string[] = [];
    for (const run of cases) {
      try {
        await run();
      } catch (error) {
        failures.push((error as Error).message.replace(/\s+/g, ' ').slice(0, 400));
      }
    }
    expect({ cases: cases.length, failed: failures.length, first: failures.slice(0, 30) }).toEqual({
      cases: cases.length,
      failed: 0,
      first: [],
    });
  }

  const valueAt = (body: unknown, path: Path) =>
    path.reduce<unknown>((at, k) => (at as Record<string | number, unknown>)[k], body);

  it('refuses an array in place of every object and value, and NUL or half a surrogate pair in every text, naming the field', async () => {
    const cases: (() => Promise<unknown>)[] = [];
    for (const target of targets) {
      const base = target.body();
      for (const [i, path] of pathsOf(base).entries()) {
        const here = valueAt(base, path);
        // An array of objects gets an array among them; anything else is replaced by one.
        const nested = Array.isArray(here) && here.some(isPlainObject) ? [[]] : Array.isArray(here) ? [here] : [[here]];
        cases.push(() =>
          tryBody(
            target,
            plant(base, path, (holder, at) => void (holder[at] = nested)),
            path,
            true,
          ),
        );
        if (typeof here === 'string') {
          const bad = [`${here}\u0000`, `${here}\ud800`, `\udc00${here}`][i % 3];
          cases.push(() =>
            tryBody(
              target,
              plant(base, path, (holder, at) => void (holder[at] = bad)),
              path,
              true,
            ),
          );
        }
        if (isPlainObject(here))
          cases.push(() =>
            tryBody(
              target,
              plant(base, [...path, BAD_KEYS[i % BAD_KEYS.length]], (holder, at) => void (holder[at] = 1)),
              path,
              true,
            ),
          );
      }
    }
    await sweep(cases);
  });

  it('refuses null in every optional field, or takes it as the field documents, and every page still reads', async () => {
    const cases: (() => Promise<unknown>)[] = [];
    for (const target of targets) {
      const base = target.body();
      for (const path of pathsOf(base).filter((p) => p.length <= 2)) {
        cases.push(async () => {
          const status = await tryBody(
            target,
            plant(base, path, (holder, at) => void (holder[at] = null)),
            path,
            false,
          );
          if (status < 300 && !target.nullable?.test(path.join('.')))
            throw new Error(`${target.method} ${target.path} took null in ${path.join('.')}`);
        });
      }
    }
    await sweep(cases);
  });

  it('answers a bad value planted anywhere in a valid body with a 400 naming its field, and what it lets through reads back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), planting, async (which, where, { value, neverValid, key }) => {
        const target = targets[which % targets.length];
        const base = target.body();
        const paths =
          key === undefined ? pathsOf(base) : [[], ...pathsOf(base)].filter((p) => isPlainObject(valueAt(base, p)));
        const path = paths[where % paths.length];
        const body = plant(base, key === undefined ? path : [...path, key], (holder, at) => void (holder[at] = value));
        await tryBody(target, body, path, neverValid);
      }),
      { numRuns: 200, seed: 1202 },
    );
  });

  /** A read with a query: never a 5xx, and a 400 names what it refuses. */
  async function tryQuery(path: string, query: string, auth: string): Promise<void> {
    const res = await h.http().get(`${path}?${query}`).set('authorization', auth);
    expectBelow500(res, `GET ${path}?${query}`);
    expectNamedFields(res, `GET ${path}?${query}`);
  }

  const queryValue = (value: string) => (RAW_QUERY_VALUES.includes(value) ? value : encodeURIComponent(value));

  it('refuses odd values in every query parameter of every list, and every kind of bad cursor in every sort, naming the field', async () => {
    const concrete = (route: string) => concretePath(`get ${route}`, 0);
    const cases: (() => Promise<unknown>)[] = [];
    for (const [route, keys] of Object.entries(QUERY_KEYS)) {
      for (const key of keys) {
        for (const value of [
          '\u0000',
          'a\u0000',
          'abc',
          '1e400',
          '-1',
          'NaN',
          '2026-02-30T25:00:00Z',
          'x'.repeat(600),
          ...RAW_QUERY_VALUES,
        ]) {
          cases.push(() => tryQuery(concrete(route), `${key}=${queryValue(value)}`, tokens[0]));
        }
      }
    }
    for (const sort of LIST_SORTS) {
      for (const order of ['asc', 'desc']) {
        for (const cursor of cursors)
          cases.push(() =>
            tryQuery(
              '/applications',
              `sort=${sort}&order=${order}&limit=1&cursor=${encodeURIComponent(cursor)}`,
              tokens[0],
            ),
          );
      }
    }
    await sweep(cases);
  });

  it('answers odd query strings and cursors at every read route without a 5xx, naming what it refuses', async () => {
    const lists = Object.keys(QUERY_KEYS).filter((route) => readRoutes.includes(route));
    expect(lists).toHaveLength(Object.keys(QUERY_KEYS).length);
    const valuesFor = (key: string): string[] =>
      ({
        cursor: cursors,
        sort: LIST_SORTS,
        before: [ids.notifications],
        callId: [ids.calls],
        subjectId: [ids.applications],
      })[key]?.concat(GENERIC_QUERY_VALUES, RAW_QUERY_VALUES) ?? [...GENERIC_QUERY_VALUES, ...RAW_QUERY_VALUES];
    const route = fc.oneof(
      { arbitrary: fc.constant('/applications'), weight: 3 },
      { arbitrary: fc.constantFrom(...lists), weight: 2 },
      { arbitrary: fc.constantFrom(...readRoutes), weight: 1 },
    );
    await fc.assert(
      fc.asyncProperty(
        route,
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
        fc.nat(),
        fc.nat(),
        async (path, pairs, pick, who) => {
          const keys = [...(QUERY_KEYS[path] ?? []), 'junk'];
          const query = pairs
            .map(([k, v]) => {
              const name = keys[k % keys.length];
              const pool = valuesFor(name);
              const value = pool[v % pool.length];
              return `${name}=${queryValue(value)}`;
            })
            .join('&');
          const url = `${concretePath(`get ${path}`, pick)}?${query}`;
          const res = await h
            .http()
            .get(url)
            .set('authorization', tokens[who % tokens.length]);
          expectBelow500(res, `GET ${url}`);
          expectNamedFields(res, `GET ${url}`);
        },
      ),
      { numRuns: 300, seed: 1203 },
    );
  });
});
