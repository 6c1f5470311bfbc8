import { startHarness, type Harness } from './support/harness';
import { createCall, openCall, proposal, send, submittedApplication } from './support/fixtures';

describe('workflow API over HTTP', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('creates a call in draft with the events the caller may send', async () => {
    const id = await createCall(h, h.manager);
    const res = await h.http().get(`/calls/${id}`).set('authorization', h.manager).expect(200);
    expect(res.body).toMatchObject({ state: 'draft', version: 1, budget: '12500.00', currency: 'EUR' });
    expect(res.body.allowedEvents).toEqual(expect.arrayContaining(['PUBLISH', 'UPDATE', 'CANCEL']));
    // A call in draft is the programme's own business; once published, anyone signed in may read it.
    await h.http().get(`/calls/${id}`).set('authorization', h.applicant).expect(404);
    await send(h, h.manager, `/calls/${id}`, { type: 'PUBLISH' });
    const asApplicant = await h.http().get(`/calls/${id}`).set('authorization', h.applicant).expect(200);
    expect(asApplicant.body.allowedEvents).toEqual([]);
  });

  it('refuses an event the state does not accept with 409, the state and the events allowed now', async () => {
    const id = await openCall(h, h.manager);
    const res = await send(h, h.manager, `/calls/${id}`, { type: 'PUBLISH' }, 409);
    expect(res.body.error).toMatchObject({ code: 'EVENT_NOT_ALLOWED', details: { state: 'open' } });
    expect(res.body.error.message).toBe('You cannot publish the call now: the call is open for proposals.');
    expect(res.body.error.details.reasons).toEqual([
      {
        key: 'refusal.eventNotAllowed',
        params: {
          event: { term: 'call.event.PUBLISH' },
          record: { term: 'call.record' },
          state: { term: 'call.state.open' },
        },
        message: res.body.error.message,
      },
    ]);
    expect(res.body.error.details.allowedEvents).toEqual(expect.arrayContaining(['CLOSE', 'CANCEL']));
    expect(res.body.correlationId).toEqual(expect.any(String));
  });

  it('names the guard that failed', async () => {
    const id = await createCall(h, h.manager, {
      criteria: [
        { name: 'Impact', weight: 60 },
        { name: 'Cost', weight: 30 },
      ],
    });
    const res = await send(h, h.manager, `/calls/${id}`, { type: 'PUBLISH' }, 409);
    expect(res.body.error.code).toBe('GUARD_FAILED');
    expect(res.body.error.details.failedGuards).toContain('publishable');
    expect(res.body.error.details.failedConditions).toEqual(['weightsSumTo100']);
    expect(res.body.error.details.reasons).toEqual([
      {
        key: 'call.weightsSumTo100',
        params: { sum: 90 },
        message: 'The weights of the criteria add up to 90, not 100.',
      },
    ]);
    expect(res.body.error.message).toBe('The weights of the criteria add up to 90, not 100.');
  });

  it("answers a refusal in the caller's language: their own choice, then Accept-Language", async () => {
    const id = await createCall(h, h.manager, {
      criteria: [
        { name: 'Impact', weight: 60 },
        { name: 'Cost', weight: 30 },
      ],
    });
    const inRussian = await h.user('manager', { locale: 'ru' });
    const ru = await h
      .http()
      .post(`/calls/${id}/events`)
      .set('authorization', inRussian.auth)
      .set('accept-language', 'ky')
      .send({ type: 'PUBLISH' })
      .expect(409);
    expect(ru.body.error).toMatchObject({
      code: 'GUARD_FAILED',
      message: 'Сумма весов критериев — 90, а должна быть 100.',
      details: {
        failedConditions: ['weightsSumTo100'],
        reasons: [{ key: 'call.weightsSumTo100', params: { sum: 90 } }],
      },
    });
    const inKyrgyz = await h.user('manager', { locale: 'ky' });
    const ky = await h
      .http()
      .post(`/calls/${id}/events`)
      .set('authorization', inKyrgyz.auth)
      .send({ type: 'PUBLISH' })
      .expect(409);
    expect(ky.body.error.message).toBe('Критерийлердин салмактарынын суммасы 90, ал эми 100 болушу керек.');
    // An account keeps the language it chose: the header speaks only for a caller without one.
    const en = await h
      .http()
      .post(`/calls/${id}/events`)
      .set('authorization', h.manager)
      .set('accept-language', 'ky-KG, ru;q=0.8')
      .send({ type: 'PUBLISH' })
      .expect(409);
    expect(en.body.error.message).toBe('The weights of the criteria add up to 90, not 100.');
  });

  it('answers 400 naming each bad field, and for an unknown event type', async () => {
    const bad = await h
      .http()
      .post('/calls')
      .set('authorization', h.manager)
      .send({ title: '', currency: 'EURO', budget: '1.234', extra: 1 })
      .expect(400);
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining(['title', 'currency', 'maxAward', 'extra', 'opensAt', 'closesAt', 'criteria']),
    );
    const id = await createCall(h, h.manager);
    const unknown = await send(h, h.manager, `/calls/${id}`, { type: 'LAUNCH' }, 400);
    expect(unknown.body.error.code).toBe('UNKNOWN_EVENT_TYPE');
    const tooPrecise = await h
      .http()
      .post('/calls')
      .set('authorization', h.manager)
      .send({
        ...{
          title: { en: 't' },
          currency: 'JPY',
          budget: '10.5',
          maxAward: '1',
          opensAt: '2026-01-01T00:00:00Z',
          closesAt: '2027-01-01T00:00:00Z',
          criteria: [{ name: 'a', weight: 100 }],
        },
      })
      .expect(400);
    expect(tooPrecise.body.error.details.fields[0]).toMatchObject({
      field: 'budget',
      problems: ['JPY amounts have at most 0 decimals.'],
    });
  });

  it('requires a token on every route but health and docs, and the right role for each event', async () => {
    await h.http().get('/workflows').expect(401);
    await h
      .http()
      .get('/calls/00000000-0000-4000-8000-000000000000')
      .set('authorization', 'Bearer not-a-real-token-at-all')
      .expect(401);
    await h.http().get('/health').expect(200);
    await h.http().get('/health/ready').expect(200);
    await h.http().get('/openapi.json').expect(200);
    const id = await openCall(h, h.manager);
    const res = await send(h, h.applicant, `/calls/${id}`, { type: 'CLOSE' }, 403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    await h.http().get('/calls/00000000-0000-4000-8000-000000000000').set('authorization', h.manager).expect(404);
  });

  it('records every transition in the history, hash-chained, with the real actor', async () => {
    const id = await openCall(h, h.manager);
    await send(h, h.manager, `/calls/${id}`, { type: 'CANCEL', reason: 'Budget moved to next year' });
    const res = await h.http().get(`/calls/${id}/history`).set('authorization', h.manager).expect(200);
    expect(res.body.map((r: { event: string }) => r.event)).toEqual(['START', 'PUBLISH', 'CANCEL']);
    expect(res.body[2]).toMatchObject({
      from: 'open',
      to: 'cancelled',
      reason: 'Budget moved to next year',
      actor: { role: 'manager' },
    });
    expect(new Set(res.body.map((r: { hash: string }) => r.hash)).size).toBe(3);
  });

  it('cascades START_REVIEW to every eligible application in one transaction', async () => {
    const callId = await openCall(h, h.manager);
    // three groups, one application each
    const group = async () => (await h.user('applicant')).auth;
    const eligible = [
      await submittedApplication(h, callId, await group()),
      await submittedApplication(h, callId, await group()),
    ];
    const ineligible = await submittedApplication(h, callId, await group());
    for (const id of eligible)
      await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/applications/${ineligible}`, {
      type: 'SCREEN',
      decision: 'ineligible',
      reason: 'Outside the four municipalities',
    });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    for (const id of eligible) {
      const app = await h.http().get(`/applications/${id}`).set('authorization', h.manager).expect(200);
      expect(app.body.state).toBe('in_review');
      const history = await h.http().get(`/applications/${id}/history`).set('authorization', h.manager).expect(200);
      expect(history.body.at(-1)).toMatchObject({ event: 'REVIEW_STARTED', actor: { role: 'system' } });
    }
    const other = await h.http().get(`/applications/${ineligible}`).set('authorization', h.manager).expect(200);
    expect(other.body.state).toBe('ineligible');
  });

  it('keeps money within the budget: an award above what is left is refused', async () => {
    const callId = await openCall(h, h.manager);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await submittedApplication(h, callId, (await h.user('applicant')).auth));
    for (const id of ids) await send(h, h.manager, `/applications/${id}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'START_REVIEW' });
    for (const id of ids.slice(0, 5))
      await send(h, h.manager, `/applications/${id}`, { type: 'AWARD', amount: '2500.00' });
    const refused = await send(h, h.manager, `/applications/${ids[5]}`, { type: 'AWARD', amount: '0.01' }, 409);
    expect(refused.body.error.code).toBe('GUARD_FAILED');
    await send(h, h.manager, `/applications/${ids[5]}`, { type: 'REJECT', reason: 'Budget exhausted' });
    await send(h, h.manager, `/calls/${callId}`, { type: 'CONFIRM_DECISIONS' });
    const call = await h.http().get(`/calls/${callId}`).set('authorization', h.manager).expect(200);
    expect(call.body.state).toBe('decided');
  });

  it('describes each machine, with a Mermaid diagram drawn from the machine itself', async () => {
    const all = await h.http().get('/workflows').set('authorization', h.applicant).expect(200);
    expect(all.body.map((w: { id: string }) => w.id)).toEqual([
      'call',
      'application',
      'disbursement',
      'report',
      'review',
    ]);
    const res = await h.http().get('/workflows/application').set('authorization', h.applicant).expect(200);
    expect(res.body).toMatchObject({ id: 'application', version: 2, initial: 'draft' });
    expect(res.body.mermaid).toContain('stateDiagram-v2');
    expect(res.body.mermaid).toContain('[*] --> draft');
    expect(res.body.mermaid).toContain('draft --> submitted : SUBMIT [submissionComplete]');
    expect(res.body.mermaid).toContain('withdrawn --> [*]');
    expect(res.body.events).toContainEqual({ type: 'REVIEW_STARTED', senders: ['system'] });
    expect(res.body.states).toContainEqual(
      expect.objectContaining({ name: 'more_info', final: false, publicName: expect.any(String) }),
    );
    await h.http().get('/workflows/grant').set('authorization', h.applicant).expect(404);
  });

  it('shows a call to people outside its programme only if it was published, cancelled or not', async () => {
    const outsider = await h.user('applicant');
    const neverPublished = await createCall(h, h.manager);
    await send(h, h.manager, `/calls/${neverPublished}`, { type: 'CANCEL', reason: 'Drafted twice' });
    await h.http().get(`/calls/${neverPublished}`).set('authorization', outsider.auth).expect(404);
    await h.http().get(`/calls/${neverPublished}/history`).set('authorization', outsider.auth).expect(404);
    await h.http().get(`/calls/${neverPublished}`).set('authorization', h.manager).expect(200);
    const withdrawn = await openCall(h, h.manager);
    await send(h, h.manager, `/calls/${withdrawn}`, { type: 'CANCEL', reason: 'Funding withdrawn' });
    expect((await h.http().get(`/calls/${withdrawn}`).set('authorization', outsider.auth).expect(200)).body.state).toBe(
      'cancelled',
    );
  });

  it('lists open calls to anyone, without an account, and never a draft', async () => {
    const open = await openCall(h, h.manager);
    const draft = await createCall(h, h.manager);
    const listed = (await h.http().get('/calls').expect(200)).body;
    const ids = listed.map((c: { id: string }) => c.id);
    expect(ids).toContain(open);
    expect(ids).not.toContain(draft);
    expect(listed.find((c: { id: string }) => c.id === open)).toMatchObject({
      budget: '12500.00',
      maxAward: '2500.00',
      currency: 'EUR',
      programme: expect.any(String),
    });
  });

  it('exports the applications of a call as CSV with Cyrillic intact, for its managers', async () => {
    const callId = await openCall(h, h.manager);
    const applicant = await h.user('applicant', { name: 'Айгүл Токтосунова' });
    await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', applicant.auth)
      .send(proposal('2400.50', { title: 'Жаштар үчүн спорт аянтчасы, "Жазы"' }))
      .expect(201);
    const res = await h.http().get(`/calls/${callId}/applications.csv`).set('authorization', h.manager).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const [header, row] = res.text.slice(1).trim().split('\n');
    expect(header).toBe(
      'reference,title,group,municipality,oblast,state,requested,co-funding,currency,women,men,youth,summary,attachments,submitted at,contact,contact email',
    );
    expect(row).toContain('"Жаштар үчүн спорт аянтчасы, ""Жазы"""');
    expect(row).toContain('Айгүл Токтосунова');
    expect(row).toContain(',Zhazy,Osh,draft,2400.50,200.00,EUR,30,20,150,');
    await h.http().get(`/calls/${callId}/applications.csv`).set('authorization', applicant.auth).expect(403);
  });

  it('writes no cell of the CSV that a spreadsheet would run as a formula', async () => {
    const callId = await openCall(h, h.manager);
    const applicant = await h.user('applicant', { name: '@SUM(1+1)*cmd|/C calc!A0' });
    await h
      .http()
      .post(`/calls/${callId}/applications`)
      .set('authorization', applicant.auth)
      .send(proposal('1000.00', { title: '=HYPERLINK("http://evil.example","Open")', summary: '+1+1' }))
      .expect(201);
    const res = await h.http().get(`/calls/${callId}/applications.csv`).set('authorization', h.manager).expect(200);
    const row = res.text.slice(1).trim().split('\n')[1];
    expect(row).toContain(`"'=HYPERLINK(""http://evil.example"",""Open"")"`);
    expect(row).toContain(`,'+1+1,`);
    expect(row).toContain(`,'@SUM(1+1)*cmd|/C calc!A0,`);
    expect(row).not.toMatch(/(^|,)"?[=+@\t\r-]/);
  });
});
