import { IdentityService } from '../src/identity/identity.service';
import { sqlRows } from '../src/common/sql';
import { verifyLedger, type LedgerDifference } from '../src/ledger/ledger-verifier';
import { createCall, giveBankDetails, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';

// The ledger over HTTP: every money movement written with the transition that causes it, balances
// summed from the rows per call and grant, a EUR programme and a KGS fund kept apart, the programme's
// rows as CSV, rows that cannot be changed, and verify-ledger finding a row changed behind the trigger.

const PLAN_70_30 = [
  { sharePercent: 70, release: 'on_acceptance' },
  { sharePercent: 30, release: 'interim_report_accepted' },
];

interface Staff {
  programmeId: string;
  manager: TestUser;
  officers: [TestUser, TestUser];
}

describe('the ledger', () => {
  let h: Harness;
  let eur: Staff;
  let kgs: Staff;
  const subjects = new Set<string>();
  const today = new Date().toISOString().slice(0, 10);

  async function staff(name: string): Promise<Staff> {
    const programme = await h.app.get(IdentityService).ensureProgramme(`${name} ${Date.now()}`);
    const of = { programmeId: programme.id };
    return {
      programmeId: programme.id,
      manager: await h.user('manager', of),
      officers: [await h.user('finance', of), await h.user('finance', of)],
    };
  }

  /** A published call of `s`'s programme and one application of it awarded `amount` per entry. */
  async function callWithAwards(s: Staff, terms: Record<string, unknown>, amounts: string[]) {
    const m = s.manager.auth;
    const call = await createCall(h, m, terms);
    await send(h, m, `/calls/${call}`, { type: 'PUBLISH' });
    subjects.add(`call ${call}`);
    const applications: { id: string; group: TestUser }[] = [];
    for (const amount of amounts) {
      const group = await h.user('applicant');
      const created = await h
        .http()
        .post(`/calls/${call}/applications`)
        .set('authorization', group.auth)
        .send(proposal(amount, { title: '=HYPERLINK("http://evil.example/","Clean water")' }))
        .expect(201);
      const id = created.body.id as string;
      await send(h, group.auth, `/applications/${id}`, { type: 'SUBMIT' });
      await send(h, m, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
      applications.push({ id, group });
      subjects.add(`application ${id}`);
    }
    await send(h, m, `/calls/${call}`, { type: 'CLOSE' });
    await send(h, m, `/calls/${call}`, { type: 'START_REVIEW' });
    for (const [i, { id }] of applications.entries())
      await send(h, m, `/applications/${id}`, { type: 'AWARD', amount: amounts[i] });
    return { call, applications };
  }

  async function tranchesOf(s: Staff, id: string): Promise<{ id: string; amount: string }[]> {
    const list = await h.http().get(`/applications/${id}/tranches`).set('authorization', s.manager.auth).expect(200);
    for (const t of list.body) subjects.add(`tranche ${t.id}`);
    return list.body;
  }

  /** Requested by the manager, approved by as many officers as it needs, paid. */
  async function pay(s: Staff, trancheId: string, amount: string, reference: string) {
    const at = `/tranches/${trancheId}`;
    await send(h, s.manager.auth, at, { type: 'REQUEST' });
    let state = (await send(h, s.officers[0].auth, at, { type: 'APPROVE' })).body.state;
    if (state === 'partly_approved') state = (await send(h, s.officers[1].auth, at, { type: 'APPROVE' })).body.state;
    expect(state).toBe('approved');
    await send(h, s.officers[0].auth, at, { type: 'RECORD_PAYMENT', amount, reference, paidOn: today });
  }

  const ledgerOf = async (s: Staff, call: string) =>
    (await h.http().get(`/calls/${call}/ledger`).set('authorization', s.officers[0].auth).expect(200)).body;

  /** Differences about this suite's records: the server database also holds other suites'. */
  const ours = (differences: LedgerDifference[]) => differences.filter((d) => subjects.has(d.subject));

  beforeAll(async () => {
    h = await startHarness();
    eur = await staff('Social initiatives');
    kgs = await staff('The municipal fund of Zhazy');
  });
  afterAll(() => h.close());

  it('writes each movement with its transition and sums a call’s and each grant’s balance from them', async () => {
    const { call, applications } = await callWithAwards(eur, { paymentPlan: PLAN_70_30, financeThreshold: '2500.00' }, [
      '2500.00',
      '2000.00',
      '1500.00',
    ]);
    const [kept, declined, ended] = applications;
    // Nothing is paid before acceptance; a decline frees its whole award.
    await send(h, declined.group.auth, `/applications/${declined.id}`, { type: 'DECLINE_AWARD' });
    await giveBankDetails(h, kept.group.auth, kept.id);
    await send(h, kept.group.auth, `/applications/${kept.id}`, { type: 'ACCEPT_AWARD' });
    await giveBankDetails(h, ended.group.auth, ended.id);
    await send(h, ended.group.auth, `/applications/${ended.id}`, { type: 'ACCEPT_AWARD' });

    // The first grant is at the threshold: two officers approve; its payment comes back once and is paid again.
    const [first] = await tranchesOf(eur, kept.id);
    await pay(eur, first.id, '1750.00', 'KICB-2027-0300');
    await send(h, eur.officers[0].auth, `/tranches/${first.id}`, { type: 'RETURN', reason: 'The account was closed' });
    await send(h, eur.officers[0].auth, `/tranches/${first.id}`, {
      type: 'RECORD_PAYMENT',
      amount: '1750.00',
      reference: 'KICB-2027-0301',
      paidOn: today,
    });
    // The third is paid its first tranche, then ended early: what it was not paid goes back.
    const [endedFirst] = await tranchesOf(eur, ended.id);
    await pay(eur, endedFirst.id, '1050.00', 'KICB-2027-0302');
    await send(h, eur.manager.auth, `/applications/${ended.id}`, {
      type: 'TERMINATE',
      reason: 'The group dissolved halfway',
    });
    await tranchesOf(eur, declined.id);

    const ledger = await ledgerOf(eur, call);
    expect(ledger.balance).toEqual({
      currency: 'EUR',
      budget: '12500.00',
      committed: '3550.00',
      disbursed: '2800.00',
      refunded: '0.00',
      available: '8950.00',
    });
    const grant = (id: string) => ledger.grants.find((g: { applicationId: string }) => g.applicationId === id);
    expect(grant(kept.id)).toMatchObject({ awarded: '2500.00', paid: '1750.00', outstanding: '750.00' });
    expect(grant(declined.id)).toMatchObject({ awarded: '0.00', paid: '0.00', outstanding: '0.00' });
    expect(grant(ended.id)).toMatchObject({ awarded: '1050.00', paid: '1050.00', outstanding: '0.00' });
    expect(ledger.entries.map((e: { kind: string; amount: string }) => `${e.kind} ${e.amount}`)).toEqual([
      'budgeted 12500.00',
      'committed 2500.00',
      'committed 2000.00',
      'committed 1500.00',
      'released 2000.00',
      'disbursed 1750.00',
      'returned 1750.00',
      'disbursed 1750.00',
      'disbursed 1050.00',
      'released 450.00',
    ]);

    // Each row belongs to the transition that moved the money, and to nothing else.
    const rows = await sqlRows<{ event_type: string; kind: string }>(
      h.orm.em.fork(),
      `select log.event_type, l.kind from ledger_entry l
         join transition_log log on log.instance_id = l.instance_id and log.seq = l.seq
         join workflow_instance i on i.id = l.instance_id
        where i.subject_id = ? order by l.at`,
      [first.id],
    );
    expect(rows).toEqual([
      { event_type: 'RECORD_PAYMENT', kind: 'disbursed' },
      { event_type: 'RETURN', kind: 'returned' },
      { event_type: 'RECORD_PAYMENT', kind: 'disbursed' },
    ]);
    expect(ours((await verifyLedger(h.orm.em.fork())).differences)).toEqual([]);
  });

  it('keeps a KGS fund apart: its own balances in whole soms, never added to a EUR call', async () => {
    const kgsTerms = {
      currency: 'KGS',
      budget: '200000.00',
      maxAward: '50000.00',
      financeThreshold: '40000.00',
      paymentPlan: PLAN_70_30,
    };
    const { call, applications } = await callWithAwards(kgs, kgsTerms, ['35000.00']);
    const [{ id, group }] = applications;
    await giveBankDetails(h, group.auth, id);
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const [first, second] = await tranchesOf(kgs, id);
    expect([first.amount, second.amount]).toEqual(['24500.00', '10500.00']);
    await pay(kgs, first.id, '24500.00', 'AIYL-2027-0001');
    // A EUR call of the same fund: each currency keeps its own totals.
    const euro = await callWithAwards(kgs, { budget: '5000.00', maxAward: '2500.00' }, ['2500.00']);

    expect((await ledgerOf(kgs, call)).balance).toEqual({
      currency: 'KGS',
      budget: '200000.00',
      committed: '35000.00',
      disbursed: '24500.00',
      refunded: '0.00',
      available: '165000.00',
    });
    const programme = await h
      .http()
      .get(`/programmes/${kgs.programmeId}/ledger`)
      .set('authorization', kgs.manager.auth)
      .expect(200);
    expect(programme.body.currencies).toEqual([
      {
        currency: 'EUR',
        budget: '5000.00',
        committed: '2500.00',
        disbursed: '0.00',
        refunded: '0.00',
        available: '2500.00',
      },
      {
        currency: 'KGS',
        budget: '200000.00',
        committed: '35000.00',
        disbursed: '24500.00',
        refunded: '0.00',
        available: '165000.00',
      },
    ]);
    expect(programme.body.calls.map((c: { callId: string; currency: string }) => [c.callId, c.currency])).toEqual([
      [euro.call, 'EUR'],
      [call, 'KGS'],
    ]);
  });

  it('pays a tranche once when payments race for it, and the ledger holds that one payment', async () => {
    const { call, applications } = await callWithAwards(eur, { financeThreshold: '2500.00' }, ['2000.00']);
    const [{ id, group }] = applications;
    await giveBankDetails(h, group.auth, id);
    await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const [tranche] = await tranchesOf(eur, id);
    const at = `/tranches/${tranche.id}`;
    await send(h, eur.manager.auth, at, { type: 'REQUEST' });
    await send(h, eur.officers[0].auth, at, { type: 'APPROVE' });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        h
          .http()
          .post(`${at}/events`)
          .set('authorization', eur.officers[i % 2].auth)
          .send({ type: 'RECORD_PAYMENT', amount: '2000.00', reference: `KICB-2027-04${i}`, paidOn: today })
          .then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 200).every((s) => s === 409)).toBe(true);
    const ledger = await ledgerOf(eur, call);
    expect(ledger.balance).toMatchObject({ committed: '2000.00', disbursed: '2000.00' });
    expect(ledger.entries.filter((e: { kind: string }) => e.kind === 'disbursed')).toHaveLength(1);
  });

  it('gives the programme’s rows as CSV with applicant text neutralised, to its staff only', async () => {
    const csv = await h
      .http()
      .get(`/programmes/${eur.programmeId}/ledger.csv`)
      .set('authorization', eur.officers[1].auth)
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="ledger-${eur.programmeId}.csv"`);
    expect(csv.text.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = csv.text.slice(1).trim().split('\n');
    expect(header).toBe('at,kind,amount,currency,call,reference,project,tranche,event,transition');
    expect(rows).toHaveLength(13);
    const payment = rows.find((r) => r.includes(',disbursed,1050.00,EUR,'));
    expect(payment).toMatch(/,KG-\d{4}-\d{4},"?'=HYPERLINK\(/);
    expect(payment).toMatch(/,1,RECORD_PAYMENT,\d+$/);

    await h.http().get(`/programmes/${eur.programmeId}/ledger.csv`).set('authorization', kgs.manager.auth).expect(404);
    await h.http().get(`/programmes/${eur.programmeId}/ledger`).set('authorization', kgs.officers[0].auth).expect(404);
    const group = await h.user('applicant');
    await h.http().get(`/programmes/${eur.programmeId}/ledger.csv`).set('authorization', group.auth).expect(403);
  });

  it('refuses to change or delete a row, and verify-ledger names one changed behind the trigger', async () => {
    const em = h.orm.em.fork();
    const [row] = await sqlRows<{ id: string; amount_minor: string | number; subject_id: string; seq: number }>(
      em,
      `select l.id, l.amount_minor, i.subject_id, l.seq from ledger_entry l
         join workflow_instance i on i.id = l.instance_id
         join workflow_instance root on root.id = l.root_instance_id
         join call c on c.id = root.subject_id
        where c.programme_id = ? and l.kind = 'disbursed' order by l.at limit 1`,
      [eur.programmeId],
    );
    await expect(sqlRows(em, 'update ledger_entry set amount_minor = 1 where id = ?', [row.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(sqlRows(em, 'delete from ledger_entry where id = ?', [row.id])).rejects.toThrow(/append-only/);

    const behindTheTrigger = async (amount: number) =>
      h.orm.em.fork().transactional(async (tx) => {
        await sqlRows(tx, 'alter table ledger_entry disable trigger ledger_entry_append_only', []);
        await sqlRows(tx, 'update ledger_entry set amount_minor = ? where id = ?', [amount, row.id]);
        await sqlRows(tx, 'alter table ledger_entry enable trigger ledger_entry_append_only', []);
      });
    await behindTheTrigger(170_000);
    try {
      const [first] = ours((await verifyLedger(h.orm.em.fork())).differences);
      expect(first).toMatchObject({ subject: `tranche ${row.subject_id}`, seq: row.seq, event: 'RECORD_PAYMENT' });
      expect(first.problem).toBe('the transition moves disbursed 1750.00 EUR; the ledger holds disbursed 1700.00 EUR');
    } finally {
      await behindTheTrigger(Number(row.amount_minor));
    }
    expect(ours((await verifyLedger(h.orm.em.fork())).differences)).toEqual([]);
    if (h.pglite) expect((await verifyLedger(h.orm.em.fork())).differences).toEqual([]);
  });
});
