import { Migration20261201000000_tranche_threshold } from '../src/migrations/Migration20261201000000_tranche_threshold';
import { sqlRows } from '../src/common/sql';
import type { AbstractSqlDriver } from '@mikro-orm/sql';
import supertest from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';

// The four-eyes rule on money: a tranche at or above the call's finance threshold needs two
// different finance officers before it can be paid, and nothing a request says can lift it.

describe('four-eyes approval of tranches', () => {
  let h: Harness;
  let officerA: TestUser;
  let officerB: TestUser;

  beforeAll(async () => {
    h = await startHarness();
    officerA = await h.user('finance');
    officerB = await h.user('finance');
  });
  afterAll(() => h.close());

  /** An awarded application under a call whose finance threshold is EUR 2,000. */
  async function awarded(amount: string): Promise<string> {
    const call = await createCall(h, h.manager, { financeThreshold: '2000.00' });
    await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' });
    const applicant = await h.user('applicant');
    const id = (
      await h
        .http()
        .post(`/calls/${call}/applications`)
        .set('authorization', applicant.auth)
        .send(proposal('2500.00'))
        .expect(201)
    ).body.id;
    await send(h, applicant.auth, `/applications/${id}`, { type: 'SUBMIT' });
    await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${call}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${call}`, { type: 'START_REVIEW' });
    await send(h, h.manager, `/applications/${id}`, {
      type: 'AWARD',
      amount,
      reason: 'Part of the budget is covered by the aiyl okmotu',
    });
    return id;
  }

  async function requestedTranche(applicationId: string, amount: string): Promise<string> {
    const tranche = (
      await h
        .http()
        .post(`/applications/${applicationId}/tranches`)
        .set('authorization', h.manager)
        .send({ amount })
        .expect(201)
    ).body.id;
    await send(h, h.manager, `/tranches/${tranche}`, { type: 'REQUEST' });
    return tranche;
  }

  const pay = { type: 'RECORD_PAYMENT', reference: 'KICB-2027-0042', paidOn: new Date().toISOString().slice(0, 10) };

  it('a tranche above the threshold needs a second, different officer before it is paid', async () => {
    const tranche = await requestedTranche(await awarded('2100.00'), '2100.00');
    const first = await send(h, officerA.auth, `/tranches/${tranche}`, { type: 'APPROVE' });
    expect(first.body.state).toBe('partly_approved');
    await send(h, officerA.auth, `/tranches/${tranche}`, pay, 409);
    const again = await send(h, officerA.auth, `/tranches/${tranche}`, { type: 'APPROVE' }, 409);
    expect(again.body.error.details).toMatchObject({
      failedConditions: ['approverIsNotFirstApprover'],
      reasons: [{ key: 'disbursement.approverIsNotFirstApprover', params: {} }],
    });
    expect(again.body.error.message).toBe(
      'You have already approved this payment: a second, different finance officer must approve it.',
    );
    expect((await send(h, officerB.auth, `/tranches/${tranche}`, { type: 'APPROVE' })).body.state).toBe('approved');
    expect((await send(h, officerA.auth, `/tranches/${tranche}`, pay)).body.state).toBe('paid');
  });

  it('a tranche exactly at the threshold needs two officers too; one below it needs one', async () => {
    const application = await awarded('2500.00');
    const at = await requestedTranche(application, '2000.00');
    expect((await send(h, officerA.auth, `/tranches/${at}`, { type: 'APPROVE' })).body.state).toBe('partly_approved');
    const below = await requestedTranche(application, '499.99');
    expect((await send(h, officerA.auth, `/tranches/${below}`, { type: 'APPROVE' })).body.state).toBe('approved');
  });

  it('a tranche cannot carry a threshold of its own', async () => {
    const application = await awarded('2500.00');
    const res = await h
      .http()
      .post(`/applications/${application}/tranches`)
      .set('authorization', h.manager)
      .send({ amount: '2100.00', approvalThreshold: '99999.00' })
      .expect(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['approvalThreshold']);
  });

  it('a call cannot be published with a threshold above its maximum award', async () => {
    const call = await createCall(h, h.manager, { financeThreshold: '2500.01' });
    const res = await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' }, 409);
    expect(res.body.error.details.reasons).toEqual([
      expect.objectContaining({
        key: 'call.financeThresholdWithinMaxAward',
        params: { threshold: { money: 250_001, currency: 'EUR' }, maxAward: { money: 250_000, currency: 'EUR' } },
      }),
    ]);
    expect(res.body.error.message).toMatch(
      /^The finance threshold \(EUR\s2,500\.01\) must be more than zero and no more than the maximum award \(EUR\s2,500\.00\)/,
    );
  });

  it('tranches stored with a threshold of their own take the call’s when migrated, and are not paid on one approval', async () => {
    const application = await awarded('2500.00');
    const waiting = await requestedTranche(application, '2100.00');
    const approved = await requestedTranche(application, '300.00');
    await send(h, officerA.auth, `/tranches/${approved}`, { type: 'APPROVE' });
    // As a tranche made with "approvalThreshold": "99999.00" was stored, and approved by one officer.
    const em = h.orm.em.fork();
    await em.getConnection().execute(
      `update workflow_instance
          set snapshot = jsonb_set(jsonb_set(snapshot, '{context,approvalThresholdMinor}', '9999900'), '{context,amountMinor}', to_jsonb(210000))
        where subject_type = 'tranche' and subject_id in (?, ?)`,
      [waiting, approved],
    );
    await em.getConnection().execute(`update tranche set amount_minor = 210000 where id = ?`, [approved]);
    const migration = new Migration20261201000000_tranche_threshold(
      h.orm.em.getDriver() as AbstractSqlDriver,
      h.orm.config,
    );
    await migration.up();
    for (const sql of migration.getQueries()) await em.getConnection().execute(sql as string);
    const thresholds = await sqlRows<{ threshold: string }>(
      em,
      `select snapshot->'context'->>'approvalThresholdMinor' as threshold from workflow_instance where subject_type = 'tranche' and subject_id in (?, ?)`,
      [waiting, approved],
    );
    expect(thresholds.map((t) => Number(t.threshold))).toEqual([200_000, 200_000]);

    // This process keeps the instances it last wrote: a process started after the migration reads them anew.
    const after = await createApp(
      loadConfig({ LOG_LEVEL: 'silent', TIMER_POLL_MS: '0', MAIL_POLL_MS: '0' }),
      h.orm,
      h.pglite,
    );
    const sendThere = (auth: string, id: string, event: Record<string, unknown>, status = 200) =>
      supertest(after.getHttpServer())
        .post(`/tranches/${id}/events`)
        .set('authorization', auth)
        .send(event)
        .expect(status);
    expect((await sendThere(officerA.auth, waiting, { type: 'APPROVE' })).body.state).toBe('partly_approved');
    const unpaid = (await sendThere(officerA.auth, approved, pay, 409)).body.error;
    expect(unpaid.details.failedConditions).toEqual(['approvalsComplete']);
    expect(unpaid.message).toMatch(
      /^This payment needs 2 approvals from different finance officers \(payments from EUR\s2,000\.00 need two\) and has 1\.$/,
    );
    expect((await sendThere(officerB.auth, waiting, { type: 'APPROVE' })).body.state).toBe('approved');
  });
});
