import { startHarness, type Harness } from './support/harness';
import { postForm, signedInAgent, signInToken } from './support/pages';
import { smtpSink, type SmtpSink } from './support/smtp';

// Starting an initiative group and inviting its members on the pages, as a browser without
// JavaScript does: the same service and access rules as POST /groups and POST /groups/{id}/members.

const ORIGIN = 'http://grants.example.org';

describe('the initiative group’s pages', () => {
  let h: Harness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url, BASE_URL: ORIGIN, MEMBER_INVITES_PER_GROUP_PER_DAY: '2' });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('offers a new member with no group to start one, refuses a form without its token or with gaps, and starts it', async () => {
    const founder = await h.user('applicant', { locale: 'en', name: 'Aigul', noGroup: true });
    const agent = await signedInAgent(h, smtp, founder.email, ORIGIN);
    const home = await agent.get('/home').expect(200);
    expect(home.text).toContain('href="/group/new"');
    expect(home.text).toContain('Start an initiative group');

    const form = await agent.get('/group/new').expect(200);
    expect(form.text).toContain(founder.email);
    await agent
      .post('/group/new')
      .set('origin', ORIGIN)
      .type('form')
      .send({ name: 'Kara-Suu Youth', municipality: 'Kara-Suu', oblast: 'Osh' })
      .expect(403);

    const invalid = await postForm(agent, ORIGIN, '/group/new', form.text, {
      name: 'see www.evil.example',
      municipality: '  ',
      oblast: 'Osh',
    }).expect(422);
    expect(invalid.text).toContain('govuk-error-summary');
    expect(invalid.text).toContain('href="#name"');
    expect(invalid.text).toContain('Write the name without a web or email address');
    expect(invalid.text).toContain('href="#municipality"');
    expect(invalid.text).toContain('Enter the municipality where the group works');
    expect(invalid.text).toContain('value="Osh"');

    const created = await postForm(agent, ORIGIN, '/group/new', form.text, {
      name: 'Kara-Suu Youth',
      municipality: 'Kara-Suu',
      oblast: 'Osh',
    }).expect(303);
    const location = created.headers.location as string;
    expect(location).toMatch(/^\/my-group\/[0-9a-f-]{36}\?done=created$/);
    const page = await agent.get(location).expect(200);
    expect(page.text).toContain('govuk-notification-banner--success');
    expect(page.text).toContain('Kara-Suu Youth');
    expect(page.text).toContain(`Aigul · ${founder.email}`);

    // the API sees the same group, with its founder as the one member and the contact person
    const groups = await h.http().get('/groups').set('authorization', founder.auth).expect(200);
    expect(groups.body).toEqual([
      expect.objectContaining({
        name: 'Kara-Suu Youth',
        municipality: 'Kara-Suu',
        oblast: 'Osh',
        contactUserId: founder.id,
        members: [expect.objectContaining({ userId: founder.id })],
      }),
    ]);
    const again = await agent.get('/home').expect(200);
    expect(again.text).toContain(`href="/my-group/${groups.body[0].id}"`);
    expect(again.text).not.toContain('href="/group/new"');
  });

  it('invites members by email within the group’s daily limit, the refusal past it in the reader’s language', async () => {
    const member = await h.user('applicant', { locale: 'ru', name: 'Асель' });
    const agent = await signedInAgent(h, smtp, member.email, ORIGIN);
    const path = `/my-group/${member.groupId}`;
    const page = await agent.get(path).expect(200);

    const invalid = await postForm(agent, ORIGIN, `${path}/members`, page.text, {
      email: 'not an address',
      name: '',
      locale: 'ky',
    }).expect(422);
    expect(invalid.text).toContain('href="#email"');
    expect(invalid.text).toContain('Введите адрес электронной почты, например name@example.kg');
    expect(invalid.text).toContain('href="#name"');
    expect(invalid.text).toContain('Введите имя человека');

    const invitee = `invitee-${member.id}@example.test`;
    const sent = await postForm(agent, ORIGIN, `${path}/members`, page.text, {
      email: invitee,
      name: 'Бакыт',
      locale: 'ky',
    }).expect(303);
    expect(sent.headers.location).toBe(`${path}?done=invited`);
    const listed = await agent.get(sent.headers.location as string).expect(200);
    expect(listed.text).toContain('на него отправлено приглашение');
    expect(listed.text).toContain(`Бакыт · ${invitee}`);
    // the invitation's link signs the invitee in as a member of the group
    expect(await signInToken(h, smtp, invitee)).toMatch(/^gwl_/);

    await postForm(agent, ORIGIN, `${path}/members`, page.text, {
      email: `second-${member.id}@example.test`,
      name: 'Нурлан',
      locale: 'ru',
    }).expect(303);
    const refused = await postForm(agent, ORIGIN, `${path}/members`, page.text, {
      email: `third-${member.id}@example.test`,
      name: 'Жамила',
      locale: 'ru',
    }).expect(429);
    expect(refused.text).toContain('govuk-error-summary');
    expect(refused.text).toContain('Эта группа за последние 24 часа отправила 2 приглашения');
    expect(refused.text).toContain(`value="third-${member.id}@example.test"`);
  });

  it('answers another group’s page and invitations with 404, and keeps the forms for applicants', async () => {
    const member = await h.user('applicant', { locale: 'en' });
    const stranger = await h.user('applicant');
    const agent = await signedInAgent(h, smtp, member.email, ORIGIN);
    const page = await agent.get(`/my-group/${member.groupId}`).expect(200);
    await agent.get(`/my-group/${stranger.groupId}`).expect(404);
    await agent.get('/my-group/00000000-0000-4000-8000-000000000000').expect(404);
    await postForm(agent, ORIGIN, `/my-group/${stranger.groupId}/members`, page.text, {
      email: 'someone@example.test',
      name: 'Someone',
      locale: 'en',
    }).expect(404);

    const manager = await h.user('manager');
    const staff = await signedInAgent(h, smtp, manager.email, ORIGIN);
    await staff.get('/group/new').expect(403);
  });
});
