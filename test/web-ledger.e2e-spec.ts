import { IdentityService } from '../src/identity/identity.service';
import { formatMoney } from '../src/i18n/format';
import { translate } from '../src/i18n/translate';
import type { ExplanationParams } from '../workflows/kit';
import type { Locale } from '../workflows/localised';
import { createCall, giveBankDetails, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// The ledger's pages over HTTP, as a browser without JavaScript reads them: a programme with a EUR
// call (one grant paid its first tranche, one declined) and a KGS fund (its budget only), its
// balances per currency and per call, one call's grants and movements, the ledger as CSV, and who
// may read them: the programme's managers and finance officers, nobody else.

const ORIGIN = 'http://grants.example.org';
const PLAN = [
  { sharePercent: 70, release: 'on_acceptance' },
  { sharePercent: 30, release: 'interim_report_accepted' },
];
const HOSTILE = '=HYPERLINK("http://evil.example/","<script>alert(1)</script> water")';

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
  locale: Locale;
  say: (key: string, params?: ExplanationParams) => string;
}

describe('the ledger pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let programmeId: string;
  let manager: Person;
  let officers: Record<Locale, Person>;
  let outsider: Person;
  let groupMember: Person;
  let committee: Person;
  let eurCall: string;
  let kgsCall: string;
  let kept: { id: string; reference: string; first: string; second: string };
  let declined: { id: string; reference: string };

  async function person(
    role: 'manager' | 'finance' | 'applicant' | 'committee',
    locale: Locale,
    details: Parameters<Harness['user']>[1] = {},
  ): Promise<Person> {
    const user = await h.user(role, { locale, ...details });
    const agent = await signedInAgent(h, smtp, user.email, ORIGIN);
    return { user, agent, locale, say: (key, params = {}) => translate(locale, key, params) };
  }

  /** An application of `call` awarded `amount`, with its group. */
  async function awarded(call: string, amount: string, title: string) {
    const group = await h.user('applicant');
    const created = await h
      .http()
      .post(`/calls/${call}/applications`)
      .set('authorization', group.auth)
      .send(proposal(amount, { title }))
      .expect(201);
    const id = created.body.id as string;
    await send(h, group.auth, `/applications/${id}`, { type: 'SUBMIT' });
    await send(h, manager.user.auth, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    return { id, group, reference: created.body.reference as string };
  }

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    const identity = h.app.get(IdentityService);
    programmeId = (await identity.ensureProgramme(`Social initiatives ${Date.now()}`)).id;
    const of = { programmeId };
    manager = await person('manager', 'en', { ...of, name: 'Aida Toktogulova' });
    officers = {
      ky: await person('finance', 'ky', { ...of, name: 'Бакыт Осмонов' }),
      ru: await person('finance', 'ru', { ...of, name: 'Ольга Ким' }),
      en: await person('finance', 'en', { ...of, name: 'Nurlan Toktosunov' }),
    };
    const other = await identity.ensureProgramme(`Municipal fund ${Date.now()}`);
    outsider = await person('finance', 'en', { programmeId: other.id });
    groupMember = await person('applicant', 'ky');
    committee = await person('committee', 'ru');

    // The EUR call: a grant of 2,500.00 paid its first tranche (two officers approve it), one of 2,000.00 declined.
    const m = manager.user.auth;
    eurCall = await createCall(h, m, { paymentPlan: PLAN });
    await send(h, m, `/calls/${eurCall}`, { type: 'PUBLISH' });
    const first = await awarded(eurCall, '2500.00', HOSTILE);
    const second = await awarded(eurCall, '2000.00', 'Street lights for Gulistan');
    await send(h, m, `/calls/${eurCall}`, { type: 'CLOSE' });
    await send(h, m, `/calls/${eurCall}`, { type: 'START_REVIEW' });
    await send(h, m, `/applications/${first.id}`, { type: 'AWARD', amount: '2500.00' });
    await send(h, m, `/applications/${second.id}`, { type: 'AWARD', amount: '2000.00' });
    await send(h, second.group.auth, `/applications/${second.id}`, { type: 'DECLINE_AWARD' });
    await giveBankDetails(h, first.group.auth, first.id);
    await send(h, first.group.auth, `/applications/${first.id}`, { type: 'ACCEPT_AWARD' });
    const tranches = (await h.http().get(`/applications/${first.id}/tranches`).set('authorization', m).expect(200))
      .body as { id: string }[];
    const at = `/tranches/${tranches[0].id}`;
    await send(h, m, at, { type: 'REQUEST' });
    await send(h, officers.ky.user.auth, at, { type: 'APPROVE' });
    await send(h, officers.ru.user.auth, at, { type: 'APPROVE' });
    const paidOn = new Date().toISOString().slice(0, 10);
    await send(h, officers.en.user.auth, at, {
      type: 'RECORD_PAYMENT',
      amount: '1750.00',
      reference: 'KICB-2027-000418',
      paidOn,
    });
    kept = { id: first.id, reference: first.reference, first: tranches[0].id, second: tranches[1].id };
    declined = { id: second.id, reference: second.reference };

    // The municipality's fund: KGS 200,000, published, nothing awarded yet.
    kgsCall = await createCall(h, m, {
      title: {
        en: 'Zhazy social initiative fund',
        ru: 'Фонд социальных инициатив Жазы',
        ky: 'Жазы социалдык демилгелер фонду',
      },
      currency: 'KGS',
      budget: '200000.00',
      maxAward: '50000.00',
    });
    await send(h, m, `/calls/${kgsCall}`, { type: 'PUBLISH' });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  const eur = (minor: number, locale: Locale) => formatMoney({ minor, currency: 'EUR' }, locale);
  const kgs = (minor: number, locale: Locale) => formatMoney({ minor, currency: 'KGS' }, locale);

  it('shows the programme’s balances in ky, ru and en: one per currency, never added together, and each call’s', async () => {
    for (const who of [officers.ky, officers.ru, officers.en, manager]) {
      const page = await who.agent.get('/finance/ledger').expect(200);
      const text = page.text;
      expect(text).toContain(`<html lang="${who.locale}"`);
      expect(text).toContain(escaped(who.say('web.finance.ledger.title')));
      // EUR: budget 12,500.00, committed 2,500.00 (the declined award freed), disbursed 1,750.00, available 10,000.00.
      const euros = text.slice(text.indexOf('id="balance-EUR"'), text.indexOf('id="balance-KGS"'));
      for (const minor of [1_250_000, 250_000, 175_000, 1_000_000]) expect(euros).toContain(eur(minor, who.locale));
      expect(euros).not.toContain('KGS');
      // KGS: the fund's budget, all of it available; no euro among its figures.
      const soms = text.slice(text.indexOf('id="balance-KGS"'), text.indexOf(`id="call-`));
      expect(soms).toContain(kgs(20_000_000, who.locale));
      expect(soms).not.toContain('EUR');
      // Each call, linking to its ledger and its payments' CSV.
      expect(text).toContain(`href="/finance/calls/${eurCall}/ledger"`);
      expect(text).toContain(`href="/finance/calls/${kgsCall}/ledger"`);
      expect(text).toContain(`href="/calls/${eurCall}/payments.csv"`);
      expect(text).toContain('href="/finance/ledger.csv"');
    }
    expect((await officers.ky.agent.get('/finance/ledger').expect(200)).text).toContain(
      'Жазы социалдык демилгелер фонду',
    );
    expect((await officers.ru.agent.get('/finance/ledger').expect(200)).text).toContain(
      'Фонд социальных инициатив Жазы',
    );
    expect(eur(1_000_000, 'en')).toBe('EUR\u00a010,000.00');
    expect(eur(1_000_000, 'ru')).toBe('10\u00a0000,00\u00a0EUR');
  });

  it('shows a call’s balance, its grants with where their payments are, and its movements newest first, the project escaped', async () => {
    for (const who of [officers.ky, officers.ru, officers.en]) {
      const page = await who.agent.get(`/finance/calls/${eurCall}/ledger`).expect(200);
      const text = page.text;
      expect(text).toContain(`<html lang="${who.locale}"`);
      expect(text).toContain(escaped(who.say('web.finance.ledger.call.title')));
      for (const minor of [1_250_000, 250_000, 175_000, 1_000_000]) expect(text).toContain(eur(minor, who.locale));
      // The grants: awarded, paid and still to pay; the declined one at nothing.
      expect(text).toContain(kept.reference);
      expect(text).toContain(declined.reference);
      expect(text).toContain(eur(75_000, who.locale));
      // The group's title, escaped; never its markup.
      expect(text).toContain(escaped(HOSTILE));
      expect(text).not.toContain('<script>alert');
      // A finance officer goes to each tranche.
      expect(text).toContain(`href="/finance/tranches/${kept.first}"`);
      expect(text).toContain(`href="/finance/tranches/${kept.second}"`);
      expect(text).not.toContain(`/manage/applications/${kept.id}/payments`);
      // Each kind in words, newest first: the payment above the budget.
      const kinds = ['disbursed', 'committed', 'released', 'budgeted'].map((k) =>
        text.indexOf(escaped(who.say(`web.finance.ledger.kind.${k}`))),
      );
      expect(kinds.every((i) => i > 0)).toBe(true);
      expect(kinds[0]).toBeLessThan(kinds[3]);
      expect(text).toContain(`${kept.reference}</span>`);
      expect(text).toContain(`href="/calls/${eurCall}/payments.csv"`);
    }
    // The manager goes to the grant's payments page.
    const mine = await manager.agent.get(`/finance/calls/${eurCall}/ledger`).expect(200);
    expect(mine.text).toContain(`href="/manage/applications/${kept.id}/payments"`);
    expect(mine.text).not.toContain(`href="/finance/tranches/`);
    // The fund has its budget and no grant yet.
    const fund = await officers.ru.agent.get(`/finance/calls/${kgsCall}/ledger`).expect(200);
    expect(fund.text).toContain(kgs(20_000_000, 'ru'));
    expect(fund.text).toContain(officers.ru.say('web.finance.ledger.call.noGrants'));
  });

  it('is linked from the finance queue and from the manager’s call page', async () => {
    expect((await officers.en.agent.get('/finance').expect(200)).text).toContain('href="/finance/ledger"');
    const call = await manager.agent.get(`/manage/calls/${eurCall}`).expect(200);
    expect(call.text).toContain(`href="/finance/calls/${eurCall}/ledger"`);
  });

  it('downloads the programme’s ledger and a call’s payments as CSV: a byte-order mark, formulas neutralised', async () => {
    for (const who of [manager, officers.ky]) {
      const csv = await who.agent.get('/finance/ledger.csv').expect(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="ledger-${programmeId}.csv"`);
      expect(csv.text.startsWith('\uFEFF')).toBe(true);
      const [header, ...rows] = csv.text.slice(1).trim().split('\n');
      expect(header).toBe('at,kind,amount,currency,call,reference,project,tranche,event,transition');
      expect(rows.filter((r) => r.includes(',disbursed,1750.00,EUR,'))).toHaveLength(1);
      expect(rows.filter((r) => r.includes(',budgeted,200000.00,KGS,'))).toHaveLength(1);
      // The group's title starts with `=`: written with a quote before it, so no spreadsheet runs it.
      expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example/""`);
      expect(csv.text).not.toMatch(/,"?=HYPERLINK/);
    }
    const payments = await officers.en.agent.get(`/calls/${eurCall}/payments.csv`).expect(200);
    expect(payments.text.startsWith('\uFEFF')).toBe(true);
    expect(payments.headers['content-disposition']).toContain('attachment');
    expect(payments.text).toContain('KICB-2027-000418');
    expect(payments.text).toContain(`"'=HYPERLINK(`);
  });

  it('keeps the ledger to the programme’s staff: another programme’s officer, a group member and a committee member are refused', async () => {
    // Another programme's officer reads their own programme's ledger, without this one's calls.
    const theirs = await outsider.agent.get('/finance/ledger').expect(200);
    expect(theirs.text).not.toContain(eurCall);
    expect(theirs.text).toContain(outsider.say('web.finance.ledger.none'));
    const refused = await outsider.agent.get(`/finance/calls/${eurCall}/ledger`).expect(403);
    expect(refused.text).toContain('<html');
    expect(refused.text).not.toContain(kept.reference);
    const csv = await outsider.agent.get('/finance/ledger.csv').expect(200);
    expect(csv.text).not.toContain(kept.reference);
    // A call that does not exist is not found.
    await officers.en.agent.get('/finance/calls/00000000-0000-4000-8000-000000000000/ledger').expect(404);

    for (const who of [groupMember, committee]) {
      for (const path of ['/finance/ledger', '/finance/ledger.csv', `/finance/calls/${eurCall}/ledger`]) {
        const page = await who.agent.get(path).expect(403);
        expect(page.text).not.toContain(kept.reference);
      }
    }
  });
});
