import { Migration20261201000000_tranche_threshold } from '../src/migrations/Migration20261201000000_tranche_threshold';
import { sqlRows } from '../src/common/sql';
import { translate } from '../src/i18n/translate';
import type { AbstractSqlDriver } from '@mikro-orm/sql';
import supertest from 'supertest';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';

// The four-eyes rule on money: every tranche of a grant at or above the call's finance threshold
// needs two different finance officers before it can be paid, however small the tranche, and
// nothing a request says can lift it.

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

  const groupOf = new Map<string, TestUser>();

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
    groupOf.set(id, applicant);
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

  const pay = {
    type: 'RECORD_PAYMENT',
    amount: '2100.00',
    reference: 'KICB-2027-0042',
    paidOn: new Date().toISOString().slice(0, 10),
  };

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

  it('every tranche of a grant at or above the threshold needs two officers, however small; a smaller grant one', async () => {
    const large = await awarded('2500.00');
    const at = await requestedTranche(large, '2000.00');
    expect((await send(h, officerA.auth, `/tranches/${at}`, { type: 'APPROVE' })).body.state).toBe('partly_approved');
    // Splitting the rest into small payments does not avoid the second officer.
    const small = await requestedTranche(large, '499.99');
    expect((await send(h, officerA.auth, `/tranches/${small}`, { type: 'APPROVE' })).body.state).toBe(
      'partly_approved',
    );
    await send(h, officerA.auth, `/tranches/${small}`, { type: 'APPROVE' }, 409);
    expect((await send(h, officerB.auth, `/tranches/${small}`, { type: 'APPROVE' })).body.state).toBe('approved');
    const exactly = await requestedTranche(await awarded('2000.00'), '1000.00');
    expect((await send(h, officerA.auth, `/tranches/${exactly}`, { type: 'APPROVE' })).body.state).toBe(
      'partly_approved',
    );
    const below = await requestedTranche(await awarded('1999.99'), '1999.99');
    expect((await send(h, officerA.auth, `/tranches/${below}`, { type: 'APPROVE' })).body.state).toBe('approved');
  });

  it('a tranche released by a report is refused until that report is accepted, read when the request arrives', async () => {
    const application = await awarded('2500.00');
    const create = (body: Record<string, unknown>, status = 201) =>
      h.http().post(`/applications/${application}/tranches`).set('authorization', h.manager).send(body).expect(status);
    const later = (await create({ amount: '750.00', release: 'interim_report_accepted' })).body.id as string;
    const last = (await create({ amount: '250.00', release: 'final_report_accepted' })).body.id as string;

    const refused = await send(h, h.manager, `/tranches/${later}`, { type: 'REQUEST' }, 409);
    expect(refused.body.error.details.failedConditions).toEqual(['trancheConditionMet']);
    expect(refused.body.error.details.reasons).toEqual([
      expect.objectContaining({
        key: 'disbursement.trancheConditionMet',
        params: { report: { term: 'report.kind.interim' } },
      }),
    ]);
    expect(refused.body.error.message).toBe(
      'This payment is made only once the interim report is accepted, and it is not accepted yet.',
    );
    // A reader of Russian reads the report named in their language.
    expect(translate('ru', 'disbursement.trancheConditionMet', refused.body.error.details.reasons[0].params)).toBe(
      'Этот платёж выплачивается только после того, как принят промежуточный отчёт, а он ещё не принят.',
    );

    // The interim report, submitted early by the group and accepted by the manager.
    const report = (
      await h
        .http()
        .post(`/applications/${application}/reports`)
        .set('authorization', h.manager)
        .send({ kind: 'interim', dueAt: '2027-03-01T00:00:00Z', overdueAt: '2027-03-15T00:00:00Z' })
        .expect(201)
    ).body.id as string;
    await send(h, (groupOf.get(application) as TestUser).auth, `/reports/${report}`, { type: 'SUBMIT' });
    await send(h, h.manager, `/reports/${report}`, { type: 'ACCEPT' });

    expect((await send(h, h.manager, `/tranches/${later}`, { type: 'REQUEST' })).body.state).toBe('requested');
    const stillWaiting = await send(h, h.manager, `/tranches/${last}`, { type: 'REQUEST' }, 409);
    expect(stillWaiting.body.error.details.reasons).toEqual([
      expect.objectContaining({ params: { report: { term: 'report.kind.final' } } }),
    ]);
    // A condition the API does not know is a 400 naming the field.
    const unknown = await create({ amount: '100.00', release: 'when_asked' }, 400);
    expect(unknown.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['release']);
    const flag = await create({ amount: '100.00', conditionMet: true }, 400);
    expect(flag.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['conditionMet']);
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
    // A grant below the threshold, whose tranches were stored larger with a threshold of their own.
    const application = await awarded('1900.00');
    const waiting = await requestedTranche(application, '1500.00');
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
      /^This payment needs 2 approvals from different finance officers and has 1: every payment of a grant of EUR\s2,000\.00 or more needs two, and this grant is EUR\s2,100\.00\.$/,
    );
    expect((await sendThere(officerB.auth, waiting, { type: 'APPROVE' })).body.state).toBe('approved');
  });
});
