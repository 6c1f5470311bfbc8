import { AppConfig } from '../src/config/config';
import { wallClock } from '../src/common/time';
import { IdentityService } from '../src/identity/identity.service';
import { formatDate } from '../src/i18n/format';
import { translate } from '../src/i18n/translate';
import type { Locale } from '../workflows/localised';
import { createCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// While a call is open its manager moves the deadline later or closes it at once through two
// pages, as a browser without JavaScript does: each sends the API's event (EXTEND_DEADLINE,
// CLOSE) and goes back to the call's page with a banner; past open, both send the manager back.

const ORIGIN = 'http://grants.example.org';
const DAY = 24 * 60 * 60 * 1000;

describe('the call’s deadline pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let timeZone: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    timeZone = h.app.get(AppConfig).PROGRAMME_TIME_ZONE;
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  async function signedIn(
    role: 'manager' | 'applicant' | 'committee' | 'finance',
    locale: Locale,
    programmeId?: string,
  ): Promise<{ user: TestUser; agent: Agent }> {
    const user = await h.user(role, { locale, ...(programmeId && { programmeId }) });
    return { user, agent: await signedInAgent(h, smtp, user.email, ORIGIN) };
  }

  async function callOf(id: string, auth: string) {
    return (await h.http().get(`/calls/${id}`).set('authorization', auth).expect(200)).body;
  }

  /** A published call open now, of the manager's programme; its id and its deadline. */
  async function openCall(auth: string): Promise<{ id: string; closesAt: string }> {
    const id = await createCall(h, auth);
    await send(h, auth, `/calls/${id}`, { type: 'PUBLISH' });
    return { id, closesAt: (await callOf(id, auth)).closesAt as string };
  }

  /** An instant as the deadline page's boxes, on the programme's clock. */
  function deadlineFields(at: Date): Record<string, string> {
    const [day, time] = wallClock(at, timeZone).split(' ');
    const [year, month, d] = day.split('-');
    return {
      'closes-day': String(Number(d)),
      'closes-month': String(Number(month)),
      'closes-year': year,
      'closes-time': time,
    };
  }

  it('moves the deadline later, and the call’s page shows the new one', async () => {
    const { user, agent } = await signedIn('manager', 'en');
    const t = (key: string, params = {}) => translate('en', key, params, { timeZone });
    const { id, closesAt } = await openCall(user.auth);

    const hub = await agent.get(`/manage/calls/${id}`).expect(200);
    expect(hub.text).toContain(`href="/manage/calls/${id}/deadline"`);
    expect(hub.text).toContain(`href="/manage/calls/${id}/close"`);

    const page = await agent.get(`/manage/calls/${id}/deadline`).expect(200);
    expect(page.text).toContain(t('web.setup.extend.title'));
    expect(page.text).toContain(t('web.setup.extend.current', { closesAt: { date: closesAt } }));
    expect(page.text).toContain(t('web.setup.extend.intro', { timeZone }));
    // the boxes start at the deadline now
    expect(page.text).toContain(`value="${deadlineFields(new Date(closesAt))['closes-time']}"`);

    const later = new Date(new Date(closesAt).getTime() + 10 * DAY);
    const done = await postForm(agent, ORIGIN, `/manage/calls/${id}/deadline`, page.text, deadlineFields(later)).expect(
      303,
    );
    expect(done.headers.location).toBe(`/manage/calls/${id}?done=extended`);
    const call = await callOf(id, user.auth);
    expect(call).toMatchObject({ state: 'open', closesAtLocal: wallClock(later, timeZone) });

    const after = await agent.get(done.headers.location as string).expect(200);
    expect(after.text).toContain('govuk-notification-banner--success');
    expect(after.text).toContain(t('web.setup.done.extended'));
    expect(after.text).toContain(formatDate(call.closesAt, 'en', timeZone));
    expect(after.text).not.toContain(formatDate(closesAt, 'en', timeZone));
    const history = await h.http().get(`/calls/${id}/history`).set('authorization', user.auth).expect(200);
    expect(history.body.at(-1)).toMatchObject({ event: 'EXTEND_DEADLINE' });
  });

  it('refuses an earlier deadline with 422, naming the one now, in the reader’s language', async () => {
    const { user, agent } = await signedIn('manager', 'ky');
    const t = (key: string, params = {}) => translate('ky', key, params, { timeZone });
    const { id, closesAt } = await openCall(user.auth);
    const page = await agent.get(`/manage/calls/${id}/deadline`).expect(200);

    const earlier = new Date(new Date(closesAt).getTime() - 2 * DAY);
    const refused = await postForm(
      agent,
      ORIGIN,
      `/manage/calls/${id}/deadline`,
      page.text,
      deadlineFields(earlier),
    ).expect(422);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('href="#closes"');
    expect(refused.text).toContain(t('web.setup.extend.notLater', { closesAt: { date: closesAt } }));
    // what was typed stays in the boxes
    expect(refused.text).toContain(`value="${deadlineFields(earlier)['closes-day']}"`);

    const nonsense = await postForm(agent, ORIGIN, `/manage/calls/${id}/deadline`, page.text, {
      ...deadlineFields(earlier),
      'closes-day': '31',
      'closes-month': '2',
      'closes-time': '25:00',
    }).expect(422);
    expect(nonsense.text).toContain(t('web.setup.error.day'));
    expect(nonsense.text).toContain('href="#closes-time"');
    expect(nonsense.text).toContain(t('web.setup.error.time'));
    expect((await callOf(id, user.auth)).closesAt).toBe(closesAt);
  });

  it('closes the call at once: no more submissions, the draft stays a draft, and both pages then send the manager back', async () => {
    const { user, agent } = await signedIn('manager', 'en');
    const t = (key: string, params = {}) => translate('en', key, params, { timeZone });
    const { id, closesAt } = await openCall(user.auth);
    const draft = await h
      .http()
      .post(`/calls/${id}/applications`)
      .set('authorization', h.applicant)
      .send(proposal())
      .expect(201);

    const page = await agent.get(`/manage/calls/${id}/close`).expect(200);
    expect(page.text).toContain(t('web.setup.close.intro', { closesAt: { date: closesAt } }));
    for (const key of ['noSubmissions', 'drafts', 'screening', 'warning'])
      expect(page.text).toContain(t(`web.setup.close.${key}`));
    const done = await postForm(agent, ORIGIN, `/manage/calls/${id}/close`, page.text, {}).expect(303);
    expect(done.headers.location).toBe(`/manage/calls/${id}?done=closed`);
    expect((await callOf(id, user.auth)).state).toBe('closed');

    const hub = await agent.get(done.headers.location as string).expect(200);
    expect(hub.text).toContain(t('web.setup.done.closed'));
    expect(hub.text).toContain(t('call.state.closed'));
    expect(hub.text).not.toContain(`href="/manage/calls/${id}/deadline"`);
    expect(hub.text).not.toContain(`href="/manage/calls/${id}/close"`);

    // the applicant's submit is refused now; the application stays a draft
    const refused = await send(h, h.applicant, `/applications/${draft.body.id}`, { type: 'SUBMIT' }, 409);
    expect(refused.body.error.details).toMatchObject({ state: 'draft', failedConditions: ['callOpen'] });
    expect(refused.body.error.message).toContain('it was closed early, before its deadline');
    const application = await h
      .http()
      .get(`/applications/${draft.body.id}`)
      .set('authorization', h.applicant)
      .expect(200);
    expect(application.body.state).toBe('draft');

    for (const path of ['deadline', 'close'])
      expect((await agent.get(`/manage/calls/${id}/${path}`).expect(303)).headers.location).toBe(`/manage/calls/${id}`);
    // a form sent after closing: the machine refuses it, in the reader's language, on the page
    const late = await postForm(agent, ORIGIN, `/manage/calls/${id}/close`, page.text, {}).expect(409);
    expect(late.text).toContain('govuk-error-summary');
    expect(late.text).toContain('href="#close"');
    expect(late.text).toContain(translate('en', 'call.event.CLOSE'));
  });

  it('sends the manager back from a call not open yet, which offers neither page', async () => {
    const { user, agent } = await signedIn('manager', 'ru');
    const draft = await createCall(h, user.auth);
    for (const path of ['deadline', 'close'])
      expect((await agent.get(`/manage/calls/${draft}/${path}`).expect(303)).headers.location).toBe(
        `/manage/calls/${draft}`,
      );
    const hub = await agent.get(`/manage/calls/${draft}`).expect(200);
    expect(hub.text).not.toContain(translate('ru', 'web.setup.extend.start'));
    expect(hub.text).not.toContain(translate('ru', 'web.setup.close.start'));
  });

  it('keeps both pages to the call’s programme’s managers, as the access rules say', async () => {
    const { user, agent } = await signedIn('manager', 'en');
    const { id, closesAt } = await openCall(user.auth);
    const hidden = await createCall(h, user.auth);
    const other = await h.app.get(IdentityService).ensureProgramme(`Municipal fund ${Date.now()}`);
    const outsider = await signedIn('manager', 'en', other.id);

    for (const path of ['deadline', 'close']) {
      await outsider.agent.get(`/manage/calls/${id}/${path}`).expect(403);
      await outsider.agent.get(`/manage/calls/${hidden}/${path}`).expect(404);
      expect((await h.http().get(`/manage/calls/${id}/${path}`).expect(303)).headers.location).toMatch(/sign-in/);
    }
    // the outsider's own form token does not reach another programme's call
    const own = await outsider.agent.get('/manage/calls/new').expect(200);
    const later = deadlineFields(new Date(new Date(closesAt).getTime() + 5 * DAY));
    await postForm(outsider.agent, ORIGIN, `/manage/calls/${id}/deadline`, own.text, later).expect(403);
    await postForm(outsider.agent, ORIGIN, `/manage/calls/${id}/close`, own.text, {}).expect(403);
    for (const role of ['applicant', 'committee', 'finance'] as const) {
      const { agent: someone } = await signedIn(role, 'en');
      await someone.get(`/manage/calls/${id}/deadline`).expect(403);
      await someone.get(`/manage/calls/${id}/close`).expect(403);
    }
    // a form without its token is refused for anyone
    await agent.post(`/manage/calls/${id}/close`).set('origin', ORIGIN).type('form').send({}).expect(403);
    expect(await callOf(id, user.auth)).toMatchObject({ state: 'open', closesAt });
  });
});
