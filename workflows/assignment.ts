// Automatic assignment of committee members to the applications they review: every application
// gets its reviewers, nobody reviews what they declared a conflict with, and the work is spread as
// evenly as the conflicts allow.

export interface AssignmentProblem {
  /** Applications to cover, in a stable order (e.g. by reference). */
  applications: string[];
  /** Committee members who may review, in a stable order. */
  members: string[];
  /** Reviewers each application needs in all. */
  perApplication: number;
  /** Pairs that may never be assigned: declared conflicts of interest. */
  conflicts: Assignment[];
  /**
   * Assignments that already stand, kept as they are. They count toward the application's reviewers
   * and toward the member's load, even when the application is not among those to cover.
   */
  existing: Assignment[];
}

export interface Assignment {
  applicationId: string;
  memberId: string;
}

export interface Shortfall {
  applicationId: string;
  /** Reviewers the application still needs beyond those already assigned. */
  needed: number;
  /** Members with no conflict with it who do not already review it. */
  available: number;
}

export type AssignmentResult =
  | { ok: true; added: Assignment[]; loads: Record<string, number> }
  | { ok: false; shortfalls: Shortfall[]; message: string };

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** A shortfall in words a programme manager understands; `label` turns an id into a reference. */
export function describeShortfall(s: Shortfall, label: (applicationId: string) => string): string {
  const needs = `${label(s.applicationId)} needs ${s.needed} more ${plural(s.needed, 'reviewer', 'reviewers')}`;
  if (s.available === 0)
    return `${needs}, but no committee member can review it: each has a conflict of interest with it or already reviews it.`;
  const only = `only ${s.available} committee ${plural(s.available, 'member has', 'members have')}`;
  return `${needs}, but ${only} no conflict of interest with it and ${plural(s.available, 'does', 'do')} not already review it.`;
}

const pairKey = (applicationId: string, memberId: string) => JSON.stringify([applicationId, memberId]);

/**
 * Assigns reviewers so that every application ends with exactly `perApplication` distinct
 * reviewers, existing ones included, never a conflicted pair. Loads (existing included) are made
 * as even as the conflicts allow: the largest load is the smallest possible, and beyond that the
 * load vector is the most even of all feasible ones (see `balancedFlow`). Deterministic given the
 * input order. Refuses, naming each application, when some cannot be covered at all.
 */
export function assignReviewers(problem: AssignmentProblem): AssignmentResult {
  const applications = [...new Set(problem.applications)];
  const members = [...new Set(problem.members)];
  const per = problem.perApplication;
  const existing = [...new Map(problem.existing.map((e) => [pairKey(e.applicationId, e.memberId), e])).values()];
  const memberLoad = countBy(existing, (e) => e.memberId);
  const existingLoad = members.map((m) => memberLoad.get(m) ?? 0);

  if (!Number.isInteger(per) || per < 0)
    return refusal(`The number of reviewers per application must be a whole number, 0 or more (got ${per}).`);
  if (applications.length === 0) return { ok: true, added: [], loads: loadsOf(members, existingLoad) };
  if (members.length === 0) return refusal('The committee has no members to assign as reviewers.');
  if (per > members.length) {
    return refusal(
      `Each application needs ${per} reviewers, but the committee has only ${members.length} ${plural(members.length, 'member', 'members')}.`,
    );
  }

  const barred = new Set([...problem.conflicts, ...existing].map((c) => pairKey(c.applicationId, c.memberId)));
  const allowed = applications.map((a) => members.map((_, j) => j).filter((j) => !barred.has(pairKey(a, members[j]))));
  const reviewers = countBy(existing, (e) => e.applicationId);
  const needed = applications.map((a) => Math.max(0, per - (reviewers.get(a) ?? 0)));

  const shortfalls = applications
    .map((applicationId, i) => ({ applicationId, needed: needed[i], available: allowed[i].length }))
    .filter((s) => s.available < s.needed);
  if (shortfalls.length > 0) {
    return { ok: false, shortfalls, message: shortfalls.map((s) => describeShortfall(s, (id) => id)).join(' ') };
  }

  const chosen = balancedFlow(needed, allowed, existingLoad);
  const added = chosen.flatMap((js, i) => js.map((j) => ({ applicationId: applications[i], memberId: members[j] })));
  const loads = existingLoad.map((load, j) => load + chosen.reduce((n, js) => n + (js.includes(j) ? 1 : 0), 0));
  return { ok: true, added, loads: loadsOf(members, loads) };
}

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function refusal(message: string): AssignmentResult {
  return { ok: false, shortfalls: [], message };
}

function loadsOf(members: string[], loads: number[]): Record<string, number> {
  return Object.fromEntries(members.map((m, j) => [m, loads[j]]));
}

/**
 * A residual flow network over index-numbered nodes. Edge `e` and its reverse `e ^ 1` are stored
 * side by side; `cap` holds residual capacities.
 */
class FlowNetwork {
  readonly adjacent: number[][];
  readonly to: number[] = [];
  readonly cap: number[] = [];

  constructor(nodes: number) {
    this.adjacent = Array.from({ length: nodes }, () => []);
  }

  addEdge(from: number, to: number, capacity: number): number {
    const e = this.to.length;
    this.to.push(to, from);
    this.cap.push(capacity, 0);
    this.adjacent[from].push(e);
    this.adjacent[to].push(e + 1);
    return e;
  }

  /** Pushes one unit along a shortest augmenting path (Edmonds–Karp); false when there is none. */
  augment(source: number, sink: number): boolean {
    const via = new Array<number>(this.adjacent.length).fill(-1);
    const queue = [source];
    via[source] = -2;
    for (let head = 0; head < queue.length && via[sink] === -1; head++) {
      for (const e of this.adjacent[queue[head]]) {
        const next = this.to[e];
        if (this.cap[e] > 0 && via[next] === -1) {
          via[next] = e;
          queue.push(next);
        }
      }
    }
    if (via[sink] === -1) return false;
    // Every path crosses a unit application→member edge (or its reverse), so one unit is the bottleneck.
    for (let node = sink; node !== source; node = this.to[via[node] ^ 1]) {
      this.cap[via[node]] -= 1;
      this.cap[via[node] ^ 1] += 1;
    }
    return true;
  }
}

/**
 * Chooses members (by index) for each application: source → application (what it still needs),
 * application → member (1 where allowed), member → sink (target − existing load, never below 0).
 * The target rises by one per phase, from the lowest existing load, and each phase augments the
 * same flow to a maximum. Augmenting paths never take flow off a member → sink edge, so loads only
 * grow; hence after every phase T the flow still maximises Σ min(load, T). Holding for every T,
 * that makes the final loads majorised by every feasible load vector: the largest load is minimal,
 * the smallest maximal, and the spread the least possible. The caller has checked feasibility.
 */
function balancedFlow(needed: number[], allowed: number[][], existingLoad: number[]): number[][] {
  const apps = needed.length;
  const source = 0;
  const sink = apps + existingLoad.length + 1;
  const memberNode = (j: number) => apps + 1 + j;
  const net = new FlowNetwork(sink + 1);
  // Sink edges first, so a member with room ends the path before its edges back to applications.
  const toSink = existingLoad.map((_, j) => net.addEdge(memberNode(j), sink, 0));
  needed.forEach((n, i) => net.addEdge(source, i + 1, n));
  const pairs = allowed.map((js, i) => js.map((j) => ({ j, edge: net.addEdge(i + 1, memberNode(j), 1) })));

  const total = needed.reduce((a, b) => a + b, 0);
  // Once the target passes every existing load by the number of applications, all of them fit.
  const enough = Math.max(...existingLoad) + apps;
  let flow = 0;
  for (let target = Math.min(...existingLoad) + 1; flow < total; target++) {
    if (target > enough) throw new Error('balancedFlow: applications left uncovered after the feasibility check');
    existingLoad.forEach((load, j) => {
      if (target > load) net.cap[toSink[j]] += 1;
    });
    while (flow < total && net.augment(source, sink)) flow++;
  }
  return pairs.map((edges) => edges.filter((p) => net.cap[p.edge] === 0).map((p) => p.j));
}
