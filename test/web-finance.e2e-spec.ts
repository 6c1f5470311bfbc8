import { IdentityService } from '../src/identity/identity.service';
import { translate } from '../src/i18n/translate';
import type { ExplanationParams } from '../workflows/kit';
import type { Locale } from '../workflows/localised';
import { createCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { csrfOf, postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// The payment pages over HTTP, as a browser without JavaScript uses them: the manager asks for a
// tranche, finance officers approve it (two of them: the grant is at the call's threshold) and
// record its payment, and the group sees it on its status page. Every action is an event sent as
// POST /tranches/{id}/events sends it, so the roles, the access rules and the machine's guards hold.

const ORIGIN = 'http://grants.example.org';
const PLAN = [
  { sharePercent: 70, release: 'on_acceptance' },
  { sharePercent: 30, release: 'interim_report_accepted' },
];

const ACCOUNT = {
  accountHolder: 'Zhazy parents’ committee',
  bankName: 'KICB, Osh branch',
  accountNumber: '1280016044410123',
  bic: 'KICBKG22',
};

/** A text as the page prints it: escaped. */
const escaped = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

interface Person {
  user: TestUser;
  agent: Agent;
  say: (key: string, params?: ExplanationParams) => string;
}

interface Grant {
  callId: string;
  id: string;
  group: Person;
  /** The planned tranches: 1,750.00 on acceptance, 750.00 once the interim report is accepted. */
  first: string;
  second: string;
}

describe('the payment pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let manager: Person;
  let officer: Person;
  let second: Person;
  let outsider: Person;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    manager = await person('manager', 'en', { name: 'Aida Toktogulova' });
    officer = await person('finance', 'ky', { name: 'Бакыт Осмонов' });
    second = await person('finance', 'ru', { name: 'Ольга Ким' });
    const other = await h.app.get(IdentityService).ensureProgramme(`Municipal fund ${Date.now()}`);
    outsider = await person('finance', 'en', { programmeId: other.id });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  async function person(
    role: 'manager' | 'finance' | 'applicant',
    locale: Locale,
    details: Parameters<Harness['user']>[1] = {},
  ): Promise<Person> {
    const user = await h.user(role, { locale, ...details });
    const agent = await signedInAgent(h, smtp, user.email, ORIGIN);
    return { user, agent, say: (key, params = {}) => translate(locale, key, params) };
  }

  /** A EUR 2,500 grant under a call paying 70/30, accepted by its group: at the threshold, so two officers approve. */
  async function grant(groupLocale: Locale = 'ru'): Promise<Grant> {
    const group = await person('applicant', groupLocale);
    const callId = await createCall(h, h.manager, { paymentPlan: PLAN });
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    const created = await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', group.user.auth)
      .send(proposal('2500.00', { title: 'Clean water for Zhazy school & "yard"' }))
      .expect(201);
    const id = created.body.id as string;
    await send(h, group.user.auth, `/applications/${id}`, { type: 'SUBMIT' });
    await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    await send(h, h.manager, `/applications/${id}`, { type: 'AWARD', amount: '2500.00' });
    // The account the grant is paid into comes before the acceptance.
    await h
      .http()
      .put(`/applications/${id}/bank-details`)
      .set('authorization', group.user.auth)
      .send(ACCOUNT)
      .expect(200);
    await send(h, group.user.auth, `/applications/${id}`, { type: 'ACCEPT_AWARD' });
    const tranches = (await h.http().get(`/applications/${id}/tranches`).set('authorization', h.manager).expect(200))
      .body as { id: string }[];
    return { callId, id, group, first: tranches[0].id, second: tranches[1].id };
  }

  const trancheOf = async (id: string) =>
    (await h.http().get(`/tranches/${id}`).set('authorization', h.manager).expect(200)).body as {
      state: string;
      approvedBy: string[];
      paymentReference: string | null;
    };

  /** Opens an action's page and posts its form, as the person pressing its button. */
  async function act(
    who: Person,
    tranche: string,
    action: string,
    status: number,
    fields: Record<string, string> = {},
  ) {
    const path = `/finance/tranches/${tranche}/${action}`;
    const page = await who.agent.get(path).expect(200);
    return postForm(who.agent, ORIGIN, path, page.text, fields).expect(status);
  }

  async function requested(g: Grant): Promise<void> {
    const path = `/manage/applications/${g.id}/payments/${g.first}/request`;
    const page = await manager.agent.get(path).expect(200);
    await postForm(manager.agent, ORIGIN, path, page.text, {}).expect(303);
  }

  it('shows the manager the grant’s tranches, asks for the first through its confirmation, and says why the second must wait', async () => {
    const g = await grant();
    const path = `/manage/applications/${g.id}/payments`;
    const page = await manager.agent.get(path).expect(200);
    expect(page.text).toContain(manager.say('web.finance.payments.title'));
    expect(page.text).toContain(escaped('Clean water for Zhazy school & "yard"'));
    expect(page.text).toContain('EUR\u00a01,750.00');
    expect(page.text).toContain('EUR\u00a0750.00');
    expect(page.text).toContain(`href="${path}/${g.first}/request"`);
    expect(page.text).not.toContain(`href="${path}/${g.second}/request"`);
    // The machine's own reason, in words, where the second tranche's button would be.
    const why = manager.say('disbursement.trancheConditionMet', { report: { term: 'report.kind.interim' } });
    expect(page.text).toContain(escaped(why));
    // The application page links to the payments.
    expect((await manager.agent.get(`/manage/applications/${g.id}`).expect(200)).text).toContain(`href="${path}"`);

    const confirm = await manager.agent.get(`${path}/${g.first}/request`).expect(200);
    expect(confirm.text).toContain(manager.say('web.finance.request.intro', { count: 2 }));
    // Without the form's token the request is refused, and nothing is sent.
    await manager.agent.post(`${path}/${g.first}/request`).set('origin', ORIGIN).type('form').send({}).expect(403);
    expect((await trancheOf(g.first)).state).toBe('scheduled');
    const sent = await postForm(manager.agent, ORIGIN, `${path}/${g.first}/request`, confirm.text, {}).expect(303);
    expect(sent.headers.location).toBe(`${path}?done=requested`);
    const after = await manager.agent.get(sent.headers.location as string).expect(200);
    expect(after.text).toContain(manager.say('web.finance.done.requested'));
    expect(after.text).toContain(manager.say('disbursement.state.requested'));
    expect((await trancheOf(g.first)).state).toBe('requested');

    // Sent again from the old page, the machine refuses: the tranche is no longer planned.
    const again = await postForm(manager.agent, ORIGIN, `${path}/${g.first}/request`, confirm.text, {}).expect(409);
    expect(again.text).toContain('govuk-error-summary');
    expect(again.text).toContain('href="#confirm"');
    // The second cannot be asked for even by posting its form: the machine says why.
    const early = await postForm(manager.agent, ORIGIN, `${path}/${g.second}/request`, confirm.text, {}).expect(409);
    expect(early.text).toContain(escaped(why));
    expect((await trancheOf(g.second)).state).toBe('scheduled');
  });

  it('lists the request in each officer’s queue with its group, project, amount, condition and requester, and the call’s CSV', async () => {
    const g = await grant();
    await requested(g);
    const queue = await officer.agent.get('/finance').expect(200);
    expect(queue.text).toContain(officer.say('web.finance.queue.title'));
    expect(queue.text).toContain(`href="/finance/tranches/${g.first}"`);
    expect(queue.text).toContain(escaped('Clean water for Zhazy school & "yard"'));
    expect(queue.text).toContain('1\u00a0750,00\u00a0EUR');
    expect(queue.text).toContain(officer.say('web.finance.release.on_acceptance'));
    expect(queue.text).toContain('Aida Toktogulova');
    expect(queue.text).toContain(`href="/calls/${g.callId}/payments.csv"`);
    const csv = await officer.agent.get(`/calls/${g.callId}/payments.csv`).expect(200);
    expect(csv.text).toContain('requested');
    // A finance officer's home is their queue.
    expect((await officer.agent.get('/home').expect(303)).headers.location).toBe('/finance');
  });

  it('shows the tranche in ky, ru and en: amount, grant, threshold, approvals needed and who asked', async () => {
    const g = await grant();
    await requested(g);
    const en = await person('finance', 'en');
    for (const [who, lang, amount] of [
      [officer, 'ky', '1\u00a0750,00\u00a0EUR'],
      [second, 'ru', '1\u00a0750,00\u00a0EUR'],
      [en, 'en', 'EUR\u00a01,750.00'],
    ] as const) {
      const page = await who.agent.get(`/finance/tranches/${g.first}`).expect(200);
      expect(page.text).toContain(`<html lang="${lang}"`);
      expect(page.text).toContain(escaped(who.say('web.finance.tranche.title', { amount })));
      expect(page.text).toContain(who.say('web.finance.approvalsNeededValue', { count: 2 }));
      expect(page.text).toContain(who.say('disbursement.state.requested'));
      expect(page.text).toContain('Aida Toktogulova');
      expect(page.text).toContain(`href="/finance/tranches/${g.first}/approve"`);
      expect(page.text).toContain(`href="/finance/tranches/${g.first}/reject"`);
      // The account the payment goes to, as the group gave it.
      expect(page.text).toContain('id="bank-details"');
      expect(page.text).toContain(who.say('web.finance.bank.accountNumber'));
      expect(page.text).toContain('1280016044410123');
      expect(page.text).toContain('KICBKG22');
    }
  });

  it('takes two different officers’ approvals, refuses the first officer’s second in their language, then records the payment', async () => {
    const g = await grant('en');
    await requested(g);
    const done = await act(officer, g.first, 'approve', 303);
    expect(done.headers.location).toBe(`/finance/tranches/${g.first}?done=approved`);
    const after = await officer.agent.get(done.headers.location as string).expect(200);
    expect(after.text).toContain(officer.say('web.finance.done.approved'));
    expect(after.text).toContain('Бакыт Осмонов');
    expect((await trancheOf(g.first)).state).toBe('partly_approved');

    // Before pressing anything, the page says why the officer cannot approve again, and offers no button.
    const mine = officer.say('disbursement.approverIsNotFirstApprover');
    expect(after.text).toContain(escaped(mine));
    expect(after.text).not.toContain(`href="/finance/tranches/${g.first}/approve"`);
    const twice = await act(officer, g.first, 'approve', 409);
    expect(twice.text).toContain('govuk-error-summary');
    expect(twice.text).toContain(escaped(mine));
    expect(twice.text).toContain('href="#confirm"');
    expect((await trancheOf(g.first)).approvedBy).toEqual([officer.user.id]);

    await act(second, g.first, 'approve', 303);
    expect((await trancheOf(g.first)).state).toBe('approved');

    // The payment: its fields checked by the page, then by the machine.
    const blank = await act(second, g.first, 'payment', 422, { amount: '', reference: '' });
    for (const field of ['amount', 'paidOn', 'reference']) expect(blank.text).toContain(`href="#${field}"`);
    expect(blank.text).toContain(second.say('web.finance.payment.referenceMissing'));
    const form = await second.agent.get(`/finance/tranches/${g.first}/payment`).expect(200);
    expect(form.text).toContain('value="1750.00"');
    const today = new Date();
    const date = {
      'paidOn-day': String(today.getUTCDate()),
      'paidOn-month': String(today.getUTCMonth() + 1),
      'paidOn-year': String(today.getUTCFullYear()),
    };
    const short = await act(second, g.first, 'payment', 409, { amount: '1000.00', reference: 'KICB-1', ...date });
    expect(short.text).toContain('href="#amount"');
    expect(short.text).toContain(
      escaped(
        second.say('disbursement.paymentIsTheTranche', {
          paid: { money: 100000, currency: 'EUR' },
          amount: { money: 175000, currency: 'EUR' },
        }),
      ),
    );
    const paid = await act(second, g.first, 'payment', 303, {
      amount: '1750.00',
      reference: 'KICB-2027-000418',
      ...date,
    });
    expect(paid.headers.location).toBe(`/finance/tranches/${g.first}?done=paid`);
    expect((await trancheOf(g.first)).paymentReference).toBe('KICB-2027-000418');
    const shown = await second.agent.get(`/finance/tranches/${g.first}`).expect(200);
    expect(shown.text).toContain('KICB-2027-000418');
    expect(shown.text).toContain(`href="/finance/tranches/${g.first}/returned"`);

    // The group sees it paid on its status page, the planned second beside it.
    const status = await g.group.agent.get(`/my-applications/${g.id}`).expect(200);
    expect(status.text).toContain('id="payments"');
    expect(status.text).toContain(g.group.say('web.finance.status.title'));
    expect(status.text).toContain('KICB-2027-000418');
    expect(status.text).toContain(g.group.say('disbursement.state.paid'));
    expect(status.text).toContain(g.group.say('disbursement.state.scheduled'));
    expect(status.text).toContain(g.group.say('web.finance.status.release.interim_report_accepted'));
    expect(status.text).toContain('EUR\u00a01,750.00');

    // The bank sends it back: a reason is needed, then it waits to be paid again.
    const noReason = await act(second, g.first, 'returned', 422, { reason: ' ' });
    expect(noReason.text).toContain(second.say('web.finance.returned.reasonMissing'));
    await act(second, g.first, 'returned', 303, { reason: 'Счёт закрыт.' });
    expect((await trancheOf(g.first)).state).toBe('returned');
    const history = await second.agent.get(`/finance/tranches/${g.first}`).expect(200);
    expect(history.text).toContain('Счёт закрыт.');
    expect(history.text).toContain(second.say('disbursement.state.returned'));
  });

  it('rejects with a reason only, and the manager may ask again', async () => {
    const g = await grant();
    await requested(g);
    const missing = await act(officer, g.first, 'reject', 422, { reason: '' });
    expect(missing.text).toContain('href="#reason"');
    expect(missing.text).toContain(officer.say('web.finance.reject.reasonMissing'));
    const tooLong = await act(officer, g.first, 'reject', 422, { reason: 'ж'.repeat(2001) });
    expect(tooLong.text).toContain(officer.say('web.finance.reasonTooLong'));
    await act(officer, g.first, 'reject', 303, { reason: 'Сумма келишимге дал келбейт.' });
    expect((await trancheOf(g.first)).state).toBe('rejected');
    const page = await manager.agent.get(`/manage/applications/${g.id}/payments`).expect(200);
    expect(page.text).toContain(`href="/manage/applications/${g.id}/payments/${g.first}/request"`);
    await requested(g);
    expect((await trancheOf(g.first)).state).toBe('requested');
  });

  it('records a failed payment with its reason, and the tranche can be paid after it', async () => {
    const g = await grant();
    await requested(g);
    await act(officer, g.first, 'approve', 303);
    await act(second, g.first, 'approve', 303);
    await act(second, g.first, 'failed', 303, { reason: 'Банк не принял номер счёта.' });
    expect((await trancheOf(g.first)).state).toBe('payment_failed');
    const page = await officer.agent.get(`/finance/tranches/${g.first}?done=failed`).expect(200);
    expect(page.text).toContain(officer.say('web.finance.done.failed'));
    expect(page.text).toContain(`href="/finance/tranches/${g.first}/payment"`);
  });

  it('keeps the pages to their people: a manager cannot approve, another programme’s officer finds nothing, a group member has no queue', async () => {
    const g = await grant();
    await requested(g);
    const page = await officer.agent.get(`/finance/tranches/${g.first}/approve`).expect(200);
    // The manager, with a form token of their own.
    const own = await manager.agent.get(`/manage/applications/${g.id}/payments`).expect(200);
    const refused = await postForm(manager.agent, ORIGIN, `/finance/tranches/${g.first}/approve`, own.text, {});
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('<html');
    await manager.agent.get('/finance').expect(403);
    await manager.agent.get(`/finance/tranches/${g.first}`).expect(403);

    // Another programme's officer: the queue is their own, the tranche is not there at all.
    const theirs = await outsider.agent.get('/finance').expect(200);
    expect(theirs.text).not.toContain(g.first);
    const hidden = await outsider.agent.get(`/finance/tranches/${g.first}`).expect(404);
    expect(hidden.text).toContain(outsider.say('web.error.404'));
    await outsider.agent.get(`/finance/tranches/${g.first}/approve`).expect(404);
    await postForm(outsider.agent, ORIGIN, `/finance/tranches/${g.first}/approve`, theirs.text, {}).expect(404);
    await outsider.agent.get(`/manage/applications/${g.id}/payments`).expect(403);

    // The group: no queue, no tranche page, no manager's page.
    await g.group.agent.get('/finance').expect(403);
    await g.group.agent.get(`/finance/tranches/${g.first}`).expect(403);
    await g.group.agent.get(`/manage/applications/${g.id}/payments`).expect(403);

    // An officer's form without its token, and one of an action the page does not have.
    await officer.agent
      .post(`/finance/tranches/${g.first}/approve`)
      .set('origin', ORIGIN)
      .type('form')
      .send({})
      .expect(403);
    await officer.agent.get(`/finance/tranches/${g.first}/delete`).expect(404);
    await postForm(officer.agent, ORIGIN, `/finance/tranches/${g.first}/cancel`, page.text, {}).expect(404);
    expect((await trancheOf(g.first)).approvedBy).toEqual([]);
    expect(csrfOf(page.text)).toBeTruthy();
  });

  it('says what was done only for the flags it knows', async () => {
    const g = await grant();
    for (const flag of ['unknown', '%3Cscript%3E', '']) {
      const page = await officer.agent.get(`/finance/tranches/${g.first}?done=${flag}`).expect(200);
      expect(page.text).not.toContain('govuk-notification-banner');
    }
  });
});
