import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { requestJson } from './http';

// How fast GET /applications answers a manager whose programme holds 100,000 applications: the
// programme is seeded once with bare SQL (10 closed calls, 2,000 applicant groups in 4
// municipalities, 100,000 applications with their workflow instances), then each list query runs
// sequentially against a fresh service, and its latencies are printed.

const APPLICATIONS = 100_000;
const CALLS = 10;
const GROUPS = 2_000;
const REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 50);
const WARM_UP = 5;
/** Seeded applications carry this reference prefix; the service numbers its own KG-<year>-<n>. */
const REFERENCE_PREFIX = 'KG-B-';

export interface RunningService {
  base: string;
  /** The service's process, for reading what it used. */
  pid?: number;
  stop(): Promise<void>;
}

interface Me {
  id: string;
  role: string;
  programmeId: string | null;
}

interface Page {
  items: unknown[];
  nextCursor: string | null;
}

// Each application's state, by percentage: a year of closed calls, so most are past screening.
const STATES: [string, number][] = [
  ['draft', 6],
  ['submitted', 20],
  ['more_info', 5],
  ['eligible', 15],
  ['in_review', 20],
  ['rejected', 20],
  ['awarded', 8],
  ['withdrawn', 6],
];

// Titles: what, for whom, and a number. 'water' is in 2 of 16 subjects; 'beekeeping' in 1 title of 5,000.
const SUBJECTS = [
  'Water pipe',
  'Drinking tank for water',
  'Playground',
  'Roof repair',
  'Irrigation canal',
  'Street lights',
  'Sports hall',
  'Library books',
  'Bridge repair',
  'Clinic equipment',
  'Community centre',
  'Waste collection',
  'Heating',
  'Youth club',
  'Greenhouse',
  'Road gravel',
];
const PLACES = ['school', 'village', 'kindergarten', 'clinic', 'park', 'market', 'library', 'youth centre'];
const RARE_EVERY = 5_000;
const MUNICIPALITIES: [string, string][] = [
  ['Alexandrovsky', 'Chuy'],
  ['Yuryevka', 'Talas'],
  ['Gulistan', 'Batken'],
  ['Zhazy', 'Osh'],
];

const sqlText = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;

/**
 * Seeds the programme in one transaction of set-based statements, unless it already holds
 * APPLICATIONS applications. Heap order follows creation time, as in a service that has run for a year.
 */
async function seed(db: Client, programmeId: string, managerId: string): Promise<string> {
  const { rows: counted } = await db.query<{ n: number }>(
    'select count(*)::int as n from application where programme_id = $1',
    [programmeId],
  );
  if (counted[0].n >= APPLICATIONS) return `list seed: skipped, the programme holds ${counted[0].n} applications`;
  const { rows: stale } = await db.query(
    `select 1 from application where reference like '${REFERENCE_PREFIX}%' limit 1`,
  );
  if (stale.length)
    throw new Error(
      `seeded applications (${REFERENCE_PREFIX}*) exist, but not ${APPLICATIONS} of them in this programme: recreate the bench database`,
    );

  const started = performance.now();
  // One draw from a deck of 100 cards picks a state with its share.
  const stateDeck = STATES.flatMap(([state, percent]) => Array<string>(percent).fill(state));
  await db.query('begin');
  try {
    await db.query('select setseed(0.4711)');
    await db.query(
      `create temp table bench_call on commit drop as
         select k, gen_random_uuid() as id, gen_random_uuid() as instance_id,
                date_trunc('day', now()) - interval '380 days' + k * interval '36 days' as opens_at
           from generate_series(0, ${CALLS - 1}) k`,
    );
    await db.query(
      `insert into call (id, title, currency, budget_minor, max_award_minor, opens_at, closes_at, criteria, created_by, created_at, programme_id,
                         description, municipalities, questions, reviewers_per_application, finance_threshold_minor, applications_per_group)
       select id, jsonb_build_object('en', 'Community grants, round ' || (k + 1), 'ru', 'Гранты общинам, раунд ' || (k + 1)),
              'KGS', 200000000, 25000000, opens_at, opens_at + interval '30 days',
              '[{"name": "Impact", "weight": 60}, {"name": "Feasibility", "weight": 40}]', $1, opens_at - interval '14 days', $2,
              jsonb_build_object('en', 'Small grants for projects that municipalities and their groups run together.'),
              to_jsonb(${sqlText(MUNICIPALITIES.map(([m]) => m))}),
              '[{"id": "registered", "text": {"en": "Is the group registered?"}, "required": true}]', 3, 10000000, 5
         from bench_call`,
      [managerId, programmeId],
    );
    await db.query(
      `insert into workflow_instance (id, machine_id, machine_version, state, snapshot, version, subject_type, subject_id, parent_id, created_at, updated_at, last_hash)
       select instance_id, 'call', 2, 'closed', jsonb_build_object('value', 'closed', 'status', 'active', 'context', jsonb_build_object('callId', id)),
              1, 'call', id, null, opens_at - interval '14 days', opens_at + interval '30 days', repeat('0', 64)
         from bench_call`,
    );
    await db.query(
      `create temp table bench_group on commit drop as
         select n, gen_random_uuid() as id, gen_random_uuid() as user_id,
                (${sqlText(MUNICIPALITIES.map(([m]) => m))})[n % ${MUNICIPALITIES.length} + 1] as municipality,
                (${sqlText(MUNICIPALITIES.map(([, o]) => o))})[n % ${MUNICIPALITIES.length} + 1] as oblast,
                now() - interval '400 days' + n * interval '3 hours' as created_at
           from generate_series(0, ${GROUPS - 1}) n`,
    );
    await db.query(
      `insert into app_user (id, email, name, locale, role, created_at)
       select user_id, 'bench-list-contact-' || n || '@example.test', 'Contact ' || n, (array['ky', 'ru', 'en'])[n % 3 + 1], 'applicant', created_at
         from bench_group`,
    );
    await db.query(
      `insert into applicant_group (id, name, municipality, oblast, contact_user_id, created_at)
       select id, municipality || ' ' || (array['youth club', 'women''s council', 'school committee', 'water users'' association', 'farmers'' cooperative'])[n % 5 + 1] || ' ' || n,
              municipality, oblast, user_id, created_at
         from bench_group`,
    );
    await db.query(
      'insert into group_member (group_id, user_id, joined_at) select id, user_id, created_at from bench_group',
    );
    // Every group applies 5 times to every call. The inner select draws each random value once
    // (offset 0 keeps it from being merged into the outer one). The proposal, about 1 kB, is in the
    // application row and in the instance's context, as the service stores them.
    await db.query(
      `insert into application (id, call_id, title, requested_minor, currency, created_by, created_at, reference, group_id, programme_id, municipality, proposal)
       select id, call_id, title, requested_minor, 'KGS', user_id, created_at,
              '${REFERENCE_PREFIX}' || lpad((row_number() over (order by created_at, id))::text, 6, '0'), group_id, $1, municipality,
              jsonb_build_object(
                'summary', title || ': the group buys the materials, the municipality provides the site, and volunteers from the ' || municipality || ' community do the work over the summer.',
                'problem', 'Families in ' || municipality || ' have asked for this for years; the nearest alternative is a long walk away and closed in winter, so the need is felt by every household.',
                'activities', jsonb_build_array(
                  jsonb_build_object('description', 'Buy and deliver materials', 'start', '2026-04-01', 'end', '2026-04-30'),
                  jsonb_build_object('description', 'Build and hand over', 'start', '2026-05-01', 'end', '2026-07-31')),
                'participants', jsonb_build_object('women', 40 + g % 60, 'men', 35 + g % 50, 'youth', 20 + g % 40),
                'composition', jsonb_build_object('local_government', 1, 'civil_society', 3),
                'municipality', municipality,
                'budget', jsonb_build_array(
                  jsonb_build_object('category', 'Materials', 'description', 'Materials as quoted', 'quantity', 1, 'unitCostMinor', requested_minor - 1000000),
                  jsonb_build_object('category', 'Transport', 'description', 'Two lorry trips', 'quantity', 2, 'unitCostMinor', 500000)),
                'coFunding', jsonb_build_array(jsonb_build_object('source', 'Municipality', 'amountMinor', 1500000, 'inKind', true)),
                'eligibilityAnswers', jsonb_build_object('registered', true))
         from (select g, gen_random_uuid() as id, c.id as call_id, gr.id as group_id, gr.user_id, gr.municipality,
                      case when g % ${RARE_EVERY} = 17 then 'Beekeeping kit'
                           else (${sqlText(SUBJECTS)})[1 + floor(random() * ${SUBJECTS.length})::int] end
                        || ' for ' || (${sqlText(PLACES)})[1 + floor(random() * ${PLACES.length})::int] || ' ' || (1000 + floor(random() * 9000)::int) as title,
                      (200 + floor(random() * 2300)::bigint) * 10000 as requested_minor,
                      c.opens_at + random() * interval '30 days' as created_at
                 from generate_series(0, ${APPLICATIONS - 1}) g
                 join bench_call c on c.k = g % ${CALLS}
                 join bench_group gr on gr.n = (g / ${CALLS}) % ${GROUPS}
               offset 0) s
        order by created_at, id`,
      [programmeId],
    );
    await db.query(
      `insert into workflow_instance (id, machine_id, machine_version, state, snapshot, version, subject_type, subject_id, parent_id, created_at, updated_at, last_hash)
       select gen_random_uuid(), 'application', 2, state,
              jsonb_build_object('value', state, 'status', 'active', 'context', jsonb_build_object(
                'callId', call_id, 'groupId', group_id, 'title', title, 'currency', currency, 'maxAwardMinor', 25000000, 'proposal', proposal,
                'requestedMinor', requested_minor, 'questions', '[]'::jsonb, 'answers', '[]'::jsonb,
                'awardedMinor', case when state = 'awarded' then requested_minor end, 'reason', null)),
              1, 'application', id, call_instance_id, created_at, created_at + interval '40 days', repeat('0', 64)
         from (select a.*, c.instance_id as call_instance_id, (${sqlText(stateDeck)})[1 + floor(random() * ${stateDeck.length})::int] as state
                 from application a join bench_call c on c.id = a.call_id
                where a.programme_id = $1 and a.reference like '${REFERENCE_PREFIX}%'
               offset 0) s
        order by created_at, id`,
      [programmeId],
    );
    await db.query('commit');
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
  const inserted = performance.now();
  // A service that has run for a year has its tables vacuumed and analysed by autovacuum.
  await db.query('vacuum (analyze) call, app_user, applicant_group, group_member, application, workflow_instance');
  const done = performance.now();
  return (
    `list seed: ${CALLS} calls, ${GROUPS} groups, ${APPLICATIONS} applications in ${((inserted - started) / 1000).toFixed(1)} s ` +
    `(+ ${((done - inserted) / 1000).toFixed(1)} s vacuum analyze)`
  );
}

// One kept-alive connection: the requests are sequential.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get<T>(base: string, auth: string, path: string): Promise<T> {
  return requestJson<T>(agent, 'GET', `${base}${path}`, auth);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Measured {
  name: string;
  p50: number;
  p95: number;
  max: number;
  rows: number;
}

async function measure(base: string, auth: string, name: string, path: string): Promise<Measured> {
  const latencies: number[] = [];
  let rows = 0;
  for (let i = 0; i < WARM_UP + REQUESTS; i++) {
    const t0 = performance.now();
    const page = await get<Page>(base, auth, path);
    if (i >= WARM_UP) latencies.push(performance.now() - t0);
    rows = page.items.length;
  }
  latencies.sort((a, b) => a - b);
  const result = {
    name,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies[latencies.length - 1],
    rows,
  };
  console.log(
    `list ${name}: p50 ${result.p50.toFixed(1)} ms, p95 ${result.p95.toFixed(1)} ms, max ${result.max.toFixed(1)} ms (${REQUESTS} requests, ${rows} rows)`,
  );
  return result;
}

/**
 * Seeds the manager's programme (once), starts a service and times each list query: REQUESTS
 * sequential requests after WARM_UP unmeasured ones.
 */
export async function listBench(
  url: string,
  managerToken: string,
  start: () => Promise<RunningService>,
): Promise<void> {
  const service = await start();
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const me = await get<Me>(service.base, managerToken, '/me');
    if (me.role !== 'manager' || !me.programmeId) throw new Error('listBench needs a manager of a programme');
    console.log(await seed(db, me.programmeId, me.id));
    // The call with the most applications, seeded or not.
    const { rows: calls } = await db.query<{ call_id: string }>(
      'select call_id from application where programme_id = $1 group by call_id order by count(*) desc, call_id limit 1',
      [me.programmeId],
    );
    const callId = calls[0].call_id;
    for (let i = 0; i < 20; i++) await get<Page>(service.base, managerToken, '/applications?limit=50');
    const first = await get<Page>(service.base, managerToken, '/applications?limit=50');
    if (!first.nextCursor) throw new Error('the first page has no next cursor');

    const queries: [string, string][] = [
      ['first page', 'limit=50'],
      ['next page', `limit=50&cursor=${encodeURIComponent(first.nextCursor)}`],
      ['one call', `limit=50&callId=${callId}`],
      ['state=submitted,more_info', 'limit=50&state=submitted,more_info'],
      ['municipality=Gulistan', 'limit=50&municipality=Gulistan'],
      ['q=water', 'limit=50&q=water'],
      ['q=beekeeping (rare)', 'limit=50&q=beekeeping'],
      ['sort=title', 'limit=50&sort=title'],
      ['sort=requested desc', 'limit=50&sort=requested&order=desc'],
      [
        'call+state+municipality+q',
        `limit=50&callId=${callId}&state=submitted,more_info&municipality=Gulistan&q=water`,
      ],
    ];
    const results: Measured[] = [];
    for (const [name, query] of queries)
      results.push(await measure(service.base, managerToken, name, `/applications?${query}`));
    const slowest = results.reduce((a, b) => (b.p95 > a.p95 ? b : a));
    console.log(`list over ${APPLICATIONS} applications: slowest p95 ${slowest.p95.toFixed(1)} ms (${slowest.name})`);
  } finally {
    agent.destroy();
    await db.end();
    await service.stop();
  }
}
