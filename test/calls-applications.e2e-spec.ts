import { createHash } from 'node:crypto';
import { TimerScheduler } from '../src/engine/timer.scheduler';
import { formatDate } from '../src/i18n/format';
import { MailWorker } from '../src/notifications/mail.worker';
import { firedTimers, pilotCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness, type TestUser } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

// The round from the manager's first draft of a call to the close of screening, over HTTP, with
// every email caught by a real SMTP server.

const MINUTE = 60_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

const subjectsTo = (smtp: SmtpSink, who: TestUser) => smtp.to(who.email).map((m) => m.mail.subject);

describe('a call for proposals from opening to screening', () => {
  let h: Harness;
  let smtp: SmtpSink;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Mini-grants <grants@programme.example>',
      ATTACHMENT_MAX_MB: '1',
    });
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  it('opens by its timer, takes applications, refuses the late and the incomplete, screens, and closes by its timer', async () => {
    const manager = h.manager;
    const http = () => h.http();
    const scheduler = h.app.get(TimerScheduler);
    const opensAt = new Date(Date.now() + 10 * MINUTE);
    const closesAt = new Date(Date.now() + 120 * MINUTE);

    // The manager drafts the call, publishes it ahead of its opening time, and its timer opens it.
    const draft = await http()
      .post('/calls')
      .set('authorization', manager)
      .send(
        pilotCall({
          opensAt: opensAt.toISOString(),
          closesAt: closesAt.toISOString(),
          title: {
            ky: 'Жамааттык демилгелер 2027',
            ru: 'Общественные инициативы 2027',
            en: 'Community initiatives 2027',
          },
        }),
      )
      .expect(201);
    const callId = draft.body.id as string;
    expect(draft.body).toMatchObject({
      state: 'draft',
      municipalities: ['Alexandrovsky', 'Yuryevka', 'Gulistan', 'Zhazy'],
      scale: { min: 0, max: 5 },
      reviewersPerApplication: 3,
      applicationsPerGroup: 1,
    });
    expect((await send(h, manager, `/calls/${callId}`, { type: 'PUBLISH' })).body.state).toBe('scheduled');
    const listed = (await http().get('/calls').expect(200)).body.find((c: { id: string }) => c.id === callId);
    expect(listed).toMatchObject({
      state: 'scheduled',
      title: { ky: 'Жамааттык демилгелер 2027' },
      eligibility: { composition: { minimumGroups: 2 } },
    });
    await scheduler.fireDue(new Date(opensAt.getTime() - 1));
    expect(await firedTimers(h, 'call', callId, 'OPEN')).toBe(0);
    await scheduler.fireDue(opensAt);
    expect(await firedTimers(h, 'call', callId, 'OPEN')).toBe(1);
    expect((await http().get(`/calls/${callId}`).set('authorization', manager).expect(200)).body.state).toBe('open');

    // Four groups in four municipalities; the Zhazy group has a Kyrgyz and a Russian speaker.
    const zhazy = await h.user('applicant', { name: 'Айгүл', locale: 'ky', municipality: 'Zhazy' });
    const zhazyRu = await h.user('applicant', { name: 'Ольга', locale: 'ru', groupId: zhazy.groupId as string });
    const yuryevka = await h.user('applicant', { name: 'Сергей', locale: 'ru', municipality: 'Yuryevka' });
    const alexandrovsky = await h.user('applicant', { name: 'Anna', locale: 'en', municipality: 'Alexandrovsky' });
    const gulistan = await h.user('applicant', { name: 'Бакыт', locale: 'ky', municipality: 'Gulistan' });
    const create = (who: TestUser, body: Record<string, unknown>) =>
      http().post(`/calls/${callId}/applications`).set('authorization', who.auth).send(body);

    // Zhazy: complete at once, with a budget of three lines the server adds up, and a plan attached.
    const zhazyBody = proposal('0.00', {
      title: 'Жазы мектебине таза суу',
      municipality: undefined,
      budget: [
        { category: 'Equipment', description: 'Water filter', quantity: 1, unitCost: '1450.00' },
        { category: 'Materials', description: 'Pipes, metres', quantity: 40, unitCost: '12.50' },
        { category: 'Labour', description: 'Plumber, days', quantity: 3, unitCost: '90.00' },
      ],
    });
    const zhazyApp = (await create(zhazy, zhazyBody).expect(201)).body;
    expect(zhazyApp.proposal).toMatchObject({ municipality: 'Zhazy', budgetTotal: '2220.00' });
    expect(zhazyApp.proposal.budget.map((l: { total: string }) => l.total)).toEqual(['1450.00', '500.00', '270.00']);
    expect(zhazyApp.requestedAmount).toBe('2220.00');
    const upload = await http()
      .post(`/applications/${zhazyApp.id}/attachments`)
      .set('authorization', zhazyRu.auth)
      .attach('file', PDF, 'План работ: Иш планы.pdf')
      .expect(201);
    expect(upload.body).toMatchObject({
      name: 'План работ_ Иш планы.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      sha256: createHash('sha256').update(PDF).digest('hex'),
    });
    const refused = await http()
      .post(`/applications/${zhazyApp.id}/attachments`)
      .set('authorization', zhazy.auth)
      .attach('file', Buffer.from('MZ\x90\x00'), 'budget.pdf.exe')
      .expect(400);
    // Zhazy's group reads Kyrgyz: the file's problem is in Kyrgyz, its key and parameters beside it.
    expect(refused.body.error.details).toMatchObject({
      fields: [{ field: 'file', problems: [expect.stringMatching(/^«budget\.pdf\.exe» — кабыл алынбаган файл түрү/)] }],
      reasons: [{ key: 'attachment.notAccepted', params: { name: 'budget.pdf.exe' }, field: 'file' }],
    });
    const file = await http().get(upload.body.download).set('authorization', zhazy.auth).expect(200);
    expect(file.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('План работ_ Иш планы.pdf')}`,
    );
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(file.body as Buffer).equals(PDF)).toBe(true);
    await send(h, zhazy.auth, `/applications/${zhazyApp.id}`, { type: 'SUBMIT' });
    // Submitted: the proposal and its files are frozen until someone asks for more information.
    await http()
      .post(`/applications/${zhazyApp.id}/attachments`)
      .set('authorization', zhazy.auth)
      .attach('file', PDF, 'late.pdf')
      .expect(409);
    await send(h, zhazy.auth, `/applications/${zhazyApp.id}`, { type: 'UPDATE_DRAFT', summary: 'Changed' }, 409);

    // Yuryevka: a title only; SUBMIT names every missing field. Completed, it goes in, though
    // its group draws on civil society alone.
    const yuryevkaApp = (await create(yuryevka, { title: 'Детская площадка в Юрьевке' }).expect(201)).body;
    const incomplete = await send(h, yuryevka.auth, `/applications/${yuryevkaApp.id}`, { type: 'SUBMIT' }, 409);
    // Сергей reads Russian: the refusal is in Russian, its key and parameters beside it for any client.
    const missing = ['summary', 'problem', 'activities', 'participants', 'budget', 'eligibilityAnswers.registered'];
    expect(incomplete.body.error).toMatchObject({
      message:
        'Ещё не заполнено: краткое описание, проблема, мероприятия, участники, бюджет и ответ на вопрос «registered».',
      details: {
        failedConditions: ['requiredFieldsComplete'],
        reasons: [
          {
            key: 'application.requiredFieldsComplete',
            params: { missing: { terms: missing.map((f) => `application.field.${f}`) } },
          },
        ],
      },
    });
    const { title: _t, ...rest } = proposal('1800.00', { composition: { civil_society: 6 }, municipality: 'Yuryevka' });
    await send(h, yuryevka.auth, `/applications/${yuryevkaApp.id}`, { type: 'UPDATE_DRAFT', ...rest });
    await send(h, yuryevka.auth, `/applications/${yuryevkaApp.id}`, { type: 'SUBMIT' });

    // Alexandrovsky: one application per group; it submits, then withdraws with a reason.
    const alexandrovskyApp = (
      await create(
        alexandrovsky,
        proposal('900.00', { title: 'Repairing the House of Culture roof', municipality: 'Alexandrovsky' }),
      ).expect(201)
    ).body;
    const second = await create(alexandrovsky, proposal('100.00', { title: 'A second idea' })).expect(409);
    expect(second.body.error.message).toContain(alexandrovskyApp.reference);
    await send(h, alexandrovsky.auth, `/applications/${alexandrovskyApp.id}`, { type: 'SUBMIT' });
    await send(h, alexandrovsky.auth, `/applications/${alexandrovskyApp.id}`, {
      type: 'WITHDRAW',
      reason: 'The village council will fund the roof itself',
    });

    // Gulistan starts a draft and waits too long.
    const gulistanApp = (
      await create(gulistan, proposal('2000.00', { title: 'Гүлстан жаштар борбору', municipality: 'Gulistan' })).expect(
        201,
      )
    ).body;

    // Screening: the waiting list with each application's answers and computed check.
    const waiting = (await http().get(`/calls/${callId}/screening`).set('authorization', manager).expect(200)).body;
    expect(waiting.map((w: { id: string }) => w.id)).toEqual([zhazyApp.id, yuryevkaApp.id]);
    expect(waiting[0].check.eligible).toBe(true);
    expect(waiting[1].check).toMatchObject({
      eligible: false,
      items: expect.arrayContaining([expect.objectContaining({ check: 'composition', passed: false })]),
    });
    expect(waiting[1].answers).toEqual([
      { id: 'registered', question: expect.objectContaining({ en: expect.any(String) }), required: true, answer: true },
    ]);

    // One batch: more information from Zhazy, Yuryevka ineligible, and a decision on a withdrawn
    // application that is refused alone.
    const batch = await http()
      .post(`/calls/${callId}/screening`)
      .set('authorization', manager)
      .send({
        items: [
          {
            applicationId: zhazyApp.id,
            type: 'REQUEST_INFO',
            questions: ['Who will maintain the filter after the project?'],
          },
          {
            applicationId: yuryevkaApp.id,
            type: 'SCREEN',
            decision: 'ineligible',
            reason: 'The group must include at least two stakeholder groups; it has civil society only.',
          },
          { applicationId: alexandrovskyApp.id, type: 'SCREEN', decision: 'eligible' },
        ],
      })
      .expect(200);
    expect(batch.body).toMatchObject({ succeeded: 2, failed: 1 });
    expect(batch.body.results).toEqual([
      { applicationId: zhazyApp.id, ok: true, state: 'more_info', previousState: 'submitted' },
      { applicationId: yuryevkaApp.id, ok: true, state: 'ineligible', previousState: 'submitted' },
      {
        applicationId: alexandrovskyApp.id,
        ok: false,
        error: {
          status: 409,
          code: 'EVENT_NOT_ALLOWED',
          message: 'You cannot decide whether the application is eligible now: the application is withdrawn.',
        },
      },
    ]);
    await send(h, zhazyRu.auth, `/applications/${zhazyApp.id}`, {
      type: 'RESUBMIT',
      answers: ['The school’s parents’ committee, with the aiyl okmotu plumber'],
    });
    await send(h, manager, `/applications/${zhazyApp.id}`, { type: 'SCREEN', decision: 'eligible' });

    // The closing time passes; the call's timer closes it, and the late SUBMIT is refused with the deadline.
    await scheduler.fireDue(new Date(closesAt.getTime() + 1000));
    expect(await firedTimers(h, 'call', callId, 'CLOSE')).toBe(1);
    expect((await http().get(`/calls/${callId}`).set('authorization', manager).expect(200)).body.state).toBe('closed');
    const late = await send(h, gulistan.auth, `/applications/${gulistanApp.id}`, { type: 'SUBMIT' }, 409);
    // Бакыт reads Kyrgyz: the deadline is written in Kyrgyz, on the programme's clock.
    expect(late.body.error.details).toMatchObject({
      failedConditions: ['callOpen'],
      reasons: [
        {
          key: 'application.callOpen',
          params: {
            phase: 'over',
            callState: { term: 'call.state.closed' },
            closesAt: { date: closesAt.toISOString() },
          },
        },
      ],
    });
    expect(late.body.error.message).toBe(
      `Арыз кабыл алуу бүттү: конкурс «арыз кабыл алуу жабык» абалында, тапшыруу мөөнөтү ${formatDate(closesAt.toISOString(), 'ky', 'Asia/Bishkek')} болгон.`,
    );

    // Each group's status page tells its own story.
    const timeline = async (who: TestUser, id: string) =>
      (await http().get(`/applications/${id}/status`).set('authorization', who.auth).expect(200)).body.timeline.map(
        (t: { state: string }) => t.state,
      );
    expect(await timeline(zhazy, zhazyApp.id)).toEqual(['draft', 'submitted', 'more_info', 'submitted', 'eligible']);
    expect(await timeline(yuryevka, yuryevkaApp.id)).toEqual(['draft', 'submitted', 'ineligible']);
    expect(await timeline(alexandrovsky, alexandrovskyApp.id)).toEqual(['draft', 'submitted', 'withdrawn']);
    expect(await timeline(gulistan, gulistanApp.id)).toEqual(['draft']);
    const status = (
      await http().get(`/applications/${yuryevkaApp.id}/status`).set('authorization', yuryevka.auth).expect(200)
    ).body;
    expect(status).toMatchObject({
      locale: 'ru',
      state: { code: 'ineligible' },
      call: { title: 'Общественные инициативы 2027' },
    });

    // Every member got each email, in their own language, over SMTP.
    await h.app.get(MailWorker).drain();
    const ref = (app: { reference: string }) => app.reference;
    expect(subjectsTo(smtp, zhazy)).toEqual([
      `Арызыңызды алдык: ${ref(zhazyApp)}`,
      `Арызыңыз боюнча кошумча маалымат керек: ${ref(zhazyApp)}`,
      `Жоопторуңузду алдык: ${ref(zhazyApp)}`,
      `Арызыңыз конкурстун шарттарына туура келет: ${ref(zhazyApp)}`,
    ]);
    expect(subjectsTo(smtp, zhazyRu)).toEqual([
      `Мы получили вашу заявку ${ref(zhazyApp)}`,
      `Нужна дополнительная информация по заявке ${ref(zhazyApp)}`,
      `Мы получили ваши ответы по заявке ${ref(zhazyApp)}`,
      `Заявка ${ref(zhazyApp)} соответствует условиям конкурса`,
    ]);
    expect(subjectsTo(smtp, yuryevka)).toEqual([
      `Мы получили вашу заявку ${ref(yuryevkaApp)}`,
      `Заявка ${ref(yuryevkaApp)} не соответствует условиям конкурса`,
    ]);
    expect(smtp.to(yuryevka.email)[1].mail.text).toContain('it has civil society only');
    expect(subjectsTo(smtp, alexandrovsky)).toEqual([
      `We received your application ${ref(alexandrovskyApp)}`,
      `Your application ${ref(alexandrovskyApp)} has been withdrawn`,
    ]);
    expect(subjectsTo(smtp, gulistan)).toEqual([]);
    expect(smtp.to(zhazy.email)[1].mail.text).toContain('Who will maintain the filter after the project?');

    // Lists never show another group's application; the manager's filter and page through them.
    const ids = async (auth: string, query = '') =>
      (await http().get(`/applications${query}`).set('authorization', auth).expect(200)).body.items.map(
        (a: { id: string }) => a.id,
      );
    expect(await ids(zhazyRu.auth)).toEqual([zhazyApp.id]);
    expect(await ids(yuryevka.auth)).toEqual([yuryevkaApp.id]);
    expect(await ids(gulistan.auth)).toEqual([gulistanApp.id]);
    expect(await ids(manager, `?callId=${callId}&state=eligible`)).toEqual([zhazyApp.id]);
    expect(await ids(manager, `?callId=${callId}&municipality=Yuryevka`)).toEqual([yuryevkaApp.id]);
    expect(await ids(manager, `?callId=${callId}&q=${encodeURIComponent('ЮРЬЕВК')}`)).toEqual([yuryevkaApp.id]);
    expect(await ids(manager, `?callId=${callId}&state=withdrawn,ineligible&sort=reference`)).toEqual([
      yuryevkaApp.id,
      alexandrovskyApp.id,
    ]);
    const pages: string[][] = [];
    let cursor = '';
    do {
      const page = (
        await http()
          .get(`/applications?callId=${callId}&sort=requested&order=desc&limit=3${cursor}`)
          .set('authorization', manager)
          .expect(200)
      ).body;
      pages.push(page.items.map((a: { requestedAmount: string }) => a.requestedAmount));
      cursor = page.nextCursor ? `&cursor=${page.nextCursor}` : '';
    } while (cursor);
    expect(pages).toEqual([['2220.00', '2000.00', '1800.00'], ['900.00']]);
  });

  it('keeps a call’s terms to its draft, on the programme’s clock, and refuses bad terms by name', async () => {
    const http = () => h.http();
    const bad = await http()
      .post('/calls')
      .set('authorization', h.manager)
      .send(
        pilotCall({
          title: { fr: 'Appel' },
          questions: [{ id: 'Bad Id', text: {}, required: 'yes' }],
          composition: { minimumGroups: 2, groups: ['farmers'] },
        }),
      )
      .expect(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      ['composition.groups', 'questions.0.id', 'questions.0.required', 'questions.0.text', 'title', 'title.fr'].sort(),
    );

    // Times without an offset are on the programme's clock (Asia/Bishkek, UTC+6).
    const created = await http()
      .post('/calls')
      .set('authorization', h.manager)
      .send(
        pilotCall({
          opensAt: '2027-02-01T09:00',
          closesAt: '2027-03-15T18:00',
          criteria: [
            { name: 'Need', description: 'What the community lacks', weight: 60 },
            { name: 'Cost', weight: 30 },
          ],
        }),
      )
      .expect(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      opensAt: '2027-02-01T03:00:00.000Z',
      closesAt: '2027-03-15T12:00:00.000Z',
      closesAtLocal: '2027-03-15 18:00',
      timeZone: 'Asia/Bishkek',
    });
    const refused = await send(h, h.manager, `/calls/${id}`, { type: 'PUBLISH' }, 409);
    expect(refused.body.error.details.failedConditions).toEqual(['weightsSumTo100']);
    const updated = await send(h, h.manager, `/calls/${id}`, {
      type: 'UPDATE',
      criteria: [
        { name: 'Need', weight: 70 },
        { name: 'Cost', weight: 30 },
      ],
      municipalities: ['Zhazy'],
      applicationsPerGroup: 2,
    });
    expect(updated.body.state).toBe('draft');
    const call = (await http().get(`/calls/${id}`).set('authorization', h.manager).expect(200)).body;
    expect(call).toMatchObject({
      municipalities: ['Zhazy'],
      applicationsPerGroup: 2,
      criteria: [
        { name: 'Need', description: '', weight: 70 },
        { name: 'Cost', description: '', weight: 30 },
      ],
    });
    expect((await send(h, h.manager, `/calls/${id}`, { type: 'PUBLISH' })).body.state).toBe('scheduled');
    await send(h, h.manager, `/calls/${id}`, { type: 'UPDATE', budget: '99999.00' }, 409);
    expect((await http().get(`/calls/${id}`).set('authorization', h.manager).expect(200)).body.budget).toBe('12500.00');
  });

  it('holds a proposal to the maximum award, and attachments to their size, and lets the group remove its files', async () => {
    const http = () => h.http();
    const callId = (await http().post('/calls').set('authorization', h.manager).send(pilotCall()).expect(201)).body
      .id as string;
    await send(h, h.manager, `/calls/${callId}`, { type: 'PUBLISH' });
    const group = await h.user('applicant', { municipality: 'Zhazy' });
    const tooDear = await http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', group.auth)
      .send(proposal('2500.01'))
      .expect(400);
    expect(tooDear.body.error.details.fields[0]).toMatchObject({ field: 'budget' });
    const app = (
      await http()
        .post(`/calls/${callId}/applications`)
        .set('authorization', group.auth)
        .send(proposal('2500.00'))
        .expect(201)
    ).body;
    const over = await send(
      h,
      group.auth,
      `/applications/${app.id}`,
      {
        type: 'UPDATE_DRAFT',
        budget: [{ category: 'Equipment', description: 'Two filters', quantity: 2, unitCost: '1300.00' }],
      },
      409,
    );
    expect(over.body.error.details.reasons).toEqual([
      expect.objectContaining({
        key: 'application.budgetWithinMaxAward',
        params: { total: { money: 260_000, currency: 'EUR' }, maxAward: { money: 250_000, currency: 'EUR' } },
      }),
    ]);
    expect(over.body.error.message).toMatch(
      /^The budget would total EUR\s2,600\.00, above the maximum award of EUR\s2,500\.00\.$/,
    );

    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024 + 1)]);
    await http()
      .post(`/applications/${app.id}/attachments`)
      .set('authorization', group.auth)
      .attach('file', big, 'scan.pdf')
      .expect(413);
    const empty = await http()
      .post(`/applications/${app.id}/attachments`)
      .set('authorization', group.auth)
      .field('note', 'no file')
      .expect(400);
    expect(empty.body.error.details.fields[0].field).toBe('file');
    const added = (
      await http()
        .post(`/applications/${app.id}/attachments`)
        .set('authorization', group.auth)
        .attach('file', PDF, 'budget.pdf')
        .expect(201)
    ).body;
    const other = await h.user('applicant');
    await http().delete(`/applications/${app.id}/attachments/${added.id}`).set('authorization', other.auth).expect(404);
    await http().delete(`/applications/${app.id}/attachments/${added.id}`).set('authorization', group.auth).expect(204);
    await http().get(added.download).set('authorization', group.auth).expect(404);
    expect(
      (await http().get(`/applications/${app.id}`).set('authorization', group.auth).expect(200)).body.attachments,
    ).toEqual([]);
    await http().get('/applications?cursor=bm90LWEtY3Vyc29y').set('authorization', h.manager).expect(400);
  });
});
