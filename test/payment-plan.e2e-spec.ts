import { createCall, giveBankDetails, pilotCall, proposal, send } from './support/fixtures';
import { IdentityService } from '../src/identity/identity.service';
import { startHarness, type Harness, type TestUser } from './support/harness';

// A call's payment plan over HTTP: checked at PUBLISH, and turned into the grant's tranches in the
// same transaction as the group's acceptance, split exactly (whole soms in KGS). A tranche waits
// for the report its plan names, and none added by hand can take a planned tranche's share.

const PLAN_70_30 = [
  { sharePercent: 70, release: 'on_acceptance' },
  { sharePercent: 30, release: 'interim_report_accepted' },
];

interface TrancheRow {
  id: string;
  amount: string;
  currency: string;
  state: string;
  release: string;
  grantAmount: string;
  approvalThreshold: string;
  approvalsNeeded: number;
}

describe('a call’s payment plan', () => {
  let h: Harness;
  let officer: TestUser;

  beforeAll(async () => {
    h = await startHarness();
    officer = await h.user('finance');
  });
  afterAll(() => h.close());

  /** An application awarded `amount` under a published call with `terms`, and its group. */
  async function awarded(
    terms: Record<string, unknown>,
    requested: string,
    amount = requested,
    overrides: Record<string, unknown> = {},
  ) {
    const call = await createCall(h, h.manager, terms);
    await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' });
    const group = await h.user('applicant');
    const id = (
      await h
        .http()
        .post(`/calls/${call}/applications`)
        .set('authorization', group.auth)
        .send(proposal(requested, overrides))
        .expect(201)
    ).body.id as string;
    await send(h, group.auth, `/applications/${id}`, { type: 'SUBMIT' });
    await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${call}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${call}`, { type: 'START_REVIEW' });
    const reason = amount === requested ? {} : { reason: 'The aiyl okmotu covers the transport' };
    await send(h, h.manager, `/applications/${id}`, { type: 'AWARD', amount, ...reason });
    await giveBankDetails(h, group.auth, id);
    return { call, id, group };
  }

  const tranchesOf = async (id: string): Promise<TrancheRow[]> =>
    (await h.http().get(`/applications/${id}/tranches`).set('authorization', h.manager).expect(200)).body;

  it('keeps the plan a call is created with, and shows the default of one tranche on acceptance', async () => {
    const planned = await createCall(h, h.manager, { paymentPlan: PLAN_70_30 });
    const call = await h.http().get(`/calls/${planned}`).set('authorization', h.manager).expect(200);
    expect(call.body.paymentPlan).toEqual(PLAN_70_30);
    const plain = await createCall(h, h.manager);
    const byDefault = await h.http().get(`/calls/${plain}`).set('authorization', h.manager).expect(200);
    expect(byDefault.body.paymentPlan).toEqual([{ sharePercent: 100, release: 'on_acceptance' }]);
  });

  it('refuses to publish a plan whose shares do not sum to 100, saying so', async () => {
    const call = await createCall(h, h.manager, {
      paymentPlan: [
        { sharePercent: 70, release: 'on_acceptance' },
        { sharePercent: 20, release: 'interim_report_accepted' },
      ],
    });
    const refused = await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' }, 409);
    expect(refused.body.error.details.failedConditions).toEqual(['paymentPlanValid']);
    expect(refused.body.error.message).toBe('The payment plan is not ready: the shares must add up to 100%.');
    // Mended by UPDATE, it publishes.
    await send(h, h.manager, `/calls/${call}`, { type: 'UPDATE', paymentPlan: PLAN_70_30 });
    expect((await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' })).body.state).toBe('open');
  });

  it('answers 400 naming the field for a share or a condition it does not know', async () => {
    for (const paymentPlan of [
      [{ sharePercent: 100, release: 'when_asked' }],
      [{ sharePercent: 50.5, release: 'on_acceptance' }],
      [],
    ]) {
      const res = await h
        .http()
        .post('/calls')
        .set('authorization', h.manager)
        .send({ ...pilotCall(), paymentPlan })
        .expect(400);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)[0]).toMatch(/^paymentPlan/);
    }
  });

  it('starts the grant’s tranches when the group accepts: a reduced EUR award split 70/30 to the cent', async () => {
    const { id, group } = await awarded({ paymentPlan: PLAN_70_30, financeThreshold: '2000.00' }, '2500.00', '2100.01');
    expect(await tranchesOf(id)).toEqual([]);
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const tranches = await tranchesOf(id);
    expect(tranches.map((t) => [t.amount, t.currency, t.state, t.release])).toEqual([
      ['1470.01', 'EUR', 'scheduled', 'on_acceptance'],
      ['630.00', 'EUR', 'scheduled', 'interim_report_accepted'],
    ]);
    expect(tranches.map((t) => [t.grantAmount, t.approvalThreshold, t.approvalsNeeded])).toEqual([
      ['2100.01', '2000.00', 2],
      ['2100.01', '2000.00', 2],
    ]);

    // The first may be asked for now; the second waits for the interim report.
    const [first, second] = tranches;
    expect((await send(h, h.manager, `/tranches/${first.id}`, { type: 'REQUEST' })).body.state).toBe('requested');
    const waiting = await send(h, h.manager, `/tranches/${second.id}`, { type: 'REQUEST' }, 409);
    expect(waiting.body.error.details.failedConditions).toEqual(['trancheConditionMet']);
    // The grant is above the threshold: even its first tranche needs two officers.
    expect((await send(h, officer.auth, `/tranches/${first.id}`, { type: 'APPROVE' })).body.state).toBe(
      'partly_approved',
    );

    // A tranche added by hand cannot take the planned tranche's share while that one stands.
    const extra = (
      await h
        .http()
        .post(`/applications/${id}/tranches`)
        .set('authorization', h.manager)
        .send({ amount: '630.00' })
        .expect(201)
    ).body.id as string;
    const taken = await send(h, h.manager, `/tranches/${extra}`, { type: 'REQUEST' }, 409);
    expect(taken.body.error.details.failedConditions).toEqual(['withinRemainingAward']);
  });

  it('pays a KGS grant of the municipal fund in whole soms', async () => {
    const { id, group } = await awarded(
      {
        currency: 'KGS',
        budget: '200000.00',
        maxAward: '100000.00',
        financeThreshold: '50000.00',
        paymentPlan: [
          { sharePercent: 34, release: 'on_acceptance' },
          { sharePercent: 33, release: 'interim_report_accepted' },
          { sharePercent: 33, release: 'final_report_accepted' },
        ],
      },
      '33333.00',
    );
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const tranches = await tranchesOf(id);
    expect(tranches.map((t) => [t.amount, t.currency, t.release])).toEqual([
      ['11333.00', 'KGS', 'on_acceptance'],
      ['11000.00', 'KGS', 'interim_report_accepted'],
      ['11000.00', 'KGS', 'final_report_accepted'],
    ]);
  });

  it('starts no tranche for an award declined, and only one set for one accepted', async () => {
    const declined = await awarded({ paymentPlan: PLAN_70_30 }, '2000.00');
    await send(h, declined.group.auth, `/applications/${declined.id}`, { type: 'DECLINE_AWARD' });
    expect(await tranchesOf(declined.id)).toEqual([]);
    const accepted = await awarded({ paymentPlan: PLAN_70_30 }, '2000.00');
    await send(h, accepted.group.auth, `/applications/${accepted.id}`, { type: 'ACCEPT_AWARD' });
    await send(h, accepted.group.auth, `/applications/${accepted.id}`, { type: 'ACCEPT_AWARD' }, 409);
    expect((await tranchesOf(accepted.id)).map((t) => t.amount)).toEqual(['1400.00', '600.00']);
  });

  it('never speaks for more than the award, even with amendments racing on the server database', async () => {
    const { id, group } = await awarded({}, '2000.00');
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const [planned] = await tranchesOf(id);
    await send(h, h.manager, `/tranches/${planned.id}`, { type: 'CANCEL', reason: 'Paid in smaller parts instead' });
    // Ten tranches of EUR 100 by hand, requested and returned; then each amended to EUR 1,000 at once.
    const small: string[] = [];
    for (let i = 0; i < 10; i++) {
      const made = await h
        .http()
        .post(`/applications/${id}/tranches`)
        .set('authorization', h.manager)
        .send({ amount: '100.00' })
        .expect(201);
      small.push(made.body.id as string);
      await send(h, h.manager, `/tranches/${made.body.id}`, { type: 'REQUEST' });
      await send(h, officer.auth, `/tranches/${made.body.id}`, { type: 'REJECT', reason: 'Split differently' });
    }
    const answers = await Promise.all(
      small.map((t) =>
        h
          .http()
          .post(`/tranches/${t}/events`)
          .set('authorization', h.manager)
          .send({ type: 'AMEND_AND_REQUEST', amount: '1000.00' }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    // EUR 900 of the others stand; one amendment to EUR 1,000 fits the EUR 2,000 award, a second would not.
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);
    for (const refused of answers.filter((a) => a.status === 409))
      expect(refused.body.error.details.failedConditions).toEqual(['withinRemainingAward']);
    const standing = (await tranchesOf(id)).filter((t) => t.state !== 'cancelled');
    const total = standing.reduce((sum, t) => sum + Math.round(Number(t.amount) * 100), 0);
    expect(total).toBe(190_000);
  });

  it('records a payment of the whole tranche only; a failed one and one the bank returns are paid again', async () => {
    const { call, id, group } = await awarded({ financeThreshold: '2500.00' }, '1800.00', '1800.00', {
      title: '=HYPERLINK("http://evil.example/","Clean water")',
    });
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const [tranche] = await tranchesOf(id);
    const at = `/tranches/${tranche.id}`;
    await send(h, h.manager, at, { type: 'REQUEST' });
    expect((await send(h, officer.auth, at, { type: 'APPROVE' })).body.state).toBe('approved');
    const today = new Date().toISOString().slice(0, 10);
    const pay = (amount: string, reference: string, status = 200) =>
      send(h, officer.auth, at, { type: 'RECORD_PAYMENT', amount, reference, paidOn: today }, status);

    const part = await pay('1000.00', 'KICB-2027-0100', 409);
    expect(part.body.error.details.failedConditions).toEqual(['paymentIsTheTranche']);
    expect(part.body.error.message).toMatch(
      /^A payment is recorded for the whole tranche: EUR\s1,000\.00 was given, the tranche is EUR\s1,800\.00\.$/,
    );
    await send(h, officer.auth, at, { type: 'PAYMENT_FAILED', reason: 'The bank refused the account number' });
    expect((await pay('1800.00', 'KICB-2027-0101')).body.state).toBe('paid');
    expect((await send(h, officer.auth, at, { type: 'RETURN', reason: 'The account was closed' })).body.state).toBe(
      'returned',
    );
    const again = await pay('1800.00', 'KICB-2027-0102');
    expect(again.body.state).toBe('paid');
    const [shown] = await tranchesOf(id);
    expect(shown).toMatchObject({ state: 'paid', paymentReference: 'KICB-2027-0102', paidOn: today });

    // The call's payments as CSV, for the officer's bank and books.
    const csv = await h.http().get(`/calls/${call}/payments.csv`).set('authorization', officer.auth).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="payments-${call}.csv"`);
    const [header, row] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(header).toBe(
      'reference,project,group,municipality,tranche,release,amount,currency,state,approvals,payment reference,paid on',
    );
    expect(row).toMatch(/^KG-\d{4}-\d{4},"?'=HYPERLINK\(/);
    expect(row).toContain(`,1,on_acceptance,1800.00,EUR,paid,1/1,KICB-2027-0102,${today}`);
  });

  it('cancels every tranche not yet paid when the grant is ended early, and keeps the one paid', async () => {
    const halves = [
      { sharePercent: 50, release: 'on_acceptance' },
      { sharePercent: 50, release: 'on_acceptance' },
    ];
    const { id, group } = await awarded({ financeThreshold: '2500.00', paymentPlan: halves }, '2000.00');
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const [first, second] = await tranchesOf(id);
    const today = new Date().toISOString().slice(0, 10);
    await send(h, h.manager, `/tranches/${first.id}`, { type: 'REQUEST' });
    await send(h, officer.auth, `/tranches/${first.id}`, { type: 'APPROVE' });
    await send(h, officer.auth, `/tranches/${first.id}`, {
      type: 'RECORD_PAYMENT',
      amount: '1000.00',
      reference: 'KICB-2027-0200',
      paidOn: today,
    });
    await send(h, h.manager, `/tranches/${second.id}`, { type: 'REQUEST' });
    await send(h, officer.auth, `/tranches/${second.id}`, { type: 'APPROVE' });

    const reason = 'The group dissolved before the project began';
    await send(h, h.manager, `/applications/${id}`, { type: 'TERMINATE', reason });
    expect((await tranchesOf(id)).map((t) => t.state)).toEqual(['paid', 'cancelled']);
    const history = await h.http().get(`/tranches/${second.id}/history`).set('authorization', h.manager).expect(200);
    expect(history.body.at(-1)).toMatchObject({ event: 'CANCEL', from: 'approved', to: 'cancelled', reason });
    const late = { type: 'RECORD_PAYMENT', amount: '1000.00', reference: 'KICB-2027-0201', paidOn: today };
    await send(h, officer.auth, `/tranches/${second.id}`, late, 409);
  });

  it('queues a tranche for each officer who may still approve it, and for no one else', async () => {
    const second = await h.user('finance');
    const elsewhere = await h.app.get(IdentityService).ensureProgramme('The municipal fund of Zhazy');
    const outsider = await h.user('finance', { programmeId: elsewhere.id });
    const { id, group } = await awarded({ financeThreshold: '2000.00' }, '2500.00');
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const [tranche] = await tranchesOf(id);
    const queueOf = async (who: TestUser) =>
      (
        (await h.http().get('/finance/queue').set('authorization', who.auth).expect(200)).body as {
          trancheId: string;
          state: string;
          approvalsNeeded: number;
          approvalsGiven: number;
          requestedByName: string | null;
          amount: string;
          reference: string;
        }[]
      ).filter((q) => q.trancheId === tranche.id);
    expect(await queueOf(officer)).toEqual([]);
    await send(h, h.manager, `/tranches/${tranche.id}`, { type: 'REQUEST' });
    const [waiting] = await queueOf(officer);
    expect(waiting).toMatchObject({ state: 'requested', amount: '2500.00', approvalsNeeded: 2, approvalsGiven: 0 });
    expect(waiting.requestedByName).toEqual(expect.any(String));
    expect(waiting.reference).toMatch(/^KG-\d{4}-\d{4}$/);

    await send(h, officer.auth, `/tranches/${tranche.id}`, { type: 'APPROVE' });
    expect(await queueOf(officer)).toEqual([]);
    expect(await queueOf(second)).toEqual([expect.objectContaining({ state: 'partly_approved', approvalsGiven: 1 })]);
    expect(await queueOf(outsider)).toEqual([]);
    await send(h, second.auth, `/tranches/${tranche.id}`, { type: 'APPROVE' });
    expect(await queueOf(second)).toEqual([]);
    await h.http().get('/finance/queue').set('authorization', h.manager).expect(403);
  });
});
