import { translate } from '../src/i18n/translate';
import { IdentityService } from '../src/identity/identity.service';
import { createCall, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { csrfOf, postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// The programme manager runs a call's committee through its pages, as a browser without JavaScript
// does: the members and the chair, the review started with its deadline, the declarations, the
// assignment refused until everyone has declared and then run, a review given to another member by
// hand, the deadline moved. Each answer is checked against what the API then says.

const ORIGIN = 'http://grants.example.org';
const en = (key: string, params = {}) => translate('en', key, params);
const NEXT_YEAR = new Date().getFullYear() + 1;

describe('the committee pages', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let manager: TestUser;
  let agent: Agent;
  let callId: string;
  let applications: string[];
  let aida: TestUser;
  let bakyt: TestUser;
  let cholpon: TestUser;
  let path: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    manager = await h.user('manager', { locale: 'en' });
    agent = await signedInAgent(h, smtp, manager.email, ORIGIN);
    aida = await h.user('committee', { name: 'Aida Toktogulova' });
    bakyt = await h.user('committee', { name: 'Bakyt Osmonov' });
    cholpon = await h.user('committee', { name: 'Cholpon Asanova' });
    callId = await createCall(h, manager.auth, { reviewersPerApplication: 2 });
    await send(h, manager.auth, `/calls/${callId}`, { type: 'PUBLISH' });
    applications = [
      await submittedApplication(h, callId, (await h.user('applicant')).auth),
      await submittedApplication(h, callId, (await h.user('applicant')).auth),
    ];
    for (const id of applications)
      await send(h, manager.auth, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, manager.auth, `/calls/${callId}`, { type: 'CLOSE' });
    path = `/manage/calls/${callId}/committee`;
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  const api = (url: string) => h.http().get(url).set('authorization', manager.auth).expect(200);
  const declare = (member: TestUser, applicationId: string, conflicted: boolean, reason?: string) =>
    h
      .http()
      .post(`/applications/${applicationId}/conflict`)
      .set('authorization', member.auth)
      .send({ conflicted, ...(reason && { reason }) })
      .expect(200);

  /** The members' form as a browser posts it: one `members` field per ticked box. */
  function postMembers(as: Agent, page: string, members: string[], chair?: string) {
    const body = new URLSearchParams({ _csrf: csrfOf(page) });
    for (const m of members) body.append('members', m);
    if (chair) body.append('chair', chair);
    return as.post(`${path}/members`).set('origin', ORIGIN).type('form').send(body.toString());
  }

  it('sets the members and the chair, refusing a committee without its chair', async () => {
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain(`<h1 class="govuk-heading-xl">${en('web.committee.title')}</h1>`);
    for (const member of [aida, bakyt, cholpon]) expect(page.text).toContain(`value="${member.id}"`);

    const members = [aida.id, bakyt.id, cholpon.id];
    const noChair = await postMembers(agent, page.text, members).expect(422);
    expect(noChair.text).toContain('govuk-error-summary');
    expect(noChair.text).toContain('href="#chair"');
    expect(noChair.text).toContain(en('web.committee.members.chairMissing'));
    expect(noChair.text).toMatch(new RegExp(`value="${bakyt.id}" checked`));

    const outside = await postMembers(agent, page.text, [aida.id], bakyt.id).expect(422);
    expect(outside.text).toContain(en('web.committee.members.chairNotMember'));
    expect((await api(`/calls/${callId}/committee`)).body.members).toEqual([]);

    const saved = await postMembers(agent, page.text, members, aida.id).expect(303);
    expect(saved.headers.location).toBe(`${path}?done=members`);
    const after = await agent.get(saved.headers.location as string).expect(200);
    expect(after.text).toContain(en('web.committee.done.members'));
    expect((await api(`/calls/${callId}/committee`)).body.members).toEqual([
      { userId: aida.id, name: 'Aida Toktogulova', chair: true },
      { userId: bakyt.id, name: 'Bakyt Osmonov', chair: false },
      { userId: cholpon.id, name: 'Cholpon Asanova', chair: false },
    ]);
  });

  it('starts the review with its deadline on the programme’s clock, refusing a date that is not one', async () => {
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain(en('web.committee.deadline.start'));
    const unreal = await postForm(agent, ORIGIN, `${path}/deadline`, page.text, {
      day: '31',
      month: '2',
      year: String(NEXT_YEAR),
      time: '18:00',
    }).expect(422);
    expect(unreal.text).toContain('href="#reviewDueAt-day"');
    expect(unreal.text).toContain(en('web.committee.deadline.dateInvalid'));
    const past = await postForm(agent, ORIGIN, `${path}/deadline`, page.text, {
      day: '1',
      month: '1',
      year: '2020',
      time: '18:00',
    }).expect(409);
    expect(past.text).toContain('The review deadline (');
    expect((await api(`/calls/${callId}`)).body.state).toBe('closed');

    const started = await postForm(agent, ORIGIN, `${path}/deadline`, page.text, {
      day: '10',
      month: '4',
      year: String(NEXT_YEAR),
      time: '18:00',
    }).expect(303);
    expect(started.headers.location).toBe(`${path}?done=started`);
    const call = (await api(`/calls/${callId}`)).body;
    expect(call.state).toBe('reviewing');
    expect(call.review.dueAtLocal).toBe(`${NEXT_YEAR}-04-10 18:00`);
    const after = await agent.get(started.headers.location as string).expect(200);
    expect(after.text).toContain(en('web.committee.done.started'));
    expect(after.text).toContain('name="day" type="text" value="10"');
  });

  it('refuses to start the review while an application is still to be screened', async () => {
    const other = await createCall(h, manager.auth);
    await send(h, manager.auth, `/calls/${other}`, { type: 'PUBLISH' });
    await submittedApplication(h, other, (await h.user('applicant')).auth);
    await send(h, manager.auth, `/calls/${other}`, { type: 'CLOSE' });
    const otherPath = `/manage/calls/${other}/committee`;
    const page = await agent.get(otherPath).expect(200);
    expect(page.text).toContain(en('web.committee.applications.none'));
    const refused = await postForm(agent, ORIGIN, `${otherPath}/deadline`, page.text, {
      day: '',
      month: '',
      year: '',
      time: '18:00',
    }).expect(409);
    expect(refused.text).toContain(en('call.allApplicationsScreened', { count: 1 }));
    expect((await api(`/calls/${other}`)).body.state).toBe('closed');
  });

  it('shows who declared what, and refuses the assignment in the reader’s language until everyone has', async () => {
    await declare(aida, applications[0], false);
    await declare(aida, applications[1], false);
    await declare(bakyt, applications[0], true, 'My sister leads this group');
    await declare(bakyt, applications[1], false);
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain('Bakyt Osmonov: My sister leads this group');
    expect(page.text).toContain(en('web.committee.assign.undeclaredMember', { name: 'Cholpon Asanova', count: 2 }));

    const refused = await postForm(agent, ORIGIN, `${path}/assignment`, page.text, {}).expect(409);
    expect(refused.text).toContain('href="#assign"');
    expect(refused.text).toContain(en('assignment.undeclared', { members: { list: ['Cholpon Asanova (2)'] } }));
    // a Russian reader reads the same refusal in Russian
    const russian = await h.user('manager', { locale: 'ru' });
    const ru = await signedInAgent(h, smtp, russian.email, ORIGIN);
    const ruPage = await ru.get(path).expect(200);
    const ruRefused = await postForm(ru, ORIGIN, `${path}/assignment`, ruPage.text, {}).expect(409);
    expect(ruRefused.text).toContain(
      translate('ru', 'assignment.undeclared', { members: { list: ['Cholpon Asanova (2)'] } }),
    );
    expect(
      (await api(`/calls/${callId}/review`)).body.applications.every(
        (a: { reviewers: unknown[] }) => a.reviewers.length === 0,
      ),
    ).toBe(true);

    await declare(cholpon, applications[0], false);
    await declare(cholpon, applications[1], false);
    const assigned = await postForm(agent, ORIGIN, `${path}/assignment`, page.text, {}).expect(303);
    expect(assigned.headers.location).toBe(`${path}?done=assigned`);
    const board = (await api(`/calls/${callId}/review`)).body;
    const first = board.applications.find((a: { applicationId: string }) => a.applicationId === applications[0]);
    expect(first.reviewers.map((r: { userId: string }) => r.userId).sort()).toEqual([aida.id, cholpon.id].sort());
    expect(board.members.map((m: { assigned: number }) => m.assigned).reduce((a: number, b: number) => a + b)).toBe(4);
    const after = await agent.get(assigned.headers.location as string).expect(200);
    expect(after.text).toContain(en('web.committee.done.assigned'));
    expect(after.text).toContain(`Aida Toktogulova (${en('review.state.draft')})`);

    // run again, nothing is missing: nothing changes
    const again = await postForm(agent, ORIGIN, `${path}/assignment`, page.text, {}).expect(303);
    expect(again.headers.location).toBe(`${path}?done=assignedNone`);
  });

  it('gives a review to another member by hand, and shows the refusal of a conflicted one', async () => {
    const second = applications[1];
    const before = (await api(`/applications/${second}/reviews`)).body.reviews as { reviewer: { userId: string } }[];
    const reviewing = before.map((r) => r.reviewer.userId);
    const free = [aida, bakyt, cholpon].find((m) => !reviewing.includes(m.id)) as TestUser;
    const taken = reviewing[0];
    const pagePath = `${path}/applications/${second}`;
    const page = await agent.get(pagePath).expect(200);
    expect(page.text).toContain(`name="to" type="radio" value="${free.id}"`);
    expect(page.text).toContain(`name="from" type="radio" value="${taken}"`);

    const nobody = await postForm(agent, ORIGIN, `${pagePath}/reviewers`, page.text, { from: '' }).expect(422);
    expect(nobody.text).toContain('href="#to"');
    expect(nobody.text).toContain(en('web.committee.reassign.toMissing'));

    const moved = await postForm(agent, ORIGIN, `${pagePath}/reviewers`, page.text, {
      to: free.id,
      from: taken,
      reason: 'Away until the deadline',
    }).expect(303);
    expect(moved.headers.location).toBe(`${path}?done=reassigned#application-${second}`);
    const after = (await api(`/applications/${second}/reviews`)).body.reviews as { reviewer: { userId: string } }[];
    expect(after.map((r) => r.reviewer.userId).sort()).toEqual([...reviewing.slice(1), free.id].sort());

    // the conflicted member is not offered on the first application; posted all the same, the service refuses
    const firstPath = `${path}/applications/${applications[0]}`;
    const firstPage = await agent.get(firstPath).expect(200);
    expect(firstPage.text).not.toContain(`name="to" type="radio" value="${bakyt.id}"`);
    const conflicted = await postForm(agent, ORIGIN, `${firstPath}/reviewers`, firstPage.text, {
      to: bakyt.id,
      from: '',
    }).expect(409);
    const reference = (await api(`/applications/${applications[0]}`)).body.reference as string;
    expect(conflicted.text).toContain(en('assignment.conflictedReviewer', { reference }));

    // an application of another call is not on this committee's pages
    const otherCall = await createCall(h, manager.auth);
    await agent.get(`/manage/calls/${otherCall}/committee/applications/${second}`).expect(404);
  });

  it('moves the review deadline, refusing an empty one', async () => {
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain(en('web.committee.deadline.save'));
    const empty = await postForm(agent, ORIGIN, `${path}/deadline`, page.text, {
      day: '',
      month: '',
      year: '',
      time: '',
    }).expect(422);
    expect(empty.text).toContain(en('web.committee.deadline.missing'));
    const badTime = await postForm(agent, ORIGIN, `${path}/deadline`, page.text, {
      day: '17',
      month: '4',
      year: String(NEXT_YEAR),
      time: 'evening',
    }).expect(422);
    expect(badTime.text).toContain('href="#reviewDueTime"');
    const moved = await postForm(agent, ORIGIN, `${path}/deadline`, page.text, {
      day: '17',
      month: '4',
      year: String(NEXT_YEAR),
      time: '12:30',
    }).expect(303);
    expect(moved.headers.location).toBe(`${path}?done=deadline`);
    expect((await api(`/calls/${callId}`)).body.review.dueAtLocal).toBe(`${NEXT_YEAR}-04-17 12:30`);
  });

  it('refuses everyone but the programme’s managers, hiding a draft call from another programme', async () => {
    const other = await h.app.get(IdentityService).ensureProgramme(`Another fund ${Date.now()}`);
    const outsider = await h.user('manager', { programmeId: other.id });
    const outsiderAgent = await signedInAgent(h, smtp, outsider.email, ORIGIN);
    // any page of theirs carries the form token (the sign-out form)
    const home = await outsiderAgent.get('/').expect(200);
    await outsiderAgent.get(path).expect(403);
    await postMembers(outsiderAgent, home.text, [outsider.id], outsider.id).expect(403);
    await postForm(outsiderAgent, ORIGIN, `${path}/assignment`, home.text, {}).expect(403);
    await postForm(outsiderAgent, ORIGIN, `${path}/deadline`, home.text, {
      day: '1',
      month: '5',
      year: String(NEXT_YEAR),
      time: '18:00',
    }).expect(403);
    const reassign = `${path}/applications/${applications[0]}/reviewers`;
    // the application is hidden from them, as the API's routes of an application hide it
    await postForm(outsiderAgent, ORIGIN, reassign, home.text, { to: outsider.id, from: '', reason: '' }).expect(404);
    await outsiderAgent.get(`${path}/applications/${applications[0]}`).expect(404);
    const draft = await createCall(h, manager.auth);
    await outsiderAgent.get(`/manage/calls/${draft}/committee`).expect(404);

    const member = await signedInAgent(h, smtp, aida.email, ORIGIN);
    await member.get(path).expect(403);
    const memberHome = await member.get('/').expect(200);
    await postForm(member, ORIGIN, `${path}/assignment`, memberHome.text, {}).expect(403);
    await h.http().get(path).expect(303);
    expect((await api(`/calls/${callId}/committee`)).body.members).toHaveLength(3);
  });
});
