import { Call } from '../src/calls/call.entity';
import { createCall, openCall, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import request from 'supertest';
import { csrfOf, postForm, signInToken, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// Applying through the pages, as a browser without JavaScript does: a draft started from the call's
// page, every task page posted with its token, the answers checked, then submitted; and the
// refusals, each shown in the error summary and linked to the page that fixes it.

const BASE_URL = 'http://grants.example.org';

/** The links of a page's error summary, in order. */
function summaryLinks(html: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
}

describe('applying for a grant through the pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let callId: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL });
    callId = await openCall(h, h.manager);
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  const signedIn = (email: string) => signedInAgent(h, smtp, email, BASE_URL);

  /** Posts a page's form with the token of the page it came from. */
  async function post(agent: Agent, path: string, fields: Record<string, string>, status: number, from = path) {
    const page = await agent.get(from).expect(200);
    return postForm(agent, BASE_URL, path, page.text, fields).expect(status);
  }

  async function startDraft(agent: Agent, title = 'Clean water for Zhazy school', call = callId): Promise<string> {
    const started = await post(agent, `/open-calls/${call}/apply`, { title }, 303, `/open-calls/${call}`);
    return /\/my-applications\/([0-9a-f-]{36})\/tasks$/.exec(started.headers.location)?.[1] as string;
  }

  it('starts a draft from the call page, fills every task, checks the answers and submits', async () => {
    const member = await h.user('applicant', { locale: 'en', name: 'Aida' });
    const agent = await signedIn(member.email);

    const call = await agent.get(`/open-calls/${callId}`).expect(200);
    expect(call.text).toContain(`action="/open-calls/${callId}/apply"`);
    // the Apply button asks for the title first; an empty one is refused on the page
    const ask = await post(agent, `/open-calls/${callId}/apply`, {}, 200, `/open-calls/${callId}`);
    expect(ask.text).toContain('Project title');
    const empty = await post(agent, `/open-calls/${callId}/apply`, { title: ' ' }, 422, `/open-calls/${callId}`);
    expect(summaryLinks(empty.text)).toEqual(['#title']);
    expect(empty.text).toContain('Enter a title for your project');

    const id = await startDraft(agent);
    const base = `/my-applications/${id}`;
    const list = await agent.get(`${base}/tasks`).expect(200);
    expect(list.text).toContain('govuk-task-list');
    expect(list.text).toContain('Not started');
    expect(list.text).toContain('In progress');

    // about the project: a missing summary is named and linked, what was typed is kept
    const missing = await post(
      agent,
      `${base}/tasks/about`,
      {
        title: 'Clean water',
        summary: '',
        municipality: 'Zhazy',
      },
      422,
    );
    expect(summaryLinks(missing.text)).toEqual(['#summary']);
    expect(missing.text).toContain('Enter a summary of the project');
    expect(missing.text).toContain('value="Clean water"');
    const about = {
      title: 'Clean water for Zhazy school',
      summary: 'A filter and a tap in the school yard.',
      municipality: 'Zhazy',
    };
    expect((await post(agent, `${base}/tasks/about`, about, 303)).headers.location).toBe(`${base}/tasks`);
    await post(agent, `${base}/tasks/problem`, { problem: 'The school well is unsafe.' }, 303);

    // activities: a row added and removed without saving, then saved with real days
    const activity = {
      'activities-0-description': 'Buy and fit the filter',
      'activities-0-start-day': '1',
      'activities-0-start-month': '3',
      'activities-0-start-year': '2027',
      'activities-0-end-day': '30',
      'activities-0-end-month': '4',
      'activities-0-end-year': '2027',
    };
    const added = await post(agent, `${base}/tasks/activities`, { ...activity, add: '1' }, 200);
    expect(added.text).toContain('name="activities-1-description"');
    expect(added.text).toContain('>Buy and fit the filter</textarea>');
    const removed = await post(
      agent,
      `${base}/tasks/activities`,
      {
        ...activity,
        'activities-1-description': 'x',
        'remove-1': '1',
      },
      200,
    );
    expect(removed.text).not.toContain('name="activities-1-description"');
    const badDay = await post(
      agent,
      `${base}/tasks/activities`,
      {
        ...activity,
        'activities-0-end-day': '31',
        'activities-0-end-month': '2',
      },
      422,
    );
    expect(summaryLinks(badDay.text)).toEqual(['#activities-0-end']);
    await post(agent, `${base}/tasks/activities`, activity, 303);

    await post(
      agent,
      `${base}/tasks/participants`,
      {
        women: '30',
        men: '20',
        youth: '150',
        'by-local_government': '2',
        'by-civil_society': '',
      },
      303,
    );
    await post(
      agent,
      `${base}/tasks/composition`,
      {
        'composition-local_government': '1',
        'composition-civil_society': '4',
      },
      303,
    );

    // the budget: the server adds it up; a total above the maximum award is refused, linked to the table
    const lines = {
      'budget-0-category': 'Equipment',
      'budget-0-description': 'Water filter',
      'budget-0-quantity': '2',
      'budget-0-unitCost': '1 000,50',
    };
    const withLine = await post(agent, `${base}/tasks/budget`, { ...lines, add: '1' }, 200);
    expect(withLine.text).toContain('2,001.00');
    expect(withLine.text).toContain('name="budget-1-category"');
    const tooMuch = await post(agent, `${base}/tasks/budget`, { ...lines, 'budget-0-quantity': '3' }, 422);
    expect(summaryLinks(tooMuch.text)).toEqual(['#budget']);
    expect(tooMuch.text).toContain('above the maximum award of');
    const badCost = await post(agent, `${base}/tasks/budget`, { ...lines, 'budget-0-unitCost': 'lots' }, 422);
    expect(summaryLinks(badCost.text)).toEqual(['#budget-0-unitCost']);
    await post(agent, `${base}/tasks/budget`, lines, 303);

    await post(
      agent,
      `${base}/tasks/coFunding`,
      {
        'coFunding-0-source': 'Aiyl okmotu',
        'coFunding-0-amount': '200',
        'coFunding-0-inKind': 'yes',
      },
      303,
    );
    const unanswered = await post(agent, `${base}/tasks/eligibility`, {}, 422);
    expect(summaryLinks(unanswered.text)).toEqual(['#answer-registered']);
    await post(agent, `${base}/tasks/eligibility`, { 'answer-registered': 'yes' }, 303);

    // a document uploaded through the attachment rules, a wrong one refused, one removed
    const upload = async (bytes: Buffer, name: string) => {
      const page = await agent.get(`${base}/tasks/attachments`).expect(200);
      return agent
        .post(`${base}/attachments?_csrf=${encodeURIComponent(csrfOf(page.text))}`)
        .set('origin', BASE_URL)
        .attach('file', bytes, name);
    };
    expect((await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), 'plan.pdf')).status).toBe(303);
    expect((await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), 'spare.pdf')).status).toBe(303);
    const wrong = await upload(Buffer.from('MZ\x90\x00'), 'budget.pdf.exe');
    expect(wrong.status).toBe(422);
    expect(summaryLinks(wrong.text)).toEqual(['#file']);
    const files = await agent.get(`${base}/tasks/attachments`).expect(200);
    expect(files.text).toContain('plan.pdf');
    // the second file's remove button, in the order they were added
    const removeAction = [...files.text.matchAll(/action="([^"]+\/remove)"/g)].map((m) => m[1])[1];
    await post(agent, removeAction, {}, 303, `${base}/tasks/attachments`);
    expect((await agent.get(`${base}/tasks/attachments`).expect(200)).text).not.toContain('spare.pdf');

    const done = await agent.get(`${base}/tasks`).expect(200);
    expect(done.text).not.toContain('Not started');
    expect(done.text.match(/Completed/g)).toHaveLength(9);

    const check = await agent.get(`${base}/check`).expect(200);
    expect(check.text).toContain('govuk-summary-list');
    for (const task of [
      'about',
      'problem',
      'activities',
      'participants',
      'composition',
      'budget',
      'coFunding',
      'eligibility',
      'attachments',
    ]) {
      expect(check.text).toContain(`href="${base}/tasks/${task}"`);
    }
    expect(check.text).toContain('2,001.00');
    expect(check.text).toContain(`action="${base}/submit"`);
    const submitted = await post(agent, `${base}/submit`, {}, 303, `${base}/check`);
    expect(submitted.headers.location).toBe(`${base}?done=submitted`);
    const status = await agent.get(submitted.headers.location).expect(200);
    expect(status.text).toContain('Clean water for Zhazy school');
    expect(status.text).toContain('govuk-notification-banner--success');
    // a submitted application is no longer filled in: its pages lead to its status
    expect((await agent.get(`${base}/tasks/budget`).expect(303)).headers.location).toBe(base);
    const api = await h.http().get(`/applications/${id}`).set('authorization', member.auth).expect(200);
    expect(api.body.state).toBe('submitted');
    expect(api.body.requestedAmount).toBe('2001.00');
    expect(api.body.proposal.participants).toEqual({
      women: 30,
      men: 20,
      youth: 150,
      byStakeholder: { local_government: 2 },
    });
    expect(api.body.attachments.map((a: { name: string }) => a.name)).toEqual(['plan.pdf']);
  });

  it('lists what the machine still misses at submission, each linked to the task page that fixes it', async () => {
    const member = await h.user('applicant', { locale: 'ru' });
    const agent = await signedIn(member.email);
    const id = await startDraft(agent, 'Детская площадка');
    const base = `/my-applications/${id}`;
    const refused = await post(agent, `${base}/submit`, {}, 422, `${base}/check`);
    expect(summaryLinks(refused.text)).toEqual([
      `${base}/tasks/about`,
      `${base}/tasks/problem`,
      `${base}/tasks/activities`,
      `${base}/tasks/participants`,
      `${base}/tasks/budget`,
      `${base}/tasks/eligibility`,
    ]);
    expect(refused.text).toContain('Не заполнено:');
    expect(refused.text).toContain('<title>Ошибка: ');
    expect((await h.http().get(`/applications/${id}`).set('authorization', member.auth).expect(200)).body.state).toBe(
      'draft',
    );
  });

  it('refuses a page form without its token, and hides another group’s application as the API does', async () => {
    const member = await h.user('applicant');
    const agent = await signedIn(member.email);
    const id = await startDraft(agent);
    await agent
      .post(`/my-applications/${id}/tasks/problem`)
      .set('origin', BASE_URL)
      .type('form')
      .send({ problem: 'x' })
      .expect(403);
    await agent
      .post(`/my-applications/${id}/attachments`)
      .set('origin', BASE_URL)
      .attach('file', Buffer.from('%PDF-1.4\n'), 'a.pdf')
      .expect(403);

    const stranger = await h.user('applicant');
    const theirs = await signedIn(stranger.email);
    for (const path of ['/tasks', '/tasks/budget', '/check'])
      await theirs.get(`/my-applications/${id}${path}`).expect(404);
    const token = csrfOf((await theirs.get('/home').expect(200)).text);
    for (const path of ['/tasks/problem', '/submit']) {
      await theirs
        .post(`/my-applications/${id}${path}`)
        .set('origin', BASE_URL)
        .type('form')
        .send({ _csrf: token, problem: 'x' })
        .expect(404);
    }
    await theirs.get(`/my-applications/${id}/tasks/nonsense`).expect(404);
    // a visitor is sent to sign in, and back to the page afterwards is the sign-in page's business
    const visitor = await h.http().get(`/my-applications/${id}/tasks`).expect(303);
    expect(visitor.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/my-applications/${id}/tasks`)}`);
    const anonymous = await h.http().get(`/open-calls/${callId}`).expect(200);
    expect(anonymous.text).toContain(`href="/sign-in?next=${encodeURIComponent(`/open-calls/${callId}/apply`)}"`);
  });

  it('after the deadline says so with the time, offers no submit, and the machine refuses one', async () => {
    const call = await createCall(h, h.manager);
    await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' });
    const member = await h.user('applicant', { locale: 'en' });
    const agent = await signedIn(member.email);
    const id = await startDraft(agent, 'Late project', call);
    const base = `/my-applications/${id}`;
    const checkPage = await agent.get(`${base}/check`).expect(200);
    const token = csrfOf(checkPage.text);
    // the deadline passes while the call still stands open, its closing timer not yet run
    const closesAt = new Date(Date.now() - 60_000);
    await h.orm.em.fork().nativeUpdate(Call, { id: call }, { closesAt });
    const closed = await agent.get(`${base}/check`).expect(200);
    expect(closed.text).toContain('The deadline for this call was');
    expect(closed.text).not.toContain(`action="${base}/submit"`);
    expect((await agent.get(`${base}/tasks`).expect(200)).text).toContain('The deadline for this call was');
    expect((await agent.get(`/open-calls/${call}/apply`).expect(200)).text).toContain('The deadline for this call was');
    const refused = await agent
      .post(`${base}/submit`)
      .set('origin', BASE_URL)
      .type('form')
      .send({ _csrf: token })
      .expect(422);
    expect(refused.text).toContain('The deadline for proposals was');
    expect(summaryLinks(refused.text)).toContain(`/open-calls/${call}`);
  });

  it('brings a reader who was sent to sign in back to where they were, never to another site', async () => {
    const member = await h.user('applicant');
    const back = async (next: string) => {
      const agent = request.agent(h.app.getHttpServer());
      const form = await agent.get(`/sign-in?next=${encodeURIComponent(next)}`).expect(200);
      await postForm(agent, BASE_URL, '/sign-in', form.text, { email: member.email }).expect(200);
      const token = await signInToken(h, smtp, member.email);
      const signedIn = await agent.post('/auth/session').set('origin', BASE_URL).type('form').send({ token });
      expect(signedIn.status).toBe(303);
      // once used, the place is forgotten: the next sign-in lands at home
      expect(String(signedIn.headers['set-cookie'])).toContain('grants_next=;');
      return signedIn.headers.location;
    };
    expect(await back(`/open-calls/${callId}/apply`)).toBe(`/open-calls/${callId}/apply`);
    for (const away of ['//evil.example/', 'https://evil.example/', '/\\evil.example'])
      expect(await back(away)).toBe('/home');
  });

  it('shows a group member who already has a submitted application its status instead of its tasks', async () => {
    const member = await h.user('applicant');
    const id = await submittedApplication(h, callId, member.auth);
    const agent = await signedIn(member.email);
    expect((await agent.get(`/my-applications/${id}/tasks`).expect(303)).headers.location).toBe(
      `/my-applications/${id}`,
    );
  });
});
