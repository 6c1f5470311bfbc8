import { sqlRows } from '../src/common/sql';
import { MailWorker } from '../src/notifications/mail.worker';
import { pilotCall, proposal, send } from './support/fixtures';
import { startHarness, type Harness } from './support/harness';
import { smtpSink, type SmtpSink } from './support/smtp';

// Real answers checked against the schemas the API documentation gives them: a field answered but
// not documented, documented as required but missing, null where it may not be, of another type or
// outside its enum fails. So the documented answers cannot drift from what the routes send.

interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  $ref?: string;
  allOf?: Schema[];
}
interface Response {
  content?: Record<string, { schema?: Schema }>;
}
interface Document {
  paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
  components: { schemas: Record<string, Schema> };
}

const FORMATS: Record<string, RegExp> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  'date-time': /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
  email: /^[^@\s]+@[^@\s]+$/,
};

/** Where a value departs from a schema, one line each. */
function departures(doc: Document, schema: Schema, value: unknown, where: string): string[] {
  // A property's own `nullable` stands beside the reference to its type (`allOf: [{ $ref }]`).
  const nullable = schema.nullable === true;
  const ref = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
  const s = ref ? doc.components.schemas[ref.replace('#/components/schemas/', '')] : schema;
  if (value === null) return nullable || s.nullable ? [] : [`${where} is null`];
  if (s.enum && !s.enum.includes(value))
    return [`${where} is ${JSON.stringify(value)}, not one of ${s.enum.join(', ')}`];
  if (s.type === 'array') {
    if (!Array.isArray(value)) return [`${where} is not an array`];
    return value.flatMap((item, i) => departures(doc, s.items ?? {}, item, `${where}[${i}]`));
  }
  if (s.type === 'object' || s.properties) {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${where} is not an object`];
    const fields = value as Record<string, unknown>;
    const properties = s.properties ?? {};
    const extra = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    return [
      ...(s.required ?? []).filter((name) => !(name in fields)).map((name) => `${where}.${name} is missing`),
      ...Object.entries(fields).flatMap(([name, field]) => {
        const property = properties[name] ?? extra;
        if (property) return departures(doc, property, field, `${where}.${name}`);
        return s.additionalProperties === true ? [] : [`${where}.${name} is not documented`];
      }),
    ];
  }
  const type = s.type === 'integer' ? 'number' : s.type;
  if (type && typeof value !== type) return [`${where} is a ${typeof value}, documented as ${s.type}`];
  if (s.type === 'integer' && !Number.isInteger(value)) return [`${where} is not an integer`];
  const format = s.format && FORMATS[s.format];
  if (format && !format.test(String(value))) return [`${where} is ${JSON.stringify(value)}, not a ${s.format}`];
  return [];
}

describe('every answer matches its documented schema', () => {
  let h: Harness;
  let smtp: SmtpSink;
  let doc: Document;

  beforeAll(async () => {
    smtp = await smtpSink();
    h = await startHarness({ SMTP_URL: smtp.url });
    doc = (await h.http().get('/openapi.json').expect(200)).body as Document;
  });
  afterAll(async () => {
    await h.close();
    await smtp.stop();
  });

  type Method = 'get' | 'post' | 'put' | 'patch';

  /** Calls a route and returns its answer, with the ways the answer departs from the route's documentation. */
  async function answer(method: Method, route: string, url: string, auth?: string, body?: object) {
    let request = h.http()[method](url);
    if (auth) request = request.set('authorization', auth);
    const res = body ? await request.send(body) : await request;
    const where = `${method.toUpperCase()} ${route} ${res.status}`;
    const documented = doc.paths[route]?.[method]?.responses[String(res.status)];
    if (!documented) return { res, problems: [`${where} is not documented`] };
    if (res.status === 204) return { res, problems: [] };
    const type = String(res.headers['content-type']).split(';')[0];
    const content = documented.content?.[type];
    if (!content?.schema) return { res, problems: [`${where} answers ${type}, not documented`] };
    const value: unknown = type === 'application/json' ? res.body : res.text;
    return { res, problems: departures(doc, content.schema, value, where) };
  }

  /** Answers of several routes, checked together: every problem is listed at once. */
  function journey() {
    const problems: string[] = [];
    return {
      problems,
      async call(method: Method, route: string, url: string, auth?: string, body?: object) {
        const { res, problems: found } = await answer(method, route, url, auth, body);
        problems.push(...found);
        return res;
      },
    };
  }

  async function awardedApplication(j: ReturnType<typeof journey>, applicant: string) {
    const call = (await j.call('post', '/calls', '/calls', h.manager, pilotCall())).body.id as string;
    await j.call('get', '/calls/{id}', `/calls/${call}`, h.manager);
    await send(h, h.manager, `/calls/${call}`, { type: 'PUBLISH' });
    const application = (
      await h.http().post(`/calls/${call}/applications`).set('authorization', applicant).send(proposal()).expect(201)
    ).body.id as string;
    await send(h, applicant, `/applications/${application}`, { type: 'SUBMIT' });
    await send(h, h.manager, `/applications/${application}`, { type: 'SCREEN', decision: 'eligible' });
    await send(h, h.manager, `/calls/${call}`, { type: 'CLOSE' });
    await send(h, h.manager, `/calls/${call}`, { type: 'START_REVIEW' });
    await send(h, h.manager, `/applications/${application}`, { type: 'AWARD', amount: '2500.00', reason: 'Funded' });
    return { call, application };
  }

  it('calls, their committee, tranches, reports, and the emails they send', async () => {
    const j = journey();
    const applicant = await h.user('applicant');
    const { call, application } = await awardedApplication(j, applicant.auth);
    await j.call('get', '/calls', '/calls');
    await j.call('get', '/calls/{id}', `/calls/${call}`, applicant.auth);
    await j.call('get', '/calls/{id}/applications.csv', `/calls/${call}/applications.csv`, h.manager);
    const member = await h.user('committee');
    const seats = { members: [{ userId: member.id, chair: true }] };
    await j.call('put', '/calls/{callId}/committee', `/calls/${call}/committee`, h.manager, seats);
    await j.call('get', '/calls/{callId}/committee', `/calls/${call}/committee`, member.auth);

    const tranches = `/applications/${application}/tranches`;
    const tranche = (
      await j.call('post', '/applications/{applicationId}/tranches', tranches, h.manager, { amount: '1250.00' })
    ).body.id as string;
    await j.call('get', '/tranches/{id}', `/tranches/${tranche}`, applicant.auth);
    await j.call('get', '/applications/{applicationId}/tranches', tranches, h.manager);
    const reports = `/applications/${application}/reports`;
    const due = { kind: 'interim', dueAt: '2027-01-15T12:00:00Z', overdueAt: '2027-01-29T12:00:00Z' };
    const report = (await j.call('post', '/applications/{applicationId}/reports', reports, h.manager, due)).body
      .id as string;
    await j.call('get', '/reports/{id}', `/reports/${report}`, applicant.auth);
    await j.call('get', '/applications/{applicationId}/reports', reports, applicant.auth);

    await h.app.get(MailWorker).drain();
    const page = await j.call('get', '/notifications', '/notifications?limit=5', h.manager);
    const mail = (page.body.items as { id: string }[])[0].id;
    await j.call('get', '/notifications/{id}', `/notifications/${mail}`, h.manager);
    await sqlRows(h.orm.em.fork(), `update notification set status = 'dead' where id = ?`, [mail]);
    await j.call('post', '/notifications/{id}/retry', `/notifications/${mail}/retry`, h.manager);
    for (const format of ['json', 'html', 'text'])
      await j.call(
        'get',
        '/notifications/preview/{message}',
        `/notifications/preview/application.awarded?format=${format}`,
        h.manager,
      );
    expect(j.problems).toEqual([]);
  });

  it('groups, people and their sessions', async () => {
    const j = journey();
    const founder = await h.user('applicant');
    const group = (
      await j.call('post', '/groups', '/groups', founder.auth, {
        name: 'Nookat Women',
        municipality: 'Nookat',
        oblast: 'Osh',
      })
    ).body.id as string;
    const invitation = { email: `invited-${group}@example.test`, name: 'Gulnara Asanova' };
    await j.call('post', '/groups/{id}/members', `/groups/${group}/members`, founder.auth, invitation);
    await j.call('get', '/groups/{id}', `/groups/${group}`, founder.auth);
    await j.call('get', '/groups', '/groups', founder.auth);

    await j.call('get', '/me', '/me', h.manager);
    await j.call('patch', '/me', '/me', founder.auth, { locale: 'ky' });
    const email = `officer-${group}@example.test`;
    const officer = (
      await j.call('post', '/users', '/users', h.manager, { email, name: 'Azamat Bekov', role: 'finance' })
    ).body.id as string;
    await j.call('get', '/users', '/users', h.manager);
    await j.call('post', '/users/{id}/sessions/revoke', `/users/${officer}/sessions/revoke`, h.manager);

    await j.call('post', '/auth/login-link', '/auth/login-link', undefined, { email });
    await h.app.get(MailWorker).drain();
    const text = smtp.to(email).at(-1)?.mail.text ?? '';
    const token = /token=(gwl_[A-Za-z0-9_-]+)/.exec(text)?.[1] as string;
    const session = await j.call('post', '/auth/session', '/auth/session', undefined, { token });
    await j.call('post', '/auth/logout', '/auth/logout', `Bearer ${session.body.token}`);

    expect(j.problems).toEqual([]);
  });

  it('the workflows and the service’s health', async () => {
    const j = journey();
    await j.call('get', '/workflows', '/workflows', h.applicant);
    await j.call('get', '/workflows/{machine}', '/workflows/application', h.applicant);
    await j.call('get', '/health', '/health');
    await j.call('get', '/health/ready', '/health/ready');
    expect(j.problems).toEqual([]);
  });
});
