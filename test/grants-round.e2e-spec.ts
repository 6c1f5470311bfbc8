import { IdentityService } from '../src/identity/identity.service';
import { MailWorker } from '../src/notifications/mail.worker';
import { verifyLedger } from '../src/ledger/ledger-verifier';
import type { Locale } from '../workflows/localised';
import { createCall, giveBankDetails, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

// The grant phase of the pilot round over HTTP and real SMTP: five awards accepted by their groups
// with their bank details, a 70/30 plan, first tranches requested by a manager and approved by one
// finance officer below the threshold and by two at or above it, payments recorded, one failed and
// paid again, one group changing its account so its approved tranche goes back for approval, the
// second tranches refused until the interim report is accepted, and a ledger that balances. The same
// round runs for the municipal fund in KGS, in whole soms.

const PLAN_70_30 = [
  { sharePercent: 70, release: 'on_acceptance' },
  { sharePercent: 30, release: 'interim_report_accepted' },
];
const LOCALES: Locale[] = ['ky', 'ru', 'en', 'ky', 'ru'];

interface Round {
  name: string;
  terms: Record<string, unknown>;
  /** What each of the five groups asks for and is awarded. */
  asked: string;
  awards: string[];
  threshold: string;
  /** The first tranches (70%) and the second (30%), in the currency's whole units where it has no others. */
  first: string[];
  second: string[];
  ledger: { budget: string; committed: string; disbursed: string; available: string };
}

const ROUNDS: Round[] = [
  {
    name: 'the pilot: EUR 12,500 for five grants',
    terms: { budget: '12500.00', maxAward: '2500.00' },
    asked: '2500.00',
    awards: ['2500.00', '2500.00', '2500.00', '2500.00', '2400.00'],
    threshold: '2500.00',
    first: ['1750.00', '1750.00', '1750.00', '1750.00', '1680.00'],
    second: ['750.00', '750.00', '750.00', '750.00', '720.00'],
    ledger: { budget: '12500.00', committed: '12400.00', disbursed: '8680.00', available: '100.00' },
  },
  {
    name: 'the municipal fund: KGS 200,000 in whole soms',
    terms: { currency: 'KGS', budget: '200000.00', maxAward: '45000.00' },
    asked: '45000.00',
    awards: ['45000.00', '40000.00', '40000.00', '35000.00', '33333.00'],
    threshold: '40000.00',
    first: ['31500.00', '28000.00', '28000.00', '24500.00', '23333.00'],
    second: ['13500.00', '12000.00', '12000.00', '10500.00', '10000.00'],
    ledger: { budget: '200000.00', committed: '193333.00', disbursed: '135333.00', available: '6667.00' },
  },
];

describe('the grant phase of a round, from acceptance to the first payments', () => {
  let h: Harness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, MAIL_FROM: 'Mini-grants <grants@programme.example>' });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  /** The messages `who` received, by key, and the language each was written in. */
  const inbox = (who: TestUser) =>
    smtp.to(who.email).map((r) => ({
      key: r.mail.headers.get('x-grants-message') as string,
      language: r.mail.headers.get('content-language') as string,
      text: r.mail.text ?? '',
    }));

  it.each(ROUNDS)('$name', async (round) => {
    const programme = await h.app.get(IdentityService).ensureProgramme(`${round.name} ${Date.now()}`);
    const of = { programmeId: programme.id };
    const manager = await h.user('manager', { ...of, locale: 'en' });
    const aida = await h.user('finance', { ...of, locale: 'ky', name: 'Aida Finance' });
    const bakyt = await h.user('finance', { ...of, locale: 'ru', name: 'Bakyt Finance' });
    const m = manager.auth;

    const call = await createCall(h, m, { ...round.terms, paymentPlan: PLAN_70_30, financeThreshold: round.threshold });
    await send(h, m, `/calls/${call}`, { type: 'PUBLISH' });
    const groups = await Promise.all(LOCALES.map((locale) => h.user('applicant', { locale })));
    const ids: string[] = [];
    for (const group of groups) {
      const created = await h
        .http()
        .post(`/calls/${call}/applications`)
        .set('authorization', group.auth)
        .send(proposal(round.asked))
        .expect(201);
      ids.push(created.body.id);
      await send(h, group.auth, `/applications/${created.body.id}`, { type: 'SUBMIT' });
      await send(h, m, `/applications/${created.body.id}`, { type: 'SCREEN', decision: 'eligible' });
    }
    await send(h, m, `/calls/${call}`, { type: 'CLOSE' });
    await send(h, m, `/calls/${call}`, { type: 'START_REVIEW' });
    for (const [i, id] of ids.entries()) {
      const reduced = round.awards[i] === round.asked ? {} : { reason: 'The aiyl okmotu covers the transport' };
      await send(h, m, `/applications/${id}`, { type: 'AWARD', amount: round.awards[i], ...reduced });
    }

    // Each group reads its agreement, gives its account and accepts; the acceptance is recorded.
    for (const [i, id] of ids.entries()) {
      const group = groups[i];
      await h.http().get(`/applications/${id}/agreement`).set('authorization', group.auth).expect(200);
      await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' }, 409);
      await giveBankDetails(h, group.auth, id);
      await send(h, group.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
      const shown = await h.http().get(`/applications/${id}`).set('authorization', m).expect(200);
      expect(shown.body.acceptance).toMatchObject({ acceptedBy: group.id });
    }
    const tranches = [];
    for (const id of ids) {
      const list = await h.http().get(`/applications/${id}/tranches`).set('authorization', m).expect(200);
      tranches.push(list.body as { id: string; amount: string; state: string }[]);
    }
    expect(tranches.map((t) => t.map((x) => x.amount))).toEqual(round.first.map((a, i) => [a, round.second[i]]));

    // The first tranches: requested by the manager, who may never approve; one officer below the
    // threshold, two at or above it, never the same one twice.
    const event = (who: TestUser, trancheId: string, body: Record<string, unknown>, status = 200) =>
      send(h, who.auth, `/tranches/${trancheId}`, body, status);
    const needsTwo = round.awards.map((a) => Number(a) >= Number(round.threshold));
    expect(needsTwo).toEqual([true, true, true, needsTwo[3], false]);
    for (const [i, [first]] of tranches.entries()) {
      await event(manager, first.id, { type: 'REQUEST' });
      await event(manager, first.id, { type: 'APPROVE' }, 403);
      const once = await event(aida, first.id, { type: 'APPROVE' });
      if (!needsTwo[i]) {
        expect(once.body.state).toBe('approved');
        continue;
      }
      expect(once.body.state).toBe('partly_approved');
      const twice = await event(aida, first.id, { type: 'APPROVE' }, 409);
      expect(twice.body.error.details.failedConditions).toEqual(['approverIsNotFirstApprover']);
      expect((await event(bakyt, first.id, { type: 'APPROVE' })).body.state).toBe('approved');
    }

    // Each tranche shows who approved it and when, and what it waits for.
    const view = async (trancheId: string) =>
      (await h.http().get(`/tranches/${trancheId}`).set('authorization', m).expect(200)).body;
    const approved = await view(tranches[0][0].id);
    expect(approved).toMatchObject({ waitingFor: 'payment', approvalsNeeded: 2 });
    expect(approved.approvals.map((a: { by: string }) => a.by)).toEqual([aida.id, bakyt.id]);
    expect(approved.approvals.every((a: { at: string }) => !Number.isNaN(Date.parse(a.at)))).toBe(true);
    expect((await view(tranches[0][1].id)).waitingFor).toBe('interim_report');

    // The fourth group changes its account before it is paid: its approved tranche goes back.
    const changer = 3;
    await giveBankDetails(h, groups[changer].auth, ids[changer], {
      bankName: 'Aiyl Bank, Osh',
      accountNumber: '1350100012345678',
      reason: 'The group opened an account at another bank',
    });
    const back = await h.http().get(`/tranches/${tranches[changer][0].id}`).set('authorization', aida.auth).expect(200);
    expect(back.body.state).toBe('requested');
    expect(back.body.bankDetails).toMatchObject({ bankName: 'Aiyl Bank, Osh' });
    await event(aida, tranches[changer][0].id, { type: 'APPROVE' });
    if (needsTwo[changer]) await event(bakyt, tranches[changer][0].id, { type: 'APPROVE' });

    // Payments: the fifth fails once and is paid again.
    const paidOn = new Date().toISOString().slice(0, 10);
    for (const [i, [first]] of tranches.entries()) {
      const payment = { type: 'RECORD_PAYMENT', amount: first.amount, reference: `BANK-2027-${i}`, paidOn };
      if (i === 4) {
        await event(aida, first.id, { type: 'PAYMENT_FAILED', reason: 'The bank refused the account number' });
        payment.reference = `BANK-2027-${i}-again`;
      }
      expect((await event(bakyt, first.id, payment)).body.state).toBe('paid');
    }
    expect(await view(tranches[4][0].id)).toMatchObject({ waitingFor: null, paymentReference: 'BANK-2027-4-again' });

    // The second tranches wait for the interim report.
    for (const [, second] of tranches) {
      const refused = await event(manager, second.id, { type: 'REQUEST' }, 409);
      expect(refused.body.error.details.failedConditions).toEqual(['trancheConditionMet']);
    }

    // The ledger balances, and verify-ledger finds nothing wrong with this round.
    const ledger = await h.http().get(`/calls/${call}/ledger`).set('authorization', aida.auth).expect(200);
    expect(ledger.body.balance).toMatchObject(round.ledger);
    expect(ledger.body.grants.map((g: { outstanding: string }) => g.outstanding).sort()).toEqual(
      [...round.second].sort(),
    );
    const mine = new Set([`call ${call}`, ...ids.map((id) => `application ${id}`)]);
    for (const list of tranches) for (const t of list) mine.add(`tranche ${t.id}`);
    expect((await verifyLedger(h.orm.em.fork())).differences.filter((d) => mine.has(d.subject))).toEqual([]);

    // Every email arrived, each in its reader's language.
    await h.app.get(MailWorker).drain();
    for (const [i, group] of groups.entries()) {
      const mail = inbox(group);
      expect(mail.map((x) => x.key)).toEqual(
        expect.arrayContaining(['application.awarded', 'application.award_accepted', 'disbursement.paid']),
      );
      expect(new Set(mail.map((x) => x.language))).toEqual(new Set([LOCALES[i]]));
      const paid = mail.find((x) => x.key === 'disbursement.paid');
      expect(paid?.text).toContain(i === 4 ? `BANK-2027-${i}-again` : `BANK-2027-${i}`);
    }
    expect(inbox(groups[changer]).map((x) => x.key)).toContain('application.bank_details_changed');
    for (const [officer, language] of [
      [aida, 'ky'],
      [bakyt, 'ru'],
    ] as const) {
      const mail = inbox(officer);
      expect(mail.map((x) => x.key)).toEqual(
        expect.arrayContaining(['disbursement.approval_requested', 'application.bank_details_changed_finance']),
      );
      expect(new Set(mail.map((x) => x.language))).toEqual(new Set([language]));
    }
  });
});
