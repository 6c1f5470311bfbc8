import { translate } from '../src/i18n/translate';
import { IdentityService } from '../src/identity/identity.service';
import type { Locale } from '../workflows/localised';
import { openCall, proposal, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { csrfOf, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// Screening through the pages, as a manager's browser without JavaScript does it: the call's
// waiting applications with the computed check beside each answer, decisions on several at once
// (each its own transition, each outcome shown after the redirect), and one application's page.

const ORIGIN = 'http://grants.example.org';
const HOSTILE = '<script>alert("x")</script> Water & taps';

/** The links of a page's error summary, in order. */
function summaryLinks(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
}

/** The text of the page's error summary. */
function summaryOf(html: string): string {
  return /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
}

/** A form body as a browser sends it: a checkbox chosen several times repeats its name. */
function formBody(token: string, fields: [string, string][]): string {
  return [['_csrf', token], ...fields].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

describe('screening through the pages', () => {
  let h: Harness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  async function manager(locale: Locale): Promise<{ auth: string; agent: Agent }> {
    const user = await h.user('manager', { locale });
    return { auth: user.auth, agent: await signedInAgent(h, smtp, user.email, ORIGIN) };
  }

  async function applicant(): Promise<string> {
    return (await h.user('applicant')).auth;
  }

  /** A submitted application with the proposal's fields replaced by `overrides`. */
  async function submitted(callId: string, overrides: Record<string, unknown> = {}, auth?: string): Promise<string> {
    const owner = auth ?? (await applicant());
    const res = await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', owner)
      .send(proposal('2000.00', overrides))
      .expect(201);
    await send(h, owner, `/applications/${res.body.id}`, { type: 'SUBMIT' });
    return res.body.id as string;
  }

  async function stateOf(id: string): Promise<string> {
    return (await h.http().get(`/applications/${id}`).set('authorization', h.manager).expect(200)).body.state as string;
  }

  async function referenceOf(id: string): Promise<string> {
    return (await h.http().get(`/applications/${id}`).set('authorization', h.manager).expect(200)).body
      .reference as string;
  }

  /** Posts the screening form of `page` with the given fields. */
  function post(agent: Agent, path: string, page: string, fields: [string, string][]) {
    return agent
      .post(path)
      .set('origin', ORIGIN)
      .type('form')
      .send(formBody(csrfOf(page), fields));
  }

  it('lists the waiting applications with the computed check beside each answer, applicant text escaped', async () => {
    const { agent } = await manager('en');
    const callId = await openCall(h, h.manager);
    const good = await submitted(callId);
    const poor = await submitted(callId, {
      title: HOSTILE,
      municipality: 'Osh',
      eligibilityAnswers: { registered: false },
      composition: { civil_society: 3 },
    });
    const drafted = await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', await applicant())
      .send(proposal('1000.00', { title: 'A draft nobody submitted' }))
      .expect(201);

    const page = await agent.get(`/manage/calls/${callId}/screening`).expect(200);
    const text = page.text;
    expect(text).toContain('<h1 class="govuk-heading-xl">Screening</h1>');
    expect(text).toContain('2 applications wait for screening');
    expect(text).toContain(`href="/manage/applications/${good}"`);
    expect(text).toContain(`href="/manage/applications/${poor}"`);
    expect(text).not.toContain(drafted.body.id);
    expect(text).toContain('Does the group include the local council or a registered organisation?');
    // the poor one's answer, municipality and composition are each marked as not met
    expect(text).toContain('Osh; the call covers Alexandrovsky, Yuryevka, Gulistan, Zhazy');
    expect(text).toContain('Zhazy; the call covers Alexandrovsky, Yuryevka, Gulistan, Zhazy');
    expect(text).toContain('1 kind of member the call counts; at least 2 needed');
    expect(text).toContain('2 kinds of member the call counts; at least 2 needed');
    const cardOf = (id: string) =>
      text.slice(text.indexOf(`/manage/applications/${id}"`)).split('app-screening-card')[0];
    expect(cardOf(good).match(/govuk-tag--red/g) ?? []).toHaveLength(0);
    expect(cardOf(poor).match(/govuk-tag--red/g) ?? []).toHaveLength(4);
    expect(text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Water &amp; taps');
    expect(text).not.toContain('<script>alert');
    expect(text).toContain(`id="choose-${good}"`);
  });

  it('records one decision for several applications at once, and shows each outcome after the redirect', async () => {
    const { agent } = await manager('en');
    const callId = await openCall(h, h.manager);
    const first = await submitted(callId);
    const second = await submitted(callId);
    const kept = await submitted(callId);
    const path = `/manage/calls/${callId}/screening`;
    const page = await agent.get(path).expect(200);

    const sent = await post(agent, path, page.text, [
      ['applications', first],
      ['applications', second],
      ['outcome', 'eligible'],
    ]).expect(303);
    expect(sent.headers.location).toMatch(new RegExp(`^${path}\\?outcome=[\\w-]+\\.[\\w-]+$`));
    expect(await stateOf(first)).toBe('eligible');
    expect(await stateOf(second)).toBe('eligible');
    expect(await stateOf(kept)).toBe('submitted');

    const after = await agent.get(sent.headers.location as string).expect(200);
    expect(after.text).toContain('govuk-notification-banner--success');
    expect(after.text).toContain('2 decisions recorded');
    expect(after.text).toContain(`${await referenceOf(first)}</a>:`);
    expect(after.text).toContain('now eligible');
    expect(after.text).not.toContain('govuk-error-summary');
    // those decided leave the list; the other still waits
    expect(after.text).toContain('1 application waits for screening');
    expect(after.text).not.toContain(`id="choose-${first}"`);
    expect(after.text).toContain(`id="choose-${kept}"`);

    // an outcome altered, or sealed for another call, shows nothing
    const sealed = new URL(sent.headers.location as string, ORIGIN).searchParams.get('outcome') as string;
    const altered = await agent.get(`${path}?outcome=${sealed.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`);
    expect(altered.status).toBe(200);
    expect(altered.text).not.toContain('govuk-notification-banner');
    const otherCall = await openCall(h, h.manager);
    const elsewhere = await agent.get(`/manage/calls/${otherCall}/screening?outcome=${sealed}`).expect(200);
    expect(elsewhere.text).not.toContain('govuk-notification-banner');
  });

  it('shows a refused decision beside those done, with the machine’s reason in the reader’s language', async () => {
    const { agent } = await manager('ru');
    const callId = await openCall(h, h.manager);
    const fresh = await submitted(callId);
    const asked = await submitted(callId);
    await send(h, h.manager, `/applications/${asked}`, { type: 'REQUEST_INFO', questions: ['Какая школа?'] });
    const path = `/manage/calls/${callId}/screening`;
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain(translate('ru', 'web.screening.stage.waiting'));
    expect(page.text).toContain('Какая школа?');

    const sent = await post(agent, path, page.text, [
      ['applications', fresh],
      ['applications', asked],
      ['outcome', 'more_info'],
      ['questions', 'Кто будет ухаживать за фильтром?\n\nСколько детей в школе?'],
    ]).expect(303);
    const after = await agent.get(sent.headers.location as string).expect(200);
    expect(after.text).toContain('Записано 1 решение');
    expect(after.text).toContain(translate('ru', 'web.screening.outcome.refused', { count: 1 }));
    // the refused one is still waiting, its reason linked to its checkbox
    expect(summaryLinks(after.text)).toEqual([`#choose-${asked}`]);
    const reference = await referenceOf(asked);
    expect(summaryOf(after.text)).toContain(`${reference}: Сейчас нельзя`);
    expect(await stateOf(fresh)).toBe('more_info');
    expect(await stateOf(asked)).toBe('more_info');
    const screening = await h.http().get(`/applications/${fresh}/screening`).set('authorization', h.manager);
    expect(screening.body.questions).toEqual(['Кто будет ухаживать за фильтром?', 'Сколько детей в школе?']);
  });

  it('marks an application whose answers came back, with each question beside its answer', async () => {
    const { agent } = await manager('en');
    const callId = await openCall(h, h.manager);
    const owner = await applicant();
    const id = await submitted(callId, {}, owner);
    await send(h, h.manager, `/applications/${id}`, { type: 'REQUEST_INFO', questions: ['Which <school>?'] });
    const waiting = await agent.get(`/manage/calls/${callId}/screening`).expect(200);
    expect(waiting.text).toContain('Waiting for answers');
    expect(waiting.text).toContain('No answer yet');
    await send(h, owner, `/applications/${id}`, { type: 'RESUBMIT', answers: ['School No. 3 & the kindergarten'] });
    const answered = await agent.get(`/manage/calls/${callId}/screening`).expect(200);
    expect(answered.text).toContain('Answers received');
    expect(answered.text).toContain('Which &lt;school&gt;?');
    expect(answered.text).toContain('School No. 3 &amp; the kindergarten');
    const page = await agent.get(`/manage/applications/${id}`).expect(200);
    expect(page.text).toContain('The group answered and submitted again');
    expect(page.text).toContain('Questions sent to the group');
  });

  it('refuses a bulk form without a choice or a reason, naming each field and writing nothing', async () => {
    const { agent } = await manager('ky');
    const callId = await openCall(h, h.manager);
    const id = await submitted(callId);
    const path = `/manage/calls/${callId}/screening`;
    const page = await agent.get(path).expect(200);

    const nothing = await post(agent, path, page.text, []).expect(422);
    expect(summaryLinks(nothing.text)).toEqual([`#choose-${id}`, '#outcome']);
    expect(nothing.text).toContain(translate('ky', 'web.screening.error.chooseOne'));
    expect(nothing.text).toContain(translate('ky', 'web.screening.error.outcome'));

    const noReason = await post(agent, path, page.text, [
      ['applications', id],
      ['outcome', 'ineligible'],
      ['reason', '  '],
    ]).expect(422);
    expect(summaryLinks(noReason.text)).toEqual(['#reason']);
    expect(noReason.text).toContain(translate('ky', 'web.screening.error.reason'));
    // the choice is kept for the second try
    expect(noReason.text).toMatch(new RegExp(`id="choose-${id}"[^>]*checked`));
    expect(await stateOf(id)).toBe('submitted');

    // a form without its token is refused before anything is read
    await agent.post(path).set('origin', ORIGIN).type('form').send(`applications=${id}&outcome=eligible`).expect(403);
    expect(await stateOf(id)).toBe('submitted');
  });

  it('shows one application as staff see it: proposal, budget with totals, files, check and history', async () => {
    const { agent } = await manager('en');
    const callId = await openCall(h, h.manager);
    const owner = await applicant();
    const draft = await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', owner)
      .send(
        proposal('1400.00', {
          budget: [
            { category: 'Equipment', description: 'Water filter <b>and</b> tap', quantity: 2, unitCost: '700.00' },
            { category: 'Labour', description: 'Fitting', quantity: 3, unitCost: '100.00' },
          ],
          coFunding: [
            { source: 'Aiyl okmotu', amount: '200.00', inKind: true },
            { source: 'Parents', amount: '50.00', inKind: false },
          ],
        }),
      )
      .expect(201);
    const id = draft.body.id as string;
    const file = await h
      .http()
      .post(`/applications/${id}/attachments`)
      .set('authorization', owner)
      .attach('file', Buffer.from('%PDF-1.4\n%%EOF\n'), 'smeta.pdf')
      .expect(201);
    await send(h, owner, `/applications/${id}`, { type: 'SUBMIT' });

    const page = await agent.get(`/manage/applications/${id}`).expect(200);
    const text = page.text;
    expect(text).toContain('Clean water for Zhazy school</h1>');
    expect(text).toContain('A filter and a tap in the school yard, fitted by parents.');
    expect(text).toContain('Children bring water from home; the school well is unsafe.');
    expect(text).toContain('Buy and fit the filter');
    expect(text).toContain('Water filter &lt;b&gt;and&lt;/b&gt; tap');
    // Intl puts a no-break space between the currency's code and the amount
    expect(text).toContain('EUR\u00a01,400.00');
    expect(text).toContain('EUR\u00a01,700.00');
    expect(text).toContain('Total requested');
    expect(text).toContain('EUR\u00a0250.00');
    expect(text).toContain('Work, materials or premises');
    expect(text).toContain(`href="/applications/${id}/attachments/${file.body.id}"`);
    expect(text).toContain('Download smeta.pdf');
    expect(text).toContain('Eligibility check');
    expect(text).toContain('Submitted');
    expect(text).toContain('by the group');
    expect(text).toContain(`action="/manage/applications/${id}/screening"`);
    // the file's link works for the manager, as the API's route does
    await agent.get(`/applications/${id}/attachments/${file.body.id}`).expect(200);
  });

  it('decides one application on its page: refuses an ineligible without reason, then records it', async () => {
    const { agent } = await manager('en');
    const callId = await openCall(h, h.manager);
    const id = await submitted(callId, { title: HOSTILE });
    const path = `/manage/applications/${id}`;
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Water &amp; taps');
    expect(page.text).not.toContain('<script>alert');

    const invalid = await post(agent, `${path}/screening`, page.text, [['outcome', 'ineligible']]).expect(422);
    expect(summaryLinks(invalid.text)).toEqual(['#reason']);
    expect(invalid.text).toContain('Say why the application is not eligible');
    expect(await stateOf(id)).toBe('submitted');

    const reason = 'The project is in Osh, <not> one of the four municipalities.';
    const done = await post(agent, `${path}/screening`, page.text, [
      ['outcome', 'ineligible'],
      ['reason', reason],
    ]).expect(303);
    expect(done.headers.location).toBe(`${path}?done=ineligible`);
    const after = await agent.get(done.headers.location as string).expect(200);
    expect(after.text).toContain('The application is not eligible. The group is told why.');
    expect(after.text).toContain('The project is in Osh, &lt;not&gt; one of the four municipalities.');
    expect(after.text).not.toContain(`action="${path}/screening"`);
    expect(await stateOf(id)).toBe('ineligible');

    // sent again from the old page, the machine refuses, in the error summary
    const again = await post(agent, `${path}/screening`, page.text, [['outcome', 'eligible']]).expect(409);
    expect(summaryLinks(again.text)).toEqual(['#outcome']);
    expect(summaryOf(again.text)).toMatch(/You cannot [^<]+ now/);
  });

  it('sends the group questions from the application’s page: its status shows more_info', async () => {
    const { agent } = await manager('ky');
    const callId = await openCall(h, h.manager);
    const owner = await applicant();
    const id = await submittedApplication(h, callId, owner);
    const path = `/manage/applications/${id}`;
    const page = await agent.get(path).expect(200);
    const done = await post(agent, `${path}/screening`, page.text, [
      ['outcome', 'more_info'],
      ['questions', 'Мектептин аты эмне?\nСуу чыпкасын ким тейлейт?'],
    ]).expect(303);
    expect(done.headers.location).toBe(`${path}?done=more_info`);
    const after = await agent.get(done.headers.location as string).expect(200);
    expect(after.text).toContain(translate('ky', 'web.screening.done.more_info'));
    expect(after.text).toContain(translate('ky', 'web.screening.stage.waiting'));
    expect(after.text).toContain('Суу чыпкасын ким тейлейт?');

    const status = await h.http().get(`/applications/${id}/status`).set('authorization', owner).expect(200);
    expect(status.body.state.code).toBe('more_info');
    const history = await h.http().get(`/applications/${id}/history`).set('authorization', owner).expect(200);
    expect(history.body.at(-1)).toMatchObject({
      event: 'REQUEST_INFO',
      payload: { questions: ['Мектептин аты эмне?', 'Суу чыпкасын ким тейлейт?'] },
    });
  });

  it('refuses outsiders as the API’s screening routes do: 403 for another role or programme, 404 for a hidden application', async () => {
    const callId = await openCall(h, h.manager);
    const id = await submittedApplication(h, callId, await applicant());
    const programme = await h.app.get(IdentityService).ensureProgramme('Another programme');
    const other = await h.user('manager', { programmeId: programme.id });
    const finance = await h.user('finance');
    const member = await h.user('applicant');
    for (const user of [other, finance, member]) {
      const agent = await signedInAgent(h, smtp, user.email, ORIGIN);
      const api = await h.http().get(`/applications/${id}/screening`).set('authorization', user.auth);
      await agent.get(`/manage/applications/${id}`).expect(api.status);
      const list = await h.http().get(`/calls/${callId}/screening`).set('authorization', user.auth);
      await agent.get(`/manage/calls/${callId}/screening`).expect(list.status);
      expect([list.status, api.status]).toEqual(user === other ? [403, 404] : [403, 403]);
      const page = await agent.get('/').expect(200);
      await post(agent, `/manage/calls/${callId}/screening`, page.text, [
        ['applications', id],
        ['outcome', 'eligible'],
      ]).expect(403);
      await post(agent, `/manage/applications/${id}/screening`, page.text, [['outcome', 'eligible']]).expect(
        user === other ? 404 : 403,
      );
    }
    expect(await stateOf(id)).toBe('submitted');
    await h.http().get(`/manage/applications/${id}`).expect(303);
  });
});
