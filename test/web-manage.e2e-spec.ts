import { db } from '../src/common/kysely';
import { parseAmount } from '../src/common/money';
import { formatMoney } from '../src/i18n/format';
import { translate } from '../src/i18n/translate';
import { IdentityService } from '../src/identity/identity.service';
import { pilotCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { csrfOf, postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// A programme manager's pages as a browser without JavaScript uses them: the dashboard's counts and
// money for a programme seeded through the API, one call's hub, the applications list's filters,
// sorting and paging, the outbox's retry, and everyone else kept out.

const ORIGIN = 'http://grants.example.org';
const DAY = 24 * 60 * 60 * 1000;
const en = (key: string, params = {}) => translate('en', key, params);
const eur = (amount: string) => formatMoney({ minor: parseAmount(amount, 'EUR'), currency: 'EUR' }, 'en');

describe('the manage pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let manager: TestUser;
  let agent: Agent;
  let outsider: Agent;
  const call = { open: '', reviewing: '', draft: '' };
  const app: Record<string, string> = {};

  const http = () => h.http();
  /** A draft of a new group of its own; the group's authorization kept for its later events. */
  async function apply(callId: string, title: string, amount: string, municipality = 'Zhazy'): Promise<string> {
    const group = await h.user('applicant');
    const res = await http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', group.auth)
      .send(proposal(amount, { title, municipality }))
      .expect(201);
    owners.set(res.body.id as string, group.auth);
    return res.body.id as string;
  }
  async function submitApplication(callId: string, title: string, amount: string, municipality?: string) {
    const id = await apply(callId, title, amount, municipality);
    await send(h, ownerAuth(id), `/applications/${id}`, { type: 'SUBMIT' });
    return id;
  }
  const owners = new Map<string, string>();
  const ownerAuth = (id: string) => owners.get(id) as string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    const programme = await h.app.get(IdentityService).ensureProgramme('Manage pages programme');
    manager = await h.user('manager', { programmeId: programme.id, locale: 'en' });
    const m = manager.auth;
    const create = async (overrides = {}) =>
      (await http().post('/calls').set('authorization', m).send(pilotCall(overrides)).expect(201)).body.id as string;

    // An open call: a draft, one just in, one with questions, one answered.
    call.open = await create({ title: { en: 'Water <b>and</b> schools' } });
    await send(h, m, `/calls/${call.open}`, { type: 'PUBLISH' });
    app.draft = await apply(call.open, 'A playground for Yuryevka', '1200.00', 'Yuryevka');
    app.fresh = await submitApplication(call.open, 'Clean water for Zhazy school', '2500.00');
    app.asked = await submitApplication(call.open, 'Street lights in Gulistan', '1800.00', 'Gulistan');
    app.answered = await submitApplication(call.open, '<script>alert(1)</script> Sports ground', '900.00');
    await send(h, m, `/applications/${app.asked}`, { type: 'REQUEST_INFO', questions: ['Who owns the land?'] });
    await send(h, m, `/applications/${app.answered}`, { type: 'REQUEST_INFO', questions: ['Who owns the land?'] });
    await send(h, ownerAuth(app.answered), `/applications/${app.answered}`, {
      type: 'RESUBMIT',
      answers: ['The aiyl okmotu'],
    });

    // A call with its committee: one award of EUR 2,000, one still in review, reviews past their deadline.
    const member = await h.user('committee', { name: 'Aida Chair', programmeId: programme.id });
    call.reviewing = await create({ title: { en: 'Youth centres' }, reviewersPerApplication: 1 });
    await send(h, m, `/calls/${call.reviewing}`, { type: 'PUBLISH' });
    app.awarded = await submitApplication(call.reviewing, 'A youth centre roof', '2400.00');
    app.reviewed = await submitApplication(call.reviewing, 'Computers for the youth centre', '2200.00');
    for (const id of [app.awarded, app.reviewed]) {
      await send(h, m, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    }
    await send(h, m, `/calls/${call.reviewing}`, { type: 'CLOSE' });
    await http()
      .put(`/calls/${call.reviewing}/committee`)
      .set('authorization', m)
      .send({ members: [{ userId: member.id, chair: true }] })
      .expect(200);
    await send(h, m, `/calls/${call.reviewing}`, {
      type: 'START_REVIEW',
      reviewDueAt: new Date(Date.now() + 5 * DAY).toISOString(),
    });
    await http()
      .post(`/calls/${call.reviewing}/conflicts`)
      .set('authorization', member.auth)
      .send({ items: [app.awarded, app.reviewed].map((applicationId) => ({ applicationId, conflicted: false })) })
      .expect(200);
    await http().post(`/calls/${call.reviewing}/assignments`).set('authorization', m).expect(200);
    await send(h, m, `/applications/${app.awarded}`, { type: 'AWARD', amount: '2000.00', reason: 'Roof only' });
    // The deadline has passed since: the reviews still in draft are overdue.
    await db(h.orm.em.fork())
      .updateTable('call')
      .set({ review_due_at: new Date(Date.now() - DAY) })
      .where('id', '=', call.reviewing)
      .execute();

    // A call still being prepared: counted by its state, not in the money.
    call.draft = await create({ title: { en: 'Libraries' }, budget: '5000.00' });

    agent = await signedInAgent(h, smtp, manager.email, ORIGIN);
    const other = await h.user('manager');
    outsider = await signedInAgent(h, smtp, other.email, ORIGIN);
  }, 120_000);
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('shows the programme’s calls by state, their counts and money, and what waits for the manager', async () => {
    const page = await agent.get('/manage').expect(200);
    const text = page.text;
    expect(text).toContain(`<h1 class="govuk-heading-xl">${en('web.manage.dashboard.title')}</h1>`);
    expect(text).toContain('href="/manage/calls/new"');
    // by state
    expect(text).toContain(`${capitalised(en('call.state.open'))} (1)`);
    expect(text).toContain(`${capitalised(en('call.state.reviewing'))} (1)`);
    expect(text).toContain(`${capitalised(en('call.state.draft'))} (1)`);
    // the open call's counts: a draft, three submitted, three to screen
    const open = rowOf(text, call.open);
    expect(open).toContain(en('web.manage.count.drafts', { count: 1 }));
    expect(open).toContain(en('web.manage.count.submitted', { count: 3 }));
    expect(open).toContain(en('web.manage.count.toScreen', { count: 3 }));
    expect(open).toContain(en('web.manage.count.awarded', { count: 0 }));
    expect(open).toContain(eur('12500.00'));
    // the reviewing call: one funded, one with the committee, EUR 2,000 of 12,500 awarded
    const reviewing = rowOf(text, call.reviewing);
    expect(reviewing).toContain(en('web.manage.count.inReview', { count: 1 }));
    expect(reviewing).toContain(en('web.manage.count.awarded', { count: 1 }));
    expect(reviewing).toContain(`${en('web.manage.money.awarded')}: ${eur('2000.00')}`);
    expect(reviewing).toContain(`${en('web.manage.money.left')}: ${eur('10500.00')}`);
    // in all: the two published calls' money, the draft's EUR 5,000 not counted
    expect(summaryValue(text, en('web.manage.money.budget'))).toBe(eur('25000.00'));
    expect(summaryValue(text, en('web.manage.money.awarded'))).toBe(eur('2000.00'));
    expect(summaryValue(text, en('web.manage.money.left'))).toBe(eur('23000.00'));
    // what waits, each linked to where it is done
    expect(text).toContain(
      `<a class="govuk-link" href="/manage/calls/${call.open}/screening">${en('web.manage.waiting.toScreen', { count: 1 })}</a>`,
    );
    expect(text).toContain(
      `<a class="govuk-link" href="/manage/calls/${call.open}/screening">${en('web.manage.waiting.answered', { count: 1 })}</a>`,
    );
    expect(text).toContain(
      `<a class="govuk-link" href="/manage/calls/${call.reviewing}/committee">${en('web.manage.waiting.overdue', { count: 1 })}</a>`,
    );
    // the call's own title is escaped
    expect(text).toContain('Water &lt;b&gt;and&lt;/b&gt; schools');
    expect(text).not.toContain('Water <b>and</b>');
  });

  it('shows a call’s hub with its state, dates, money, counts and the pages of each step', async () => {
    const page = await agent.get(`/manage/calls/${call.reviewing}`).expect(200);
    const text = page.text;
    expect(text).toContain('Youth centres</h1>');
    expect(text).toContain(en('call.state.reviewing'));
    expect(text).toContain(en('web.manage.call.now.reviewing'));
    for (const step of ['setup', 'screening', 'committee', 'decisions']) {
      expect(text).toContain(`href="/manage/calls/${call.reviewing}/${step}"`);
    }
    expect(text).toContain(`href="/manage/applications?callId=${call.reviewing}"`);
    expect(text).toContain(`href="/calls/${call.reviewing}/applications.csv"`);
    expect(summaryValue(text, en('web.manage.money.awarded'))).toBe(eur('2000.00'));
    expect(summaryValue(text, en('web.manage.money.left'))).toBe(eur('10500.00'));
    expect(summaryValue(text, en('web.manage.call.maxAward'))).toBe(eur('2500.00'));
    expect(summaryValue(text, en('web.manage.call.inReview'))).toBe('1');
    expect(summaryValue(text, en('web.manage.call.awarded'))).toBe('1');
    expect(summaryValue(text, en('web.manage.call.overdue'))).toBe('1');
    expect(text).toContain(en('web.manage.call.reviewDue'));

    // the CSV the hub links to is served to the signed-in manager's session
    const csv = await agent.get(`/calls/${call.reviewing}/applications.csv`).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain('attachment');
    expect(csv.text).toContain('A youth centre roof');
    expect(csv.text).toContain('Computers for the youth centre');
  });

  it('lists the applications filtered by call, state, municipality and title words, and sorted', async () => {
    const all = await agent.get('/manage/applications').expect(200);
    expect(idsIn(all.text)).toHaveLength(6);
    // the applicant's words are escaped wherever they appear
    expect(all.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Sports ground');
    expect(all.text).not.toContain('<script>alert(1)</script>');
    expect(all.text).toContain(`href="/manage/applications/${app.fresh}"`);

    const byCall = await agent.get(`/manage/applications?callId=${call.open}`).expect(200);
    expect(idsIn(byCall.text).sort()).toEqual([app.draft, app.fresh, app.asked, app.answered].sort());
    expect(byCall.text).toContain(`href="/calls/${call.open}/applications.csv"`);
    expect(byCall.text).toMatch(new RegExp(`<option value="${call.open}" selected>`));

    const states = await agent
      .get(`/manage/applications?callId=${call.open}&state=submitted&state=more_info`)
      .expect(200);
    expect(idsIn(states.text).sort()).toEqual([app.fresh, app.asked, app.answered].sort());
    expect(states.text).toContain('value="more_info" checked');

    const place = await agent.get('/manage/applications?municipality=Gulistan').expect(200);
    expect(idsIn(place.text)).toEqual([app.asked]);
    const words = await agent.get('/manage/applications?q=YOUTH+centre').expect(200);
    expect(idsIn(words.text).sort()).toEqual([app.awarded, app.reviewed].sort());

    const largest = await agent.get('/manage/applications?sort=requested&order=desc').expect(200);
    expect(idsIn(largest.text)).toEqual([app.fresh, app.awarded, app.reviewed, app.asked, app.draft, app.answered]);
    const byTitle = await agent.get(`/manage/applications?callId=${call.open}&sort=title`).expect(200);
    expect(idsIn(byTitle.text)).toEqual([app.answered, app.draft, app.fresh, app.asked]);
  });

  it('refuses a filter it does not know, each problem linked to its field', async () => {
    const bad = await agent.get('/manage/applications?state=lost&sort=colour').expect(422);
    expect(bad.text).toContain('govuk-error-summary');
    expect(bad.text).toContain(`<a href="#state">${en('web.manage.list.stateInvalid')}</a>`);
    expect(bad.text).toContain(`<a href="#sort">${en('web.manage.list.sortInvalid')}</a>`);
    expect(idsIn(bad.text)).toHaveLength(0);
    const forged = await agent.get('/manage/applications?cursor=bm90LWEtY3Vyc29y').expect(422);
    expect(forged.text).toContain('href="#results"');
    expect(forged.text).toContain(`<p class="govuk-body" id="results">${en('web.manage.fixFilters')}</p>`);
  });

  it('pages through a long list with GOV.UK pagination, keeping the filters', async () => {
    const many = await http()
      .post('/calls')
      .set('authorization', manager.auth)
      .send(pilotCall({ title: { en: 'Many drafts' } }))
      .expect(201);
    const callId = many.body.id as string;
    await send(h, manager.auth, `/calls/${callId}`, { type: 'PUBLISH' });
    const made: string[] = [];
    for (let i = 0; i < 27; i++) made.push(await apply(callId, `Project ${String(i).padStart(2, '0')}`, '100.00'));

    const first = await agent.get(`/manage/applications?callId=${callId}&sort=title`).expect(200);
    expect(idsIn(first.text)).toEqual(made.slice(0, 25));
    expect(first.text).toContain('govuk-pagination');
    expect(first.text).not.toContain('rel="prev"');
    const next = /<a class="govuk-link govuk-pagination__link" href="([^"]+)" rel="next"/.exec(first.text)?.[1];
    expect(next).toBeDefined();
    const second = await agent.get(decode(next as string)).expect(200);
    expect(idsIn(second.text)).toEqual(made.slice(25));
    expect(second.text).toContain(en('web.manage.list.results', { page: 2, count: 2 }));
    expect(second.text).not.toContain('rel="next"');
    const previous = /href="([^"]+)" rel="prev"/.exec(second.text)?.[1];
    expect(decode(previous as string)).toBe(`/manage/applications?callId=${callId}&sort=title`);
  });

  it('lists the programme’s emails and sends a dead one again, once', async () => {
    const em = h.orm.em.fork();
    const mail = await db(em)
      .selectFrom('notification')
      .select(['id', 'email'])
      .where('subject_id', '=', app.fresh)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    await db(em)
      .updateTable('notification')
      // never delivered, so no subject line was ever written: the page renders it
      .set({ status: 'dead', attempts: 5, last_error: '550 <mailbox> unavailable', subject: null, sent_at: null })
      .where('id', '=', mail.id)
      .execute();

    const unknown = await agent.get('/manage/outbox?status=lost').expect(422);
    expect(unknown.text).toContain(`<a href="#status">${en('web.manage.outbox.statusInvalid')}</a>`);
    const all = await agent.get('/manage/outbox').expect(200);
    expect(all.text).toContain(en('web.manage.outbox.status.sent'));
    const dead = await agent.get('/manage/outbox?status=dead').expect(200);
    expect(dead.text).toContain(mail.email);
    expect(dead.text).toContain('550 &lt;mailbox&gt; unavailable');
    expect(dead.text).toMatch(/We received your application KG-\d{4}-\d{4}/);
    expect(dead.text).toContain(`action="/manage/outbox/${mail.id}/retry"`);
    expect(dead.text).toContain(en('web.manage.outbox.attempts', { count: 5 }));

    // without the form's token, refused
    await agent.post(`/manage/outbox/${mail.id}/retry`).set('origin', ORIGIN).type('form').send({}).expect(403);
    const retried = await postForm(agent, ORIGIN, `/manage/outbox/${mail.id}/retry`, dead.text, {}).expect(303);
    expect(retried.headers.location).toBe('/manage/outbox?done=retried');
    const after = await agent.get('/manage/outbox?done=retried').expect(200);
    expect(after.text).toContain(en('web.manage.outbox.done.retried'));
    const row = await db(h.orm.em.fork())
      .selectFrom('notification')
      .select(['status', 'attempts'])
      .where('id', '=', mail.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', attempts: 0 });

    // sent again from the old page: the email is no longer dead, and the page says so
    const again = await postForm(agent, ORIGIN, `/manage/outbox/${mail.id}/retry`, dead.text, {}).expect(409);
    expect(again.text).toContain('govuk-error-summary');
    expect(again.text).toContain(`href="#retry-${mail.id}"`);
    expect(again.text).toContain('waiting to be sent');

    // another programme's manager cannot see it, nor send it again
    const theirs = await outsider.get('/manage/outbox').expect(200);
    expect(theirs.text).not.toContain(mail.id);
    const form = await outsider.get('/manage/outbox').expect(200);
    await outsider
      .post(`/manage/outbox/${mail.id}/retry`)
      .set('origin', ORIGIN)
      .type('form')
      .send({ _csrf: csrfOf(form.text) })
      .expect(404);
  });

  it('keeps everyone but the programme’s managers out', async () => {
    // another programme's manager: their own empty programme, 403 on this published call, 404 on its draft
    const theirs = await outsider.get('/manage').expect(200);
    expect(theirs.text).toContain(en('web.manage.dashboard.noCalls'));
    expect(theirs.text).not.toContain('Youth centres');
    await outsider.get(`/manage/calls/${call.reviewing}`).expect(403);
    await outsider.get(`/manage/calls/${call.draft}`).expect(404);
    const list = await outsider.get('/manage/applications').expect(200);
    expect(idsIn(list.text)).toHaveLength(0);

    const member = await h.user('applicant');
    const applicant = await signedInAgent(h, smtp, member.email, ORIGIN);
    for (const path of ['/manage', `/manage/calls/${call.open}`, '/manage/applications', '/manage/outbox']) {
      await applicant.get(path).expect(403);
      const anonymous = await http().get(path).expect(303);
      expect(anonymous.headers.location).toMatch(/^\/sign-in/);
    }
  });
});

/** The dashboard's card of one call. */
function rowOf(html: string, callId: string): string {
  const start = html.indexOf(`href="/manage/calls/${callId}"`);
  expect(start).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</dl>', start));
}

/** The value beside a key in the page's summary lists. */
function summaryValue(html: string, key: string): string | undefined {
  const at = html.indexOf(`${key}\n`) >= 0 ? html.indexOf(`${key}\n`) : html.indexOf(key);
  const match = /<dd class="govuk-summary-list__value">\s*([\s\S]*?)\s*<\/dd>/.exec(html.slice(at));
  return match?.[1];
}

/** The applications a list page links to, in order. */
function idsIn(html: string): string[] {
  return [...html.matchAll(/href="\/manage\/applications\/([0-9a-f-]{36})"/g)].map((m) => m[1]);
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const decode = (href: string) => href.replace(/&amp;/g, '&');
