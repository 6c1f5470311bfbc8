import { WorkflowInstance, TransitionLog, WorkflowTimer } from '../src/engine/engine.entities';
import { verifyLog } from '../src/engine/log-verifier';
import { TimerScheduler } from '../src/engine/timer.scheduler';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import supertest from 'supertest';
import { startHarness, type Harness } from './support/harness';
import { createCall, firedTimers, openCall, send, submittedApplication } from './support/fixtures';

describe('engine guarantees', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lets exactly one of 50 concurrent conflicting events commit; the others get 409, never a 500', async () => {
    const callId = await openCall(h, h.manager);
    const applicationId = await submittedApplication(h, callId, h.applicant);
    const { body } = await h.http().get(`/applications/${applicationId}`).set('authorization', h.manager).expect(200);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h
          .http()
          .post(`/applications/${applicationId}/events`)
          .set('authorization', h.manager)
          .set('if-match', String(body.version))
          .send(
            i % 2
              ? { type: 'SCREEN', decision: 'eligible' }
              : { type: 'SCREEN', decision: 'ineligible', reason: 'Not in the municipality' },
          ),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const em = h.orm.em.fork();
    const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'application', subjectId: applicationId });
    expect(instance.version).toBe(body.version + 1);
    expect(await em.count(TransitionLog, { instanceId: instance.id })).toBe(instance.version);
  });

  it('refuses UPDATE and DELETE on the transition log', async () => {
    const em = h.orm.em.fork();
    await expect(em.getConnection().execute(`update transition_log set reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(em.getConnection().execute(`delete from transition_log`)).rejects.toThrow(/append-only/);
  });

  it('verifies every hash chain and names the first broken row after tampering', async () => {
    const callId = await openCall(h, h.manager);
    await send(h, h.manager, `/calls/${callId}`, {
      type: 'EXTEND_DEADLINE',
      closesAt: new Date(Date.now() + 90 * 86400000).toISOString(),
    });
    const em = h.orm.em.fork();
    const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: callId });
    // A shared server database may hold chains other suites broke on purpose: look at this one.
    const breaksOf = async () => (await verifyLog(h.orm.em.fork())).breaks.filter((b) => b.instanceId === instance.id);
    expect(await breaksOf()).toEqual([]);
    const conn = em.getConnection();
    await conn.execute('alter table transition_log disable trigger transition_log_append_only');
    await conn.execute(
      `update transition_log set payload = '{"closesAt":"2030-01-01T00:00:00.000Z"}' where instance_id = ? and seq = 3`,
      [instance.id],
    );
    await conn.execute('alter table transition_log enable trigger transition_log_append_only');
    expect(await breaksOf()).toEqual([
      expect.objectContaining({ instanceId: instance.id, seq: 3, problem: 'hash does not match the row’s contents' }),
    ]);
  });

  it('fires a due timer once, even with two schedulers racing, and never before it is due', async () => {
    const callId = await createCall(h, h.manager, { closesAt: new Date(Date.now() + 60_000).toISOString() });
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    const scheduler = h.app.get(TimerScheduler);
    const em = h.orm.em.fork();
    const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: callId });
    const [timer] = await em.find(WorkflowTimer, { instanceId: instance.id });
    expect(timer).toMatchObject({ event: 'CLOSE', firedAt: null });

    await scheduler.fireDue(new Date(timer.dueAt.getTime() - 1));
    expect((await h.orm.em.fork().findOneOrFail(WorkflowInstance, { id: instance.id })).state).toBe('open');

    // A second process on the same database: a second app over the same ORM.
    const second = await createApp(
      loadConfig({ LOG_LEVEL: 'silent', TIMER_POLL_MS: '0', MAIL_POLL_MS: '0' }),
      h.orm,
      h.pglite,
    );
    const late = new Date(timer.dueAt.getTime() + 1000);
    await Promise.all([scheduler.fireDue(late), second.get(TimerScheduler).fireDue(late)]);
    expect(await firedTimers(h, 'call', callId, 'CLOSE')).toBe(1);
    const after = await h.orm.em.fork().findOneOrFail(WorkflowInstance, { id: instance.id });
    expect(after.state).toBe('closed');
    const history = await h.http().get(`/calls/${callId}/history`).set('authorization', h.manager).expect(200);
    expect(history.body.filter((r: { event: string }) => r.event === 'CLOSE')).toHaveLength(1);
    const reloaded = await h.orm.em.fork().findOneOrFail(WorkflowTimer, { id: timer.id });
    expect(reloaded.firedAt).not.toBeNull();
    expect(reloaded.outcome).toBe('open -> closed');
  });

  it('cancels a pending timer when the state that needed it is left', async () => {
    const callId = await openCall(h, h.manager);
    await send(h, h.manager, `/calls/${callId}`, { type: 'CANCEL', reason: 'Funding withdrawn' });
    const em = h.orm.em.fork();
    const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: callId });
    const timers = await em.find(WorkflowTimer, { instanceId: instance.id });
    expect(timers).toHaveLength(1);
    expect(timers[0].cancelledAt).not.toBeNull();
  });

  it('redoes from the database a transition this process computed on a copy another process outdated', async () => {
    const callId = await openCall(h, h.manager);
    const applicationId = await submittedApplication(h, callId, h.applicant);
    const path = `/applications/${applicationId}/events`;
    // Another process on the same database asks for more information.
    const other = await createApp(
      loadConfig({ LOG_LEVEL: 'silent', TIMER_POLL_MS: '0', MAIL_POLL_MS: '0' }),
      h.orm,
      h.pglite,
    );
    await supertest(other.getHttpServer())
      .post(path)
      .set('authorization', h.manager)
      .send({ type: 'REQUEST_INFO', questions: ['Who maintains the pump?'] })
      .expect(200);
    // This process last saw the application submitted, where RESUBMIT is not allowed.
    const res = await h
      .http()
      .post(path)
      .set('authorization', h.applicant)
      .send({ type: 'RESUBMIT', answers: ['The school committee.'] })
      .expect(200);
    expect(res.body).toMatchObject({ previousState: 'more_info', state: 'submitted', version: 4 });
    const history = await h
      .http()
      .get(`/applications/${applicationId}/history`)
      .set('authorization', h.manager)
      .expect(200);
    expect(history.body.map((r: { event: string }) => r.event)).toEqual([
      'START',
      'SUBMIT',
      'REQUEST_INFO',
      'RESUBMIT',
    ]);
    const instance = await h.orm.em
      .fork()
      .findOneOrFail(WorkflowInstance, { subjectType: 'application', subjectId: applicationId });
    expect((await verifyLog(h.orm.em.fork())).breaks.filter((b) => b.instanceId === instance.id)).toEqual([]);
  });
});
