import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { openOrm } from '../src/config/database';
import { ENTITIES } from '../src/entities';
import { IdentityService } from '../src/identity/identity.service';
import { applicationWorkflow, callWorkflow, disbursementWorkflow, type DisbursementState } from '../workflows';
import { requestJson, requestRaw } from './http';
import type { RunningService } from './lists';

// How fast finance reads answer over a programme of 10,000 grants: the programme is seeded once
// with bare SQL (10 decided calls, one in KGS and the others in EUR; each grant active with two
// tranches, their logs, and the ledger rows their awards and payments wrote), then a finance
// officer's queue, the programme's ledger as CSV and as balances, and one call's ledger are each
// read sequentially from a fresh service, and their latencies printed.

const GRANTS = 10_000;
const CALLS = 10;
/** Each group holds one grant per call. */
const GROUPS = GRANTS / CALLS;
/** The call whose grants are in som: the programme's ledger mixes currencies. */
const KGS_CALL = 4;
const REQUESTS = Number(process.env.BENCH_FINANCE_REQUESTS ?? 30);
const WARM_UP = 3;
const PROGRAMME = 'Benchmark finance programme';
/** Seeded grants carry this reference prefix; the service numbers its own KG-<year>-<n>. */
const REFERENCE_PREFIX = 'KG-F-';
const MUNICIPALITIES: [string, string][] = [
  ['Alexandrovsky', 'Chuy'],
  ['Yuryevka', 'Talas'],
  ['Gulistan', 'Batken'],
  ['Zhazy', 'Osh'],
];
const SUBJECTS = ['Water pipe', 'Playground', 'Roof repair', 'Irrigation canal', 'Street lights', 'Greenhouse'];
const PLACES = ['school', 'village', 'kindergarten', 'clinic', 'park', 'library'];

// Each tranche's state, by percentage: the first is paid on acceptance, the second after the
// interim report. A few hundred wait for finance (requested, partly approved), so the queue has work.
const FIRST_TRANCHE: [DisbursementState, number][] = [
  ['paid', 93],
  ['scheduled', 1],
  ['requested', 2],
  ['partly_approved', 1],
  ['approved', 2],
  ['payment_failed', 1],
];
/** The second tranche, once the first is paid; before that it stays scheduled. */
const SECOND_TRANCHE: [DisbursementState, number][] = [
  ['paid', 85],
  ['scheduled', 11],
  ['requested', 1],
  ['partly_approved', 1],
  ['approved', 2],
];

/** Who sent an event of a seeded log: the seeded staff, the grant's applicant, or the service. */
type Sender = 'manager' | 'finance' | 'finance2' | 'applicant' | 'system';
type Step = [event: string, to: string, sender: Sender];

const CALL_PATH: Step[] = [
  ['START', 'draft', 'manager'],
  ['PUBLISH', 'open', 'manager'],
  ['CLOSE', 'closed', 'system'],
  ['START_REVIEW', 'reviewing', 'manager'],
  ['CONFIRM_DECISIONS', 'decided', 'manager'],
];
const GRANT_PATH: Step[] = [
  ['START', 'draft', 'applicant'],
  ['SUBMIT', 'submitted', 'applicant'],
  ['SCREEN', 'eligible', 'manager'],
  ['REVIEW_STARTED', 'in_review', 'system'],
  ['REVIEW_SUBMITTED', 'reviewed', 'system'],
  ['AWARD', 'awarded', 'manager'],
  ['ACCEPT_AWARD', 'active', 'applicant'],
];

/** The events that bring a tranche to `state`, with one approval or two (a grant at or above the threshold). */
function tranchePath(state: DisbursementState, two: boolean): Step[] {
  const requested: Step[] = [
    ['START', 'scheduled', 'manager'],
    ['REQUEST', 'requested', 'manager'],
  ];
  const first: Step = ['APPROVE', two ? 'partly_approved' : 'approved', 'finance'];
  const approved: Step[] = two ? [...requested, first, ['APPROVE', 'approved', 'finance2']] : [...requested, first];
  if (state === 'scheduled') return requested.slice(0, 1);
  if (state === 'requested') return requested;
  if (state === 'partly_approved') return [...requested, first];
  if (state === 'paid') return [...approved, ['RECORD_PAYMENT', 'paid', 'finance']];
  if (state === 'payment_failed') return [...approved, ['PAYMENT_FAILED', 'payment_failed', 'finance']];
  return approved;
}

const sqlText = (values: string[]) => `array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]`;
const deck = (shares: [string, number][]) =>
  sqlText(shares.flatMap(([state, percent]) => Array<string>(percent).fill(state)));
const draw = (shares: [string, number][]) => `(${deck(shares)})[1 + floor(random() * 100)::int]`;

/** One row per step of each machine's path to each final state: (machine, final, two, seq, event, from, to, sender). */
function pathValues(): string {
  const rows: string[] = [];
  const add = (machine: string, final: string, two: boolean, steps: Step[]) =>
    steps.forEach(([event, to, sender], i) =>
      rows.push(
        `('${machine}', '${final}', ${two}, ${i + 1}, '${event}', ${i ? `'${steps[i - 1][1]}'` : 'null'}, '${to}', '${sender}')`,
      ),
    );
  add('call', 'decided', false, CALL_PATH);
  add('application', 'active', false, GRANT_PATH);
  const states = new Set([...FIRST_TRANCHE, ...SECOND_TRANCHE].map(([s]) => s));
  for (const two of [false, true])
    for (const state of states)
      if (two || state !== 'partly_approved') add('disbursement', state, two, tranchePath(state, two));
  return rows.join(',\n');
}

interface Staff {
  programmeId: string;
  managerId: string;
  financeIds: [string, string];
}

/** The programme's calls, groups and grants with their tranches. Random draws are kept in temp tables, each drawn once. */
const subjectStatements = (s: Staff): [string, unknown[]][] => [
  [
    `insert into app_user (id, email, name, locale, role, programme_id)
     values ($1, 'bench-finance-manager@example.test', 'Aigul Sadykova', 'ky', 'manager', $4),
            ($2, 'bench-finance-officer-1@example.test', 'Nurlan Abdyraev', 'ru', 'finance', $4),
            ($3, 'bench-finance-officer-2@example.test', 'Elena Petrova', 'en', 'finance', $4)`,
    [s.managerId, ...s.financeIds, s.programmeId],
  ],
  // Rounds every 60 days, the newest decided about five months ago; one in som, the others in euros.
  [
    `create temp table bench_fin_call on commit drop as
       select k, gen_random_uuid() as id, gen_random_uuid() as instance_id, c.currency, c.scale,
              350000000::bigint * c.scale as budget_minor, 500000 * c.scale as max_award_minor, 300000 * c.scale as threshold_minor,
              o.opens_at, o.opens_at - interval '14 days' as created_at, o.opens_at + interval '75 days' as decided_at
         from generate_series(0, ${CALLS - 1}) k
        cross join lateral (select case when k = ${KGS_CALL} then 'KGS' else 'EUR' end as currency,
                                   case when k = ${KGS_CALL} then 100 else 1 end as scale) c
        cross join lateral (select date_trunc('day', now()) - interval '760 days' + k * interval '60 days' as opens_at) o`,
    [],
  ],
  [
    `insert into call (id, title, currency, budget_minor, max_award_minor, opens_at, closes_at, criteria, created_by, created_at, programme_id,
                       description, municipalities, reviewers_per_application, finance_threshold_minor, applications_per_group, payment_plan)
     select id, jsonb_build_object('en', 'Community grants, round ' || (k + 1), 'ru', 'Гранты общинам, раунд ' || (k + 1)),
            currency, budget_minor, max_award_minor, opens_at, opens_at + interval '30 days',
            '[{"name": "Impact", "weight": 60}, {"name": "Feasibility", "weight": 40}]', $1, created_at, $2,
            jsonb_build_object('en', 'Small grants for projects that municipalities and their groups run together.'),
            to_jsonb(${sqlText(MUNICIPALITIES.map(([m]) => m))}), 3, threshold_minor, 1,
            '[{"sharePercent": 50, "release": "on_acceptance"}, {"sharePercent": 50, "release": "interim_report_accepted"}]'
       from bench_fin_call`,
    [s.managerId, s.programmeId],
  ],
  [
    `create temp table bench_fin_group on commit drop as
       select n, gen_random_uuid() as id, gen_random_uuid() as user_id,
              (${sqlText(MUNICIPALITIES.map(([m]) => m))})[n % ${MUNICIPALITIES.length} + 1] as municipality,
              (${sqlText(MUNICIPALITIES.map(([, o]) => o))})[n % ${MUNICIPALITIES.length} + 1] as oblast,
              now() - interval '800 days' + n * interval '1 hour' as created_at
         from generate_series(0, ${GROUPS - 1}) n`,
    [],
  ],
  [
    `insert into app_user (id, email, name, locale, role, created_at)
     select user_id, 'bench-finance-contact-' || n || '@example.test', 'Contact ' || n, (array['ky', 'ru', 'en'])[n % 3 + 1], 'applicant', created_at
       from bench_fin_group`,
    [],
  ],
  [
    `insert into applicant_group (id, name, municipality, oblast, contact_user_id, created_at)
     select id, municipality || ' water users'' association ' || n, municipality, oblast, user_id, created_at from bench_fin_group`,
    [],
  ],
  ['insert into group_member (group_id, user_id, joined_at) select id, user_id, created_at from bench_fin_group', []],
  [
    `create temp table bench_fin_grant on commit drop as
       select s.*, s.award_minor >= s.threshold_minor as two,
              '${REFERENCE_PREFIX}' || lpad((row_number() over (order by s.created_at, s.id))::text, 6, '0') as reference
         from (select g, gen_random_uuid() as id, gen_random_uuid() as instance_id, c.id as call_id, c.instance_id as call_instance_id,
                      c.currency, c.max_award_minor, c.threshold_minor, gr.id as group_id, gr.user_id, gr.municipality,
                      (${sqlText(SUBJECTS)})[1 + floor(random() * ${SUBJECTS.length})::int] || ' for '
                        || (${sqlText(PLACES)})[1 + floor(random() * ${PLACES.length})::int] || ' ' || (1000 + floor(random() * 9000)::int) as title,
                      (100 + floor(random() * 401))::bigint * 1000 * c.scale as award_minor,
                      c.opens_at + random() * interval '30 days' as created_at,
                      c.opens_at + interval '80 days' + random() * interval '10 days' as accepted_at
                 from generate_series(0, ${GRANTS - 1}) g
                 join bench_fin_call c on c.k = g % ${CALLS}
                 join bench_fin_group gr on gr.n = (g / ${CALLS}) % ${GROUPS}
               offset 0) s`,
    [],
  ],
  [
    `insert into application (id, call_id, title, requested_minor, currency, created_by, created_at, reference, group_id, programme_id, municipality, proposal)
     select id, call_id, title, award_minor, currency, user_id, created_at, reference, group_id, $1, municipality,
            jsonb_build_object(
              'summary', title || ': the group buys the materials and volunteers from ' || municipality || ' do the work.',
              'problem', 'Families in ' || municipality || ' have asked for this for years.',
              'activities', jsonb_build_array(jsonb_build_object('description', 'Buy, build and hand over', 'start', '2026-04-01', 'end', '2026-07-31')),
              'participants', jsonb_build_object('women', 40, 'men', 35, 'youth', 20),
              'municipality', municipality,
              'budget', jsonb_build_array(jsonb_build_object('category', 'Materials', 'description', 'As quoted', 'quantity', 1, 'unitCostMinor', award_minor)))
       from bench_fin_grant order by created_at, id`,
    [s.programmeId],
  ],
  [
    `create temp table bench_fin_tranche on commit drop as
       select gen_random_uuid() as id, gen_random_uuid() as instance_id, id as application_id, instance_id as grant_instance_id, call_instance_id,
              currency, award_minor, threshold_minor, two, accepted_at, 1 as position, award_minor / 2 as amount_minor,
              'on_acceptance'::text as release, ${draw(FIRST_TRANCHE)} as state, null::timestamptz as end_at
         from bench_fin_grant`,
    [],
  ],
  [
    `insert into bench_fin_tranche
     select gen_random_uuid(), gen_random_uuid(), application_id, grant_instance_id, call_instance_id, currency, award_minor, threshold_minor,
            two, accepted_at, 2, award_minor - award_minor / 2, 'interim_report_accepted',
            case when state = 'paid' then ${draw(SECOND_TRANCHE)} else 'scheduled' end, null
       from bench_fin_tranche`,
    [],
  ],
  // One approval completes a grant below the threshold: it is never partly approved.
  [`update bench_fin_tranche set state = 'requested' where state = 'partly_approved' and not two`, []],
  // What is under way happened in the last two weeks; payments follow acceptance and the interim report.
  [
    `update bench_fin_tranche set end_at = case
       when state = 'scheduled' then accepted_at
       when state <> 'paid' then now() - random() * interval '14 days'
       when position = 1 then accepted_at + interval '2 days' + random() * interval '28 days'
       else least(now() - interval '1 day', accepted_at + interval '120 days' + random() * interval '180 days') end`,
    [],
  ],
  [
    `insert into tranche (id, application_id, amount_minor, currency, created_at, position)
     select id, application_id, amount_minor, currency, accepted_at, position from bench_fin_tranche order by accepted_at, position, id`,
    [],
  ],
];

/** Every instance with its snapshot's context, its log along the path to its state, and the ledger rows the log wrote. */
const engineStatements = (s: Staff): [string, unknown[]][] => [
  [
    `create temp table bench_fin_instance on commit drop as
     select instance_id as id, 'call'::text as machine, 'decided'::text as state, false as two, 'call'::text as subject_type, id as subject_id,
            null::uuid as parent_id, instance_id as root_id, created_at as start_at, decided_at as end_at, null::uuid as applicant,
            budget_minor as amount, currency,
            jsonb_build_object('callId', id, 'currency', currency, 'budgetMinor', budget_minor, 'maxAwardMinor', max_award_minor,
              'opensAt', opens_at, 'closesAt', opens_at + interval '30 days', 'financeThresholdMinor', threshold_minor,
              'reviewersPerApplication', 3, 'applicationsPerGroup', 1, 'cancelReason', null, 'reviewDueAt', null) as context
       from bench_fin_call
     union all
     select g.instance_id, 'application', 'active', false, 'application', g.id, g.call_instance_id, g.call_instance_id, g.created_at, g.accepted_at,
            g.user_id, g.award_minor, g.currency,
            jsonb_build_object('callId', g.call_id, 'groupId', g.group_id, 'title', g.title, 'currency', g.currency, 'maxAwardMinor', g.max_award_minor,
              'proposal', a.proposal, 'requestedMinor', g.award_minor, 'questions', '[]'::jsonb, 'answers', '[]'::jsonb,
              'awardedMinor', g.award_minor, 'reason', null)
       from bench_fin_grant g join application a on a.id = g.id
     union all
     select instance_id, 'disbursement', state, two, 'tranche', id, grant_instance_id, call_instance_id, accepted_at, end_at, null, amount_minor, currency,
            jsonb_build_object('applicationId', application_id, 'amountMinor', amount_minor, 'currency', currency,
              'grantAmountMinor', award_minor, 'approvalThresholdMinor', threshold_minor, 'release', release,
              'requestedBy', case when state <> 'scheduled' then $1::text end,
              'approvedBy', case when state = 'partly_approved' then jsonb_build_array($2::text)
                                 when state in ('approved', 'paid', 'payment_failed') and two then jsonb_build_array($2::text, $3::text)
                                 when state in ('approved', 'paid', 'payment_failed') then jsonb_build_array($2::text)
                                 else '[]'::jsonb end,
              'reason', case when state = 'payment_failed' then 'The bank refused the account number.' end,
              'paymentReference', case when state = 'paid' then 'KICB-' || to_char(end_at, 'YYYY') || '-' || upper(substr(md5(id::text), 1, 6)) end,
              'paidOn', case when state = 'paid' then to_char(end_at, 'YYYY-MM-DD') end)
       from bench_fin_tranche`,
    [s.managerId, ...s.financeIds],
  ],
  [
    `create temp table bench_fin_path on commit drop as
       select * from (values ${pathValues()}) p(machine, final, two, seq, event, from_state, to_state, sender)`,
    [],
  ],
  // Steps spread evenly from the instance's start to its last change. The hashes are placeholders, not a chain.
  [
    `create temp table bench_fin_log on commit drop as
     select i.id as instance_id, p.seq, p.event, p.from_state, p.to_state, n.steps,
            i.start_at + (i.end_at - i.start_at) * ((p.seq - 1)::float8 / greatest(n.steps - 1, 1)) as at,
            case p.event when 'AWARD' then jsonb_build_object('amountMinor', i.amount)
                         when 'RECORD_PAYMENT' then jsonb_build_object('amountMinor', i.amount, 'reference', i.context->>'paymentReference', 'paidOn', i.context->>'paidOn')
                         else '{}'::jsonb end as payload,
            case p.sender when 'manager' then $1::text when 'finance' then $2::text when 'finance2' then $3::text
                          when 'applicant' then i.applicant::text else 'scheduler' end as actor_id,
            case p.sender when 'finance2' then 'finance' else p.sender end as actor_role,
            encode(sha256(convert_to(i.id::text || ':' || p.seq, 'UTF8')), 'hex') as hash,
            case when p.seq = 1 then repeat('0', 64) else encode(sha256(convert_to(i.id::text || ':' || (p.seq - 1), 'UTF8')), 'hex') end as prev_hash
       from bench_fin_instance i
       join bench_fin_path p on p.machine = i.machine and p.final = i.state and p.two = i.two
       join (select machine, final, two, count(*)::int as steps from bench_fin_path group by 1, 2, 3) n
         on n.machine = p.machine and n.final = p.final and n.two = p.two`,
    [s.managerId, ...s.financeIds],
  ],
  [
    `insert into workflow_instance (id, machine_id, machine_version, state, snapshot, version, subject_type, subject_id, parent_id, created_at, updated_at, last_hash)
     select i.id, i.machine, case i.machine when 'call' then ${callWorkflow.version} when 'application' then ${applicationWorkflow.version}
                                             else ${disbursementWorkflow.version} end,
            i.state, jsonb_build_object('value', i.state, 'context', i.context, 'status', 'active'), l.seq,
            i.subject_type, i.subject_id, i.parent_id, i.start_at, i.end_at, l.hash
       from bench_fin_instance i join bench_fin_log l on l.instance_id = i.id and l.seq = l.steps
      order by i.start_at, i.id`,
    [],
  ],
  [
    `insert into transition_log (instance_id, seq, event_type, payload, actor_id, actor_role, from_state, to_state, at, reason, prev_hash, hash)
     select instance_id, seq, event, payload, actor_id, actor_role, from_state, to_state, at, null, prev_hash, hash
       from bench_fin_log order by at, instance_id, seq`,
    [],
  ],
  [
    `insert into ledger_entry (id, instance_id, root_instance_id, seq, kind, amount_minor, currency, at)
     select gen_random_uuid(), l.instance_id, i.root_id, l.seq,
            case l.event when 'PUBLISH' then 'budgeted' when 'AWARD' then 'committed' else 'disbursed' end, i.amount, i.currency, l.at
       from bench_fin_log l join bench_fin_instance i on i.id = l.instance_id
      where l.event in ('PUBLISH', 'AWARD', 'RECORD_PAYMENT')
      order by l.at, l.instance_id, l.seq`,
    [],
  ],
];

/** Seeds the programme in one transaction of set-based statements, unless it already holds GRANTS grants. */
async function seed(db: Client, programmeId: string): Promise<string> {
  const { rows: counted } = await db.query<{ n: number }>(
    `select count(*)::int as n from application where programme_id = $1 and reference like '${REFERENCE_PREFIX}%'`,
    [programmeId],
  );
  if (counted[0].n >= GRANTS) return `finance seed: skipped, the programme holds ${counted[0].n} grants`;
  if (counted[0].n > 0)
    throw new Error(`the programme holds ${counted[0].n} seeded grants, not ${GRANTS}: recreate the bench database`);
  const staff: Staff = { programmeId, managerId: randomUUID(), financeIds: [randomUUID(), randomUUID()] };
  const started = performance.now();
  await db.query('begin');
  try {
    await db.query('select setseed(0.2718)');
    for (const [text, values] of [...subjectStatements(staff), ...engineStatements(staff)])
      await db.query(text, values);
    await db.query('commit');
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
  const inserted = performance.now();
  await db.query(
    'vacuum (analyze) app_user, call, applicant_group, group_member, application, tranche, workflow_instance, transition_log, ledger_entry',
  );
  const done = performance.now();
  const { rows } = await db.query<{ tranches: number; waiting: number; ledger: number }>(
    `select (select count(*)::int from tranche) as tranches,
            (select count(*)::int from workflow_instance where machine_id = 'disbursement' and state in ('requested', 'partly_approved')) as waiting,
            (select count(*)::int from ledger_entry) as ledger`,
  );
  return (
    `finance seed: ${CALLS} calls (1 in KGS), ${GRANTS} grants, ${rows[0].tranches} tranches (${rows[0].waiting} waiting for finance), ` +
    `${rows[0].ledger} ledger rows in ${((inserted - started) / 1000).toFixed(1)} s (+ ${((done - inserted) / 1000).toFixed(1)} s vacuum analyze)`
  );
}

/** The programme and a new finance officer of it, with an API token as an Authorization header. */
async function financeOfficer(url: string): Promise<{ programmeId: string; auth: string }> {
  const orm = await openOrm({ kind: 'server', url }, ENTITIES);
  try {
    const identity = new IdentityService(orm);
    const programme = await identity.ensureProgramme(PROGRAMME);
    const officer = await identity.createUser({
      email: `bench-finance-${process.pid}-${Date.now()}@example.test`,
      name: 'Bench finance officer',
      role: 'finance',
      programmeId: programme.id,
    });
    return { programmeId: programme.id, auth: `Bearer ${officer.token}` };
  } finally {
    await orm.close(true);
  }
}

// One kept-alive connection: the requests are sequential.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** What one read returned: how many rows, and how many bytes for a CSV. */
type Read = () => Promise<{ rows: string; bytes?: number }>;

async function measure(name: string, read: Read): Promise<void> {
  const latencies: number[] = [];
  let last: Awaited<ReturnType<Read>> = { rows: '' };
  for (let i = 0; i < WARM_UP + REQUESTS; i++) {
    const t0 = performance.now();
    last = await read();
    if (i >= WARM_UP) latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  const [p50, p95, max] = [percentile(latencies, 50), percentile(latencies, 95), latencies[latencies.length - 1]];
  const bytes = last.bytes === undefined ? '' : `, ${(last.bytes / 1e6).toFixed(2)} MB`;
  console.log(
    `finance ${name}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms (${REQUESTS} requests, ${last.rows}${bytes})`,
  );
}

async function csv(url: string, auth: string): Promise<{ rows: string; bytes: number }> {
  const res = await requestRaw(agent, url, { authorization: auth });
  if (res.status !== 200) throw new Error(`GET ${new URL(url).pathname}: ${res.status} ${res.text()}`);
  const lines = res
    .text()
    .split('\n')
    .filter((line) => line !== '').length;
  return { rows: `${lines - 1} rows`, bytes: res.wireBytes };
}

interface ProgrammeLedger {
  currencies: unknown[];
  calls: unknown[];
}
interface CallLedger {
  grants: unknown[];
  entries: unknown[];
}

/**
 * Seeds the finance programme (once), starts a service and times each finance read for a new
 * finance officer of it: REQUESTS sequential requests after WARM_UP unmeasured ones.
 */
export async function financeBench(url: string, start: () => Promise<RunningService>): Promise<void> {
  const { programmeId, auth } = await financeOfficer(url);
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    console.log(await seed(db, programmeId));
    // The newest call: about 1,000 grants, its first tranches paid and some second ones.
    const { rows: calls } = await db.query<{ id: string }>(
      'select id from call where programme_id = $1 order by opens_at desc, id limit 1',
      [programmeId],
    );
    const service = await start();
    try {
      const get = <T>(path: string) => requestJson<T>(agent, 'GET', `${service.base}${path}`, auth);
      await measure('GET /finance/queue', async () => ({
        rows: `${(await get<unknown[]>('/finance/queue')).length} rows`,
      }));
      await measure('GET /programmes/:id/ledger.csv', () =>
        csv(`${service.base}/programmes/${programmeId}/ledger.csv`, auth),
      );
      await measure('GET /programmes/:id/ledger', async () => {
        const ledger = await get<ProgrammeLedger>(`/programmes/${programmeId}/ledger`);
        return { rows: `${ledger.calls.length} calls, ${ledger.currencies.length} currencies` };
      });
      await measure('GET /calls/:id/ledger', async () => {
        const ledger = await get<CallLedger>(`/calls/${calls[0].id}/ledger`);
        return { rows: `${ledger.grants.length} grants, ${ledger.entries.length} rows` };
      });
    } finally {
      agent.destroy();
      await service.stop();
    }
  } finally {
    await db.end();
  }
}
