import { awardedApplication, giveBankDetails, openCall, send, submittedApplication } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { postForm, signedInAgent, type Agent } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// What a group does on its application's status page, as a browser without JavaScript does it:
// each action is an event sent the way the API sends it, so the machine's every rule applies.

const ORIGIN = 'http://grants.example.org';
const QUESTIONS = ['Which school is the water for?', 'Who will look after the pump?'];

describe('the status page’s actions', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let callId: string;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN });
    callId = await openCall(h, h.manager);
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  async function member(locale: 'en' | 'ru' | 'ky'): Promise<{ user: TestUser; agent: Agent }> {
    const user = await h.user('applicant', { locale });
    return { user, agent: await signedInAgent(h, smtp, user.email, ORIGIN) };
  }

  async function stateOf(id: string, auth: string): Promise<string> {
    return (await h.http().get(`/applications/${id}`).set('authorization', auth).expect(200)).body.state as string;
  }

  it('shows the programme’s questions, refuses a missing answer, and resubmits the answers', async () => {
    const { user, agent } = await member('en');
    const id = await submittedApplication(h, callId, user.auth);
    await send(h, h.manager, `/applications/${id}`, { type: 'REQUEST_INFO', questions: QUESTIONS });
    const path = `/my-applications/${id}`;
    const page = await agent.get(path).expect(200);
    expect(page.text).toContain(QUESTIONS[0]);
    expect(page.text).toContain(QUESTIONS[1]);
    expect(page.text).toContain('id="answer-1"');
    expect(page.text).toContain(`href="${path}/withdraw"`);

    await agent
      .post(`${path}/resubmit`)
      .set('origin', ORIGIN)
      .type('form')
      .send({ 'answer-0': 'School No. 3', 'answer-1': 'The caretaker' })
      .expect(403);
    const invalid = await postForm(agent, ORIGIN, `${path}/resubmit`, page.text, {
      'answer-0': 'School No. 3',
      'answer-1': '   ',
    }).expect(422);
    expect(invalid.text).toContain('govuk-error-summary');
    expect(invalid.text).toContain('href="#answer-1"');
    expect(invalid.text).toContain('Write your answer to this question');
    expect(invalid.text).toContain('School No. 3</textarea>');

    const sent = await postForm(agent, ORIGIN, `${path}/resubmit`, page.text, {
      'answer-0': 'School No. 3',
      'answer-1': 'The caretaker',
    }).expect(303);
    expect(sent.headers.location).toBe(`${path}?done=resubmitted`);
    const after = await agent.get(sent.headers.location as string).expect(200);
    expect(after.text).toContain('govuk-notification-banner--success');
    expect(after.text).toContain('Your answers are sent and the application is submitted again.');
    expect(after.text).not.toContain('id="answer-0"');
    expect(await stateOf(id, user.auth)).toBe('submitted');
    const history = await h.http().get(`/applications/${id}/history`).set('authorization', user.auth).expect(200);
    expect(history.body.at(-1)).toMatchObject({
      event: 'RESUBMIT',
      payload: { answers: ['School No. 3', 'The caretaker'] },
    });

    // sent again from the old page, the machine refuses: the application is no longer waiting for answers
    const refused = await postForm(agent, ORIGIN, `${path}/resubmit`, page.text, {
      'answer-0': 'School No. 3',
      'answer-1': 'The caretaker',
    }).expect(409);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('href="#actions"');
    expect(refused.text).toMatch(/You cannot [^<]+ now/);
  });

  it('withdraws with a reason through the confirmation page, and refuses withdrawing twice in the reader’s language', async () => {
    const { user, agent } = await member('ru');
    const id = await submittedApplication(h, callId, user.auth);
    const path = `/my-applications/${id}`;
    const confirm = await agent.get(`${path}/withdraw`).expect(200);
    expect(confirm.text).toContain('govuk-warning-text');
    expect(confirm.text).toContain('Отозванную заявку нельзя подать снова.');
    expect(confirm.text).toContain(`action="${path}/withdraw"`);

    const invalid = await postForm(agent, ORIGIN, `${path}/withdraw`, confirm.text, { reason: '' }).expect(422);
    expect(invalid.text).toContain('href="#reason"');
    expect(invalid.text).toContain('Напишите, почему вы отзываете заявку');
    expect(await stateOf(id, user.auth)).toBe('submitted');

    const done = await postForm(agent, ORIGIN, `${path}/withdraw`, confirm.text, {
      reason: 'Подадим в следующем году.',
    }).expect(303);
    expect(done.headers.location).toBe(`${path}?done=withdrawn`);
    const after = await agent.get(done.headers.location as string).expect(200);
    expect(after.text).toContain('Заявка отозвана.');
    expect(after.text).not.toContain(`href="${path}/withdraw"`);
    expect(await stateOf(id, user.auth)).toBe('withdrawn');

    const again = await postForm(agent, ORIGIN, `${path}/withdraw`, confirm.text, { reason: 'Ещё раз' }).expect(409);
    expect(again.text).toContain('govuk-error-summary');
    expect(again.text).toContain('Сейчас нельзя');
    expect(again.text).toContain('Ещё раз</textarea>');
  });

  it('accepts an award through the award’s confirmation page, and declines another through its own with no reason', async () => {
    const { user, agent } = await member('ky');
    const accepted = await awardedApplication(h, user.auth, '2000.00');
    await giveBankDetails(h, user.auth, accepted);
    const page = await agent.get(`/my-applications/${accepted}`).expect(200);
    expect(page.text).toContain('2\u00a0000,00\u00a0EUR');
    expect(page.text).toContain(`href="/my-applications/${accepted}/award"`);
    expect(page.text).toContain(`href="/my-applications/${accepted}/decline"`);
    // Accepting is confirmed on the award's page, with the agreement.
    const accepting = await agent.get(`/my-applications/${accepted}/award/accept`).expect(200);
    const yes = await postForm(agent, ORIGIN, `/my-applications/${accepted}/award/accept`, accepting.text, {}).expect(
      303,
    );
    expect(yes.headers.location).toBe(`/my-applications/${accepted}?done=accepted`);
    expect((await agent.get(yes.headers.location as string).expect(200)).text).toContain('Сиз грантты кабыл алдыңыз.');
    expect(await stateOf(accepted, user.auth)).toBe('active');

    const declined = await awardedApplication(h, user.auth);
    const confirm = await agent.get(`/my-applications/${declined}/decline`).expect(200);
    const tooLong = await postForm(agent, ORIGIN, `/my-applications/${declined}/decline`, confirm.text, {
      reason: 'ж'.repeat(2001),
    }).expect(422);
    expect(tooLong.text).toContain('2000 белгиден ашпасын');
    const no = await postForm(agent, ORIGIN, `/my-applications/${declined}/decline`, confirm.text, {
      reason: '',
    }).expect(303);
    expect(no.headers.location).toBe(`/my-applications/${declined}?done=declined`);
    expect(await stateOf(declined, user.auth)).toBe('declined');
  });

  it('answers another group’s application with 404 on every page and action', async () => {
    const { agent } = await member('en');
    const stranger = await h.user('applicant');
    const theirs = await submittedApplication(h, callId, stranger.auth);
    const own = await agent.get('/home').expect(200);
    const path = `/my-applications/${theirs}`;
    for (const page of [path, `${path}/withdraw`, `${path}/decline`]) await agent.get(page).expect(404);
    for (const action of ['resubmit', 'withdraw', 'decline', 'accept']) {
      await postForm(agent, ORIGIN, `${path}/${action}`, own.text, { reason: 'Not ours' }).expect(404);
    }
    expect(await stateOf(theirs, stranger.auth)).toBe('submitted');
  });

  it('says what was done only for the flags it knows', async () => {
    const { user, agent } = await member('en');
    const id = await submittedApplication(h, callId, user.auth);
    const submitted = await agent.get(`/my-applications/${id}?done=submitted`).expect(200);
    expect(submitted.text).toContain('Your application is submitted.');
    for (const flag of ['unknown', '%3Cscript%3E', '']) {
      const page = await agent.get(`/my-applications/${id}?done=${flag}`).expect(200);
      expect(page.text).not.toContain('govuk-notification-banner');
    }
  });
});
