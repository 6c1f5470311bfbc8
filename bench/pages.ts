import { createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { openOrm, type DatabaseTarget } from '../src/config/database';
import { ENTITIES } from '../src/entities';
import { SESSION_COOKIE } from '../src/identity/auth.guard';
import { UserSession } from '../src/identity/identity.entities';
import { IdentityService } from '../src/identity/identity.service';
import { generateSessionToken, hashToken } from '../src/identity/tokens';
import { addGroup, BENCH_PROGRAMME, benchApplication, benchCall, benchManager } from './fixtures';
import { requestJson, requestRaw, type RawResponse } from './http';
import type { RunningService } from './lists';
import { percentile, runLoad } from './load';
import {
  fillsFromLinks,
  linksOf,
  openParams,
  pageRoutes,
  pathOf,
  routeOf,
  type JourneyIds,
  type JourneyPage,
} from './page-routes';
import { AssetCache, kB, weighPage, type Asset } from './page-weight';
import { staffPages } from './staff-pages';

// The pages of the initiative group's journey, read in Kyrgyz as applicants signed in by email link
// read them: first each page's weight on the wire, compressed, on a first visit (HTML and every
// asset) and a next one (HTML only: assets are cached for good); then each page's time read alone,
// and BENCH_PAGES_USERS applicants, each with a session cookie of their own, reading the pages in
// turn for BENCH_PAGES_SECONDS, first at a person's pace (a page every BENCH_PAGES_THINK_MS on
// average), then without pause: each page's server time (to the full response, on the loopback)
// and rate, and the service's CPU a page. Then the same for the staff pages of a round
// (bench/staff-pages.ts), read by BENCH_PAGES_USERS managers and the round's committee members.

const SECONDS = Number(process.env.BENCH_PAGES_SECONDS ?? 15);
const USERS = Number(process.env.BENCH_PAGES_USERS ?? 32);
/** A user's pause before each page, on average: a person reads a page for longer than this. */
const THINK_MS = Number(process.env.BENCH_PAGES_THINK_MS ?? 1000);
/** BENCH_PAGES_PART=staff measures the staff pages alone, =applicants the applicants' alone; both by default. */
const PART = process.env.BENCH_PAGES_PART ?? 'both';
/** Reads of each page by one applicant alone, before the load. */
const ALONE = 10;
/** Where the staff pages are: bench/staff-pages.ts measures them, not the applicants' journey. */
const STAFF_AREAS = ['/manage', '/review'];
/** The committee of the round the staff pages show. */
const COMMITTEE = 5;
const TARGET_BYTES = 150_000;
const TARGET_P95_MS = 50;
/** What a browser sends: it takes both encodings, and a visitor reads Kyrgyz before signing in. */
const BROWSER = { 'accept-encoding': 'gzip, br', 'accept-language': 'ky' };

export interface Applicant {
  /** An API token, for setting up its applications over the API. */
  token: string;
  /** Its session cookie, signed as the service signs it. */
  cookie: string;
  groupId: string;
}

/** A member of staff: an API token for the seeding, a session cookie for the pages, its id. */
export interface StaffMember {
  token: string;
  cookie: string;
  id: string;
}

export interface PageUsers {
  /** The SESSION_SECRET the service measured must be started with, for the cookies to verify. */
  secret: string;
  manager: string;
  applicants: Applicant[];
  /** USERS managers of the manager's programme, signed in, for the staff pages. */
  managers: StaffMember[];
  /** The committee of the round the staff pages show: COMMITTEE members of the same programme. */
  committee: StaffMember[];
}

/**
 * The session cookie as the service's cookie-parser signs it (cookie-signature: an HMAC-SHA256 in
 * base64 without padding, prefixed `s:`), keyed as src/app.ts keys it: the secret's bytes in hex.
 */
function sessionCookie(session: string, secret: string): string {
  const key = Buffer.from(secret, 'utf8').toString('hex');
  const mac = createHmac('sha256', key).update(session).digest('base64').replace(/=+$/, '');
  return `${SESSION_COOKIE}=${encodeURIComponent(`s:${session}.${mac}`)}`;
}

/**
 * A manager and USERS applicants reading Kyrgyz, each in a group of their own and signed in: a
 * session row as an exchanged sign-in link leaves it, written before the service starts (the
 * embedded database takes one process at a time).
 */
export async function pageUsers(target: DatabaseTarget): Promise<PageUsers> {
  const secret = randomBytes(32).toString('hex');
  const orm = await openOrm(target, ENTITIES);
  try {
    const identity = new IdentityService(orm);
    const tag = `${process.pid}-${Date.now()}`;
    const manager = await benchManager(identity, `pages-${tag}`);
    const programme = await identity.ensureProgramme(BENCH_PROGRAMME);
    /** A signed-in user: the session row, and the group an applicant starts, in one transaction. */
    const signedIn = async (role: 'applicant' | 'manager' | 'committee', n: number) => {
      const { user, token } = await identity.createUser({
        email: `bench-pages-${role}-${n}-${tag}@example.test`,
        name: `Bench ${role} ${n}`,
        role,
        locale: 'ky',
        ...(role !== 'applicant' && { programmeId: programme.id }),
      });
      const session = generateSessionToken();
      const groupId = await orm.em.fork().transactional(async (em) => {
        em.create(UserSession, {
          userId: user.id,
          tokenHash: hashToken(session),
          expiresAt: new Date(Date.now() + 86_400_000),
        });
        return role === 'applicant' ? addGroup(em, user.id, `Bench group ${n}`) : '';
      });
      return { token: `Bearer ${token}`, cookie: sessionCookie(session, secret), id: user.id, groupId };
    };
    const applicants: Applicant[] = [];
    const managers: StaffMember[] = [];
    const committee: StaffMember[] = [];
    for (let i = 0; i < USERS; i++) applicants.push(await signedIn('applicant', i));
    for (let i = 0; i < USERS; i++) managers.push(await signedIn('manager', i));
    for (let i = 0; i < COMMITTEE; i++) committee.push(await signedIn('committee', i));
    return { secret, manager, applicants, managers, committee };
  } finally {
    await orm.close(true);
  }
}

/** Three open calls; each applicant has a draft and a submitted application in the first. */
async function seedApplications(site: Site, users: PageUsers): Promise<JourneyIds[]> {
  const post = (auth: string, path: string, body: unknown) =>
    requestJson<{ id: string }>(site.agent, 'POST', `${site.base}${path}`, auth, body);
  const calls: string[] = [];
  for (const n of [1, 2, 3]) {
    const { id } = await post(users.manager, '/calls', benchCall(`Pages call ${n}`, 2));
    await post(users.manager, `/calls/${id}/events`, { type: 'PUBLISH' });
    calls.push(id);
  }
  const ids: JourneyIds[] = [];
  for (const [i, applicant] of users.applicants.entries()) {
    const draft = await post(applicant.token, `/calls/${calls[0]}/applications`, benchApplication(2 * i));
    const submitted = await post(applicant.token, `/calls/${calls[0]}/applications`, benchApplication(2 * i + 1));
    await post(applicant.token, `/applications/${submitted.id}/events`, { type: 'SUBMIT' });
    ids.push({ call: calls[0], group: applicant.groupId, draft: draft.id, submitted: submitted.id });
  }
  return ids;
}

/** The service measured, and kept-alive connections to it, one per applicant. */
export interface Site {
  base: string;
  agent: Agent;
}

/** One reader's browser: its cookies (the anti-forgery one the pages set, and the session's unless a visitor). */
class Reader {
  private readonly jar = new Map<string, string>();

  constructor(
    private readonly site: Site,
    private readonly session: string | null,
  ) {}

  async get(path: string): Promise<RawResponse> {
    const cookies = [...(this.session ? [this.session] : []), ...[...this.jar].map(([k, v]) => `${k}=${v}`)];
    const res = await requestRaw(this.site.agent, `${this.site.base}${path}`, {
      ...BROWSER,
      cookie: cookies.join('; '),
    });
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      this.jar.set(pair.slice(0, at), pair.slice(at + 1));
    }
    return res;
  }
}

export const isPage = (res: RawResponse) =>
  res.status === 200 && String(res.headers['content-type']).startsWith('text/html');

/**
 * The journey's pages for the first applicant: each route read as a visitor if a visitor may read
 * it, else signed in; a route with a parameter no id fills waits until a page found links to it.
 * What is left, or answers anything but a page, is skipped with the reason.
 */
async function journey(site: Site, applicant: Applicant, ids: JourneyIds): Promise<JourneyPage[]> {
  const pages: JourneyPage[] = [];
  const links = new Set<string>();
  let waiting = (await pageRoutes()).filter((route) => !STAFF_AREAS.some((area) => route.startsWith(area)));
  for (let found = true; found;) {
    found = false;
    for (const route of [...waiting]) {
      const fills = openParams(route, ids).length === 0 ? [{}] : fillsFromLinks(route, ids, links);
      if (!fills.length) continue;
      waiting = waiting.filter((r) => r !== route);
      found = true;
      for (const fixed of fills) {
        const path = pathOf({ route, fixed }, ids);
        let visitor = true;
        let res = await new Reader(site, null).get(path);
        if (!isPage(res)) {
          visitor = false;
          res = await new Reader(site, applicant.cookie).get(path);
        }
        if (!isPage(res)) {
          console.log(`pages: skipped GET ${path}: answers ${res.status} ${res.headers['content-type'] ?? ''}`);
          continue;
        }
        for (const link of linksOf(res.text())) links.add(link);
        pages.push({ route, fixed, visitor });
      }
    }
  }
  for (const route of waiting)
    console.log(`pages: skipped GET ${route}: no page links to a value of its :${openParams(route, ids).join(', :')}`);
  return pages;
}

const nameOf = (page: JourneyPage) => `GET ${routeOf(page)}${page.visitor ? '' : ' (signed in)'}`;

/**
 * A page as it is measured: its name, and for the `i`th user the path they read and the session
 * cookie they read it with (null: a visitor).
 */
export interface MeasuredPage {
  name: string;
  path: (i: number) => string;
  cookie: (i: number) => string | null;
}

/** Each user's browsers, one a session (and one without), each keeping its own cookies. */
class Browsers {
  private readonly readers = new Map<string, Reader>();

  constructor(private readonly site: Site) {}

  of(i: number, cookie: string | null): Reader {
    const key = `${i} ${cookie ?? ''}`;
    let reader = this.readers.get(key);
    if (!reader) {
      reader = new Reader(this.site, cookie);
      this.readers.set(key, reader);
    }
    return reader;
  }
}

async function readPage(page: MeasuredPage, browsers: Browsers, i: number): Promise<void> {
  const res = await browsers.of(i, page.cookie(i)).get(page.path(i));
  if (!isPage(res)) throw new Error(`GET ${page.path(i)}: ${res.status}`);
}

/** Prints each page's first and next visit, the assets once, and whether the heaviest meets the target. */
async function weights(site: Site, label: string, pages: MeasuredPage[]): Promise<void> {
  const visitorAssets = new AssetCache((path) => new Reader(site, null).get(path));
  let heaviest = { name: '', bytes: 0 };
  const assets = new Map<string, Asset>();
  for (const page of pages) {
    // A browser that has not been here before, with the assets' cache shared by all the pages.
    const reader = new Reader(site, page.cookie(0));
    const weight = await weighPage(page.path(0), (path) => reader.get(path), visitorAssets);
    console.log(
      `page weight ${page.name}: first visit ${kB(weight.firstVisit)} (HTML ${kB(weight.html)} ${weight.encoding} + ` +
        `${weight.assets.length} assets ${kB(weight.firstVisit - weight.html)}), next visit ${kB(weight.html)}`,
    );
    for (const asset of weight.assets) assets.set(asset.path, asset);
    if (weight.firstVisit > heaviest.bytes) heaviest = { name: page.name, bytes: weight.firstVisit };
  }
  for (const [path, asset] of assets)
    console.log(
      `page asset ${path}: ${kB(asset.wireBytes)} ${asset.encoding}${asset.caching ? ` (${asset.caching})` : ''}`,
    );
  const verdict = heaviest.bytes <= TARGET_BYTES ? 'met' : `missed by ${kB(heaviest.bytes - TARGET_BYTES)}`;
  console.log(
    `${label} page weight: heaviest first visit ${kB(heaviest.bytes)} (${heaviest.name}), target ${kB(TARGET_BYTES)}: ${verdict}`,
  );
}

/** Reads each page ALONE times in a row after one unmeasured read: its time with no queue, p50 per page. */
async function alone(pages: MeasuredPage[], browsers: Browsers): Promise<number[]> {
  const p50s: number[] = [];
  for (const page of pages) {
    const times: number[] = [];
    for (let i = 0; i <= ALONE; i++) {
      const t0 = performance.now();
      await readPage(page, browsers, 0);
      if (i > 0) times.push(performance.now() - t0);
    }
    p50s.push(
      percentile(
        times.sort((a, b) => a - b),
        50,
      ),
    );
  }
  return p50s;
}

/** The CPU seconds a process has used so far, from Linux's /proc (in USER_HZ, 100 a second); null elsewhere. */
async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command's name (in parentheses, and it may hold spaces); utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A pause of `ms` on average, between half and one and a half of it, so the users do not click in step. */
function think(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms * (0.5 + Math.random()))) : Promise.resolve();
}

/**
 * USERS applicants reading the pages in turn for SECONDS, each starting from a different one and
 * pausing `thinkMs` on average after each page: the rate, the service's CPU a page, each page's
 * percentiles, and the slowest p95.
 */
async function readTogether(
  label: string,
  service: RunningService,
  pages: MeasuredPage[],
  browsers: Browsers,
  thinkMs: number,
): Promise<{ name: string; p95: number }> {
  const latencies = pages.map(() => [] as number[]);
  const cpuBefore = await cpuSeconds(service.pid);
  const result = await runLoad(USERS, SECONDS, async (client, round) => {
    // The pause comes first, so that the users do not all start in the same millisecond.
    await think(thinkMs);
    const index = (client + round) % pages.length;
    const t0 = performance.now();
    await readPage(pages[index], browsers, client);
    latencies[index].push(performance.now() - t0);
  });
  const cpuAfter = await cpuSeconds(service.pid);
  const cpu =
    cpuBefore === null || cpuAfter === null
      ? ''
      : `; the service used ${((cpuAfter - cpuBefore) / result.seconds).toFixed(2)} cores, ` +
        `${((1000 * (cpuAfter - cpuBefore)) / result.ok).toFixed(1)} ms CPU a page`;
  console.log(
    `${label}: ${USERS} signed-in users for ${result.seconds.toFixed(1)} s, ` +
      `${(result.ok / result.seconds).toFixed(1)} pages/s, ${result.errors} errors${cpu}`,
  );
  let slowest = { name: '', p95: 0 };
  for (const [i, page] of pages.entries()) {
    const sorted = latencies[i].sort((a, b) => a - b);
    const ms = (p: number) => percentile(sorted, p).toFixed(1);
    console.log(
      `${label} page ${page.name}: p50 ${ms(50)} ms, p95 ${ms(95)} ms, p99 ${ms(99)} ms, ` +
        `${(sorted.length / result.seconds).toFixed(1)} requests/s`,
    );
    if (percentile(sorted, 95) > slowest.p95) slowest = { name: page.name, p95: percentile(sorted, 95) };
  }
  return slowest;
}

/**
 * First each page alone; then USERS applicants using the service together, each reading a page and
 * pausing THINK_MS on average before the next (faster than anyone reads a page), against the
 * target; then the same applicants clicking again the moment a page arrives, which saturates the
 * service: its capacity in pages/s, where the time a page takes is mostly its wait in the queue
 * (about USERS divided by the rate).
 */
async function serverTime(label: string, site: Site, service: RunningService, pages: MeasuredPage[]): Promise<void> {
  const browsers = new Browsers(site);
  const quiet = await alone(pages, browsers);
  for (const [i, page] of pages.entries())
    console.log(`${label} page ${page.name}: alone p50 ${quiet[i].toFixed(1)} ms`);
  const slowest = await readTogether(
    `${label}, a page every ${THINK_MS} ms a user`,
    service,
    pages,
    browsers,
    THINK_MS,
  );
  const verdict = slowest.p95 < TARGET_P95_MS ? 'met' : `missed by ${(slowest.p95 - TARGET_P95_MS).toFixed(1)} ms`;
  console.log(
    `${label}: ${USERS} users, slowest p95 ${slowest.p95.toFixed(1)} ms (${slowest.name}), target ${TARGET_P95_MS} ms: ${verdict}`,
  );
  const saturated = await readTogether(`${label}, without pause`, service, pages, browsers, 0);
  console.log(
    `${label}: saturated by ${USERS} users without pause, slowest p95 ${saturated.p95.toFixed(1)} ms (${saturated.name})`,
  );
}

/**
 * The pages part on one database: `users` from pageUsers() on it, `start` a service on it with the
 * extra environment given.
 */
export async function pagesBench(
  label: string,
  users: PageUsers,
  start: (env: Record<string, string>) => Promise<RunningService>,
): Promise<void> {
  const service = await start({ SESSION_SECRET: users.secret });
  const site = { base: service.base, agent: new Agent({ keepAlive: true, maxSockets: USERS }) };
  try {
    if (PART !== 'staff') {
      const ids = await seedApplications(site, users);
      const pages = (await journey(site, users.applicants[0], ids[0])).map((page): MeasuredPage => ({
        name: nameOf(page),
        path: (i) => pathOf(page, ids[i]),
        cookie: (i) => (page.visitor ? null : users.applicants[i].cookie),
      }));
      await weights(site, `${label} applicant`, pages);
      await serverTime(`${label} pages`, site, service, pages);
    }
    if (PART === 'applicants') return;
    const staff = await staffPages(site, users, (path, cookie) => new Reader(site, cookie).get(path));
    if (staff.length === 0) console.log(`${label} staff pages: none answers a page`);
    else {
      await weights(site, `${label} staff`, staff);
      await serverTime(`${label} staff pages`, site, service, staff);
    }
  } finally {
    site.agent.destroy();
    await service.stop();
  }
}
