import { randomUUID } from 'node:crypto';
import { sqlRows } from '../src/common/sql';
import { MailWorker } from '../src/notifications/mail.worker';
import { startHarness, type Harness } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

const BASE_URL = 'https://grants.example.org';

/** Adding a member to an initiative group: an invitation, the same answer for any address, limited. */
describe('group members, invited by email', () => {
  let h: Harness;
  let smtp: SmtpSink;
  const drain = () => h.app.get(MailWorker).drain();
  const address = (who: string) => `${who}-${randomUUID()}@example.test`;
  const invite = (groupId: string, auth: string, body: Record<string, unknown>) =>
    h.http().post(`/groups/${groupId}/members`).set('authorization', auth).send(body);
  const groupOf = async (groupId: string, auth: string) =>
    (await h.http().get(`/groups/${groupId}`).set('authorization', auth).expect(200)).body;
  const invitationsTo = (email: string) =>
    smtp.to(email).filter((r) => r.mail.headers.get('x-grants-message') === 'auth.group_invitation');
  const linkIn = (email: string): string => {
    const mails = smtp.to(email);
    const token = /\/auth\/sign-in\?token=(gwl_[A-Za-z0-9_-]+)/.exec(mails[mails.length - 1]?.mail.text ?? '')?.[1];
    if (!token) throw new Error(`no sign-in link in the mail to ${email}`);
    return token;
  };

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({
      SMTP_URL: smtp.url,
      BASE_URL,
      MEMBER_INVITES_PER_GROUP_PER_DAY: '6',
      MEMBER_INVITES_PER_PERSON_PER_DAY: '8',
    });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('answers alike for a new address, an applicant, a member already, and programme staff', async () => {
    const owner = await h.user('applicant', { name: 'Aizada' });
    const groupId = owner.groupId as string;
    const applicant = await h.user('applicant');
    const member = await h.user('applicant', { groupId });
    const manager = await h.user('manager');
    const finance = await h.user('finance');
    const fresh = address('neighbour');
    const emails = [fresh, applicant.email, member.email, manager.email, finance.email.toUpperCase()];

    const answers = [];
    for (const email of emails)
      answers.push(await invite(groupId, owner.auth, { email, name: 'Someone', locale: 'ru' }));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(answers[0].body.message).toMatch(/invitation/);

    // Only those who can join are emailed; nobody is a member before accepting.
    await drain();
    expect(emails.map((e) => invitationsTo(e).length)).toEqual([1, 1, 0, 0, 0]);
    const group = await groupOf(groupId, owner.auth);
    expect(group.members.map((m: { userId: string }) => m.userId).sort()).toEqual([owner.id, member.id].sort());
    // The pending invitations list staff exactly as anyone else.
    expect(group.invitations.map((i: { email: string }) => i.email).sort()).toEqual(
      [fresh, applicant.email, manager.email, finance.email].sort(),
    );
    for (const i of group.invitations)
      expect(Object.keys(i).sort()).toEqual(['email', 'expiresAt', 'invitedAt', 'name']);

    // The invitation says who invites, to which group, and how to join: in the new person's language.
    const [mail] = invitationsTo(fresh);
    expect(mail.mail.subject).toBe('Приглашение в инициативную группу');
    expect(mail.mail.text).toContain('Aizada');
    expect(mail.mail.text).toContain(group.name);
  });

  it('lets two groups invite the same new address at once: one account, and never a 500', async () => {
    const [a, b] = [await h.user('applicant'), await h.user('applicant')];
    const fresh = address('sought-after');
    const answers = await Promise.all(
      [a, b].map((owner) => invite(owner.groupId as string, owner.auth, { email: fresh, name: 'Sought after' })),
    );
    const statuses = answers.map((r) => r.status);
    // On the server the two may race for the account: the loser is told to try again, and nothing of it is written.
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    expect(statuses).toContain(202);
    const retried = await Promise.all(
      answers.map((r, i) =>
        r.status === 202
          ? r
          : invite([a, b][i].groupId as string, [a, b][i].auth, { email: fresh, name: 'Sought after' }),
      ),
    );
    expect(retried.map((r) => r.status)).toEqual([202, 202]);
    const [row] = await sqlRows<{ n: string }>(h.orm.em.fork(), 'select count(*) as n from app_user where email = ?', [
      fresh,
    ]);
    expect(Number(row.n)).toBe(1);
  });

  it('makes a person a member when they sign in with the invitation, and nobody else', async () => {
    const owner = await h.user('applicant');
    const groupId = owner.groupId as string;
    const applicant = await h.user('applicant');
    const fresh = address('new-member');
    const manager = await h.user('manager');
    for (const email of [applicant.email, fresh, manager.email])
      await invite(groupId, owner.auth, { email, name: 'New member' }).expect(202);
    await drain();

    // The applicant cannot see the group until they accept.
    await h.http().get(`/groups/${groupId}`).set('authorization', applicant.auth).expect(404);
    await h
      .http()
      .post('/auth/session')
      .send({ token: linkIn(applicant.email) })
      .expect(201);
    await h.http().get(`/groups/${groupId}`).set('authorization', applicant.auth).expect(200);
    const joined = await h
      .http()
      .post('/auth/session')
      .send({ token: linkIn(fresh) })
      .expect(201);
    expect(joined.body.user).toMatchObject({ email: fresh, role: 'applicant', name: 'New member' });

    // The manager signs in as usual, and joins nothing.
    await h.http().post('/auth/login-link').send({ email: manager.email }).expect(202);
    await drain();
    await h
      .http()
      .post('/auth/session')
      .send({ token: linkIn(manager.email) })
      .expect(201);

    const group = await groupOf(groupId, owner.auth);
    expect(group.members.map((m: { userId: string }) => m.userId).sort()).toEqual(
      [owner.id, applicant.id, joined.body.user.id].sort(),
    );
    expect(group.invitations.map((i: { email: string }) => i.email)).toEqual([manager.email]);
    // An ordinary sign-in link joins no group either: only the invitation's own link does.
    const later = await h.user('applicant');
    await invite(groupId, owner.auth, { email: later.email, name: 'Later' }).expect(202);
    await h.http().post('/auth/login-link').send({ email: later.email }).expect(202);
    await drain();
    const links = smtp.to(later.email).map((r) => r.mail.headers.get('x-grants-message'));
    expect(links.sort()).toEqual(['auth.group_invitation', 'auth.sign_in']);
    const plain = smtp.to(later.email).find((r) => r.mail.headers.get('x-grants-message') === 'auth.sign_in');
    const token = /token=(gwl_[A-Za-z0-9_-]+)/.exec(plain?.mail.text ?? '')?.[1];
    await h.http().post('/auth/session').send({ token }).expect(201);
    await h.http().get(`/groups/${groupId}`).set('authorization', later.auth).expect(404);
  });

  it('limits invitations per group and per person a day, and a refusal writes nothing', async () => {
    const owner = await h.user('applicant');
    const groupId = owner.groupId as string;
    const staff = await h.user('finance');
    // Every invitation counts, whoever it is to: staff too, or the limit would tell them apart.
    for (let i = 0; i < 5; i++) await invite(groupId, owner.auth, { email: address(`n${i}`), name: 'N' }).expect(202);
    await invite(groupId, owner.auth, { email: staff.email, name: 'N' }).expect(202);
    const count = async () =>
      Number(
        (
          await sqlRows<{ n: string }>(
            h.orm.em.fork(),
            `select (select count(*) from group_invitation) + (select count(*) from app_user) + (select count(*) from notification) as n`,
            [],
          )
        )[0].n,
      );
    const before = await count();
    const limited = await invite(groupId, owner.auth, { email: address('seventh'), name: 'N' }).expect(429);
    expect(limited.body.error).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: expect.stringMatching(/6 invitations .* 24 hours/),
    });
    expect(await count()).toBe(before);

    // Another member of the same group is held by the group's limit; the person's own other group by theirs.
    const other = await h.user('applicant', { groupId });
    await invite(groupId, other.auth, { email: address('x'), name: 'N' }).expect(429);
    const second = (
      await h
        .http()
        .post('/groups')
        .set('authorization', owner.auth)
        .send({ name: 'Second group', municipality: 'Zhazy', oblast: 'Osh' })
        .expect(201)
    ).body.id;
    for (let i = 0; i < 2; i++) await invite(second, owner.auth, { email: address(`s${i}`), name: 'N' }).expect(202);
    const byPerson = await invite(second, owner.auth, { email: address('s2'), name: 'N' }).expect(429);
    expect(byPerson.body.error).toMatchObject({
      message: expect.stringMatching(/^You have sent 8 invitations/),
      details: { reasons: [{ key: 'invitations.personLimit', params: { count: 8 } }] },
    });

    // A day later the group may invite again.
    await sqlRows(
      h.orm.em.fork(),
      `update group_invitation set created_at = created_at - interval '25 hours' where group_id = ? or invited_by = ?`,
      [groupId, owner.id],
    );
    await invite(groupId, owner.auth, { email: address('tomorrow'), name: 'N' }).expect(202);
  });

  it('keeps links out of the text an applicant puts in an invitation, and escapes it', async () => {
    const owner = await h.user('applicant');
    const groupId = owner.groupId as string;
    for (const name of [
      'Visit https://evil.example/claim',
      'www.evil.example',
      'claim at evil.example',
      'Prize@evil.example',
      'http:/\\evil',
      '10.0.0.1',
    ]) {
      const refused = await invite(groupId, owner.auth, { email: address('p'), name }).expect(400);
      expect(JSON.stringify(refused.body.error)).toContain('name');
    }
    await h.http().patch('/me').set('authorization', owner.auth).send({ name: 'Go to evil.example now' }).expect(400);
    await h
      .http()
      .post('/groups')
      .set('authorization', owner.auth)
      .send({ name: 'Claim at https://evil.example', municipality: 'Zhazy', oblast: 'Osh' })
      .expect(400);
    // A name given before these checks never reaches the email; markup arrives escaped.
    await sqlRows(h.orm.em.fork(), `update app_user set name = 'Prize at evil.example' where id = ?`, [owner.id]);
    await sqlRows(h.orm.em.fork(), `update applicant_group set name = 'Claim: https://evil.example' where id = ?`, [
      groupId,
    ]);
    const fresh = address('escaped');
    await invite(groupId, owner.auth, { email: fresh, name: '<b>Asel</b> & Co' }).expect(202);
    await drain();
    const [mail] = invitationsTo(fresh);
    for (const part of [mail.mail.text ?? '', String(mail.mail.html)]) expect(part).not.toContain('evil.example');
    expect(String(mail.mail.html)).toContain('&lt;b&gt;Asel&lt;/b&gt; &amp; Co');
    expect(String(mail.mail.html)).not.toContain('<b>Asel</b>');
  });
});
