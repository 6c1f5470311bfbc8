import fc from 'fast-check';
import { sqlRows } from '../src/common/sql';
import { MailWorker } from '../src/notifications/mail.worker';
import { startHarness, type Harness } from './support/harness';
import { openCall, send, submittedApplication } from './support/fixtures';

// Random JSON at every write route: whatever arrives, the answer is never a 5xx, and a refused
// request leaves every table as it was.

const TABLES = [
  'app_user', 'api_token', 'workflow_instance', 'transition_log', 'outbox', 'workflow_timer', 'call', 'application', 'tranche', 'report',
  'notification', 'programme', 'applicant_group', 'group_member', 'committee_member', 'conflict_declaration', 'login_link', 'user_session',
  'attachment', 'reference_counter', 'review',
];

const KEYS = [
  '__proto__', 'constructor', 'prototype', 'type', 'amount', 'reason', 'title', 'currency', 'budget', 'criteria', 'decision', 'facts', 'actor', 'at',
  'items', 'applicationId', 'questions', 'municipalities', 'composition', 'eligibilityAnswers', 'participants', 'unitCost', 'quantity',
  'scores', 'comments', 'recommendation', 'to', 'from', 'conflicted', 'scoresHiddenUntilComplete',
];

const EVENT_TYPES = ['PUBLISH', 'UPDATE', 'CANCEL', 'SUBMIT', 'SCREEN', 'AWARD', 'REQUEST', 'APPROVE', 'ACCEPT', 'DUE', 'REVIEW_STARTED', 'SAVE', 'REOPEN', 'WAITLIST', 'toString', '__proto__'];

const { value: jsonish } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 2 }),
    fc.string({ maxLength: 5000 }),
    fc.constant('\u0000'),
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
const BODYLESS = ['post /auth/logout', 'post /notifications/{id}/retry', 'post /users/{id}/sessions/revoke', 'post /calls/{callId}/assignments'];

const methodOf = (route: string) => route.split(' ')[0] as (typeof WRITE_METHODS)[number];

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

  const totalRows = async () => {
    const parts = TABLES.map((t) => `(select count(*) from ${t})`).join(' + ');
    const [row] = await sqlRows<{ n: string }>(h.orm.em.fork(), `select ${parts} as n`, []);
    return Number(row.n);
  };

  beforeAll(async () => {
    h = await startHarness();
    const manager = (await h.user('manager')).auth;
    const applicant = (await h.user('applicant')).auth;
    const committee = await h.user('committee');
    tokens = [manager, applicant, (await h.user('finance')).auth, committee.auth];
    const callId = await openCall(h, manager);
    const applicationId = await submittedApplication(h, callId, applicant);
    await send(h, manager, `/applications/${applicationId}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, manager, `/calls/${callId}`, { type: 'CLOSE' });
    await h.http().put(`/calls/${callId}/committee`).set('authorization', manager).send({ members: [{ userId: committee.id, chair: true }] }).expect(200);
    await send(h, manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await h.http().post(`/calls/${callId}/conflicts`).set('authorization', committee.auth).send({ items: [{ applicationId, conflicted: false }] }).expect(200);
    const review = await h.http().post(`/applications/${applicationId}/reviewers`).set('authorization', manager).send({ to: committee.id }).expect(200);
    await send(h, manager, `/applications/${applicationId}`, { type: 'AWARD', amount: '2000.00', reason: 'The transport line is covered by the aiyl okmotu' });
    const tranche = await h.http().post(`/applications/${applicationId}/tranches`).set('authorization', manager).send({ amount: '1000.00' }).expect(201);
    const report = await h
      .http()
      .post(`/applications/${applicationId}/reports`)
      .set('authorization', manager)
      .send({ kind: 'interim', dueAt: '2027-03-01T00:00:00Z', overdueAt: '2027-03-15T00:00:00Z' })
      .expect(201);
    await h.app.get(MailWorker).drain();
    const [mail] = await sqlRows<{ id: string }>(h.orm.em.fork(), 'select id from notification limit 1', []);
    const applicantUser = await h.user('applicant');
    ids = {
      calls: callId,
      applications: applicationId,
      tranches: tranche.body.id,
      reports: report.body.id,
      notifications: mail.id,
      groups: applicantUser.groupId as string,
      users: applicantUser.id,
      reviews: review.body.added[0].reviewId,
    };
    const doc = await h.http().get('/openapi.json').expect(200);
    writeRoutes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      WRITE_METHODS.filter((m) => m in ops).map((m) => `${m} ${path}`),
    );
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
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body.error.code).toEqual(expect.any(String));
          expect(await totalRows()).toBe(before);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('answers malformed and prototype-polluting bodies with a 4xx and pollutes nothing', async () => {
    for (const route of writeRoutes.filter((r) => !BODYLESS.includes(r))) {
      for (const raw of RAW_BODIES) {
        const before = await totalRows();
        const res = await h.http()[methodOf(route)](concretePath(route, 0)).set('authorization', tokens[0]).set('content-type', 'application/json').send(raw);
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.correlationId).toEqual(res.headers['x-correlation-id']);
        expect(await totalRows()).toBe(before);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
