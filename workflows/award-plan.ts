import { isCurrency, minorUnitDigits } from './currencies';

// Two proposals for spending a call's budget on its ranked applications: down the ranking, and the
// set with the highest total score. The manager sees both and why they differ; the decision is theirs.

export interface Candidate {
  applicationId: string;
  /** 1 is best; ties fall back to applicationId. */
  rank: number;
  score: number;
  /** Integer minor units of the call's currency. */
  amountMinor: number;
  /** Compared trimmed and case-blind, as eligibility does. */
  municipality: string;
  /** How the explanation names it, e.g. "KG-2026-0003 Water pipe"; the id when absent. */
  label?: string;
}

export interface PlanTerms {
  budgetMinor: number;
  minimumScore: number;
  /** Awards one municipality may get; null for no limit. */
  maxPerMunicipality: number | null;
}

export interface Plan {
  /** In rank order. */
  applicationIds: string[];
  totalMinor: number;
  /** The funded scores summed, to hundredths. */
  totalScore: number;
  leftMinor: number;
}

interface Item {
  id: string;
  /** Place in rank order: 0 is the best-ranked. */
  position: number;
  amount: number;
  /** The score in integer hundredths, so sums compare exactly. */
  profit: number;
  group: string;
}

// Profit per minor unit, highest first; exact while profit × amount stays below 2^53.
const byDensityDesc = (a: Item, b: Item) => b.profit * a.amount - a.profit * b.amount || a.position - b.position;
const hundredths = (score: number) => Math.round(score * 100);
const municipalityKey = (m: string) => m.trim().toLowerCase();
const inRankOrder = (a: Candidate, b: Candidate) =>
  a.rank - b.rank || (a.applicationId < b.applicationId ? -1 : a.applicationId > b.applicationId ? 1 : 0);

/** The candidates either plan may fund, in rank order: score at least the minimum, amount above 0 and within the budget. */
function considered(candidates: readonly Candidate[], terms: PlanTerms): Item[] {
  const { budgetMinor, maxPerMunicipality } = terms;
  if (!Number.isSafeInteger(budgetMinor) || budgetMinor < 0)
    throw new RangeError(`budget ${budgetMinor} is not a whole number of minor units`);
  if (maxPerMunicipality !== null && !(Number.isInteger(maxPerMunicipality) && maxPerMunicipality >= 0)) {
    throw new RangeError(`limit per municipality ${maxPerMunicipality} is not a whole number`);
  }
  const bad = candidates.find((c) => !Number.isSafeInteger(c.amountMinor) || !Number.isFinite(c.score));
  if (bad) throw new RangeError(`${bad.applicationId}: the amount must be whole minor units and the score a number`);
  if (new Set(candidates.map((c) => c.applicationId)).size !== candidates.length)
    throw new RangeError('an application is a candidate twice');
  return [...candidates]
    .sort(inRankOrder)
    .filter((c) => c.score >= terms.minimumScore && c.amountMinor > 0 && c.amountMinor <= budgetMinor)
    .map((c, position) => ({
      id: c.applicationId,
      position,
      amount: c.amountMinor,
      profit: hundredths(c.score),
      group: municipalityKey(c.municipality),
    }));
}

function planOf(chosen: Item[], budgetMinor: number): Plan {
  const sorted = [...chosen].sort((a, b) => a.position - b.position);
  const totalMinor = sorted.reduce((sum, i) => sum + i.amount, 0);
  return {
    applicationIds: sorted.map((i) => i.id),
    totalMinor,
    totalScore: sorted.reduce((sum, i) => sum + i.profit, 0) / 100,
    leftMinor: budgetMinor - totalMinor,
  };
}

/** Takes items in the given order while they fit the budget and their municipality is under its limit. */
function greedy(items: readonly Item[], budgetMinor: number, limit: number | null): Item[] {
  let left = budgetMinor;
  const awards = new Map<string, number>();
  const chosen: Item[] = [];
  for (const item of items) {
    const count = awards.get(item.group) ?? 0;
    if (item.amount > left || (limit !== null && count >= limit)) continue;
    chosen.push(item);
    left -= item.amount;
    awards.set(item.group, count + 1);
  }
  return chosen;
}

/**
 * Down the ranking: funds each considered candidate that still fits in what is left of the budget
 * and whose municipality is under its limit; one that no longer fits is skipped and the next tried.
 */
export function planByRank(candidates: readonly Candidate[], terms: PlanTerms): Plan {
  return planOf(greedy(considered(candidates, terms), terms.budgetMinor, terms.maxPerMunicipality), terms.budgetMinor);
}

// ---- The optimal plan: an exact 0/1 knapsack ----
//
// A sparse dynamic programme (Nemhauser–Ullmann): after each candidate, keep only the subsets no
// other subset beats on both amount and score, as a list sorted by amount with rising scores. Its
// size is bounded by the distinct subset amounts within the budget, never by the budget in cents.
// A state is also dropped when its upper bound falls short of a target score: the lesser of the
// fractional (LP) relaxation of the candidates still to come and a Lagrangian bound that respects
// the municipality limit. The target starts just under the bound of the whole problem, which
// prunes hardest; when no set reaches it, the search runs again aiming lower, down to the score of
// the best of three greedy plans, which is always reached.
//
// The municipality limit: candidates are taken one municipality after another, and while in one,
// states are kept in separate lists by how many of its candidates they fund (0..limit); the lists
// merge when the municipality is done. Municipalities with no more candidates than the limit need
// no count and go together in one free group.
//
// Ties: equal scores, the smaller amount wins; equal amounts too, the set that funds the
// best-ranked application on which the two differ. Every merge keeps this order, as adding the
// same later candidates to two sets leaves their difference unchanged.
//
// Scores exactly proportional to amounts make it a subset-sum problem that no bound prunes: rather
// than run for minutes, planOptimal then gives up with a RangeError (MAX_STATES). Review scores
// take tens of milliseconds for 500 candidates, even when they lean with the amount asked.

interface Front {
  amount: Float64Array;
  score: Float64Array;
  /** The state's last decision in the trail; -1 for the empty set. */
  node: Int32Array;
  length: number;
}

/** Chosen items as a linked trail: node n funds item[n] on top of node parent[n] (-1: the empty set). */
interface Trail {
  item: number[];
  parent: number[];
}

interface Group {
  items: Item[];
  /** Infinity for the free group. */
  limit: number;
}

/** Upper bound on what a state can still add: remaining capacity, count in the current municipality. */
type Bound = (capacity: number, count: number) => number;

// Realistic calls of 500 candidates keep under 100,000; past this (some seconds of work), give up.
const MAX_STATES = 1 << 22;

// Bounds are floats; a state is dropped only when its bound is clearly below the best (an integer).
const SLACK = 1e-4;

function newFront(capacity: number): Front {
  return {
    amount: new Float64Array(capacity),
    score: new Float64Array(capacity),
    node: new Int32Array(capacity),
    length: 0,
  };
}

function addNode(trail: Trail, item: number, parent: number): number {
  if (trail.item.length >= MAX_STATES)
    throw new RangeError(`proving the optimal plan takes more than ${MAX_STATES} partial plans`);
  trail.parent.push(parent);
  return trail.item.push(item) - 1;
}

/** The items of a node's set and of `extra` (-1 for none), best-ranked first. */
function itemsOf(trail: Trail, node: number, extra: number): number[] {
  const chosen = extra >= 0 ? [extra] : [];
  for (let n = node; n >= 0; n = trail.parent[n]) chosen.push(trail.item[n]);
  return chosen.sort((a, b) => a - b);
}

/** Whether set A funds the best-ranked application on which A and B differ (items are numbered in rank order). */
function preferA(a: number[], b: number[]): boolean {
  const k = Array.from({ length: Math.max(a.length, b.length) }, (_, i) => i).find((i) => a[i] !== b[i]);
  return k === undefined || b[k] === undefined || (a[k] !== undefined && a[k] < b[k]);
}

/**
 * The non-dominated union of `keep` and `take` shifted by one item (or by nothing, item -1), within
 * the budget and, given a bound, able to reach `best`. `best` rises with the states kept.
 */
function merge(
  keep: Front,
  take: Front,
  item: number,
  ctx: { items: readonly Item[]; trail: Trail; budget: number; best: number },
  bound: Bound | null,
  count: number,
): Front {
  const w = item >= 0 ? ctx.items[item].amount : 0;
  const p = item >= 0 ? ctx.items[item].profit : 0;
  const out = newFront(keep.length + take.length);
  let [i, j, last] = [0, 0, -1];
  let takeEnd = take.length;
  while (i < keep.length || j < takeEnd) {
    const ak = i < keep.length ? keep.amount[i] : Infinity;
    let at = j < takeEnd ? take.amount[j] + w : Infinity;
    if (at > ctx.budget && j < takeEnd) [takeEnd, at] = [j, Infinity];
    if (ak === Infinity && at === Infinity) break;
    const st = j < takeEnd ? take.score[j] + p : -Infinity;
    let fromTake = at < ak || (at === ak && st > keep.score[i]);
    if (at === ak && st === keep.score[i])
      fromTake = !preferA(itemsOf(ctx.trail, keep.node[i], -1), itemsOf(ctx.trail, take.node[j], item));
    const [amount, score] = fromTake ? [at, st] : [ak, keep.score[i]];
    if (at === ak) [i, j] = [i + 1, j + 1];
    else if (fromTake) j++;
    else i++;
    if (score <= last) continue;
    last = score;
    if (bound && score + bound(ctx.budget - amount, count) + SLACK < ctx.best) continue;
    ctx.best = Math.max(ctx.best, score);
    out.amount[out.length] = amount;
    out.score[out.length] = score;
    out.node[out.length] = fromTake
      ? item >= 0
        ? addNode(ctx.trail, item, take.node[j - 1])
        : take.node[j - 1]
      : keep.node[i - 1];
    out.length++;
  }
  return out;
}

/** Municipalities with more considered candidates than the limit, then one free group of the rest. */
function groupsOf(items: readonly Item[], limit: number | null): Group[] {
  const byMunicipality = new Map<string, Item[]>();
  for (const item of items) byMunicipality.set(item.group, [...(byMunicipality.get(item.group) ?? []), item]);
  const free: Item[] = [];
  const groups: Group[] = [];
  for (const members of byMunicipality.values()) {
    if (limit === null || members.length <= limit) free.push(...members);
    else groups.push({ items: members.sort(byDensityDesc), limit });
  }
  return [...groups, { items: free.sort(byDensityDesc), limit: Infinity }];
}

/** Sum of the `k` largest of `values` above 0. */
function topSum(values: number[], k: number): number {
  const sorted = values.filter((v) => v > 0).sort((a, b) => b - a);
  return sorted.slice(0, Math.min(k, sorted.length)).reduce((s, v) => s + v, 0);
}

/**
 * The multiplier for the Lagrangian bound λ·capacity + Σ per group of the top-`limit` values of
 * max(0, profit − λ·amount): any λ ≥ 0 gives a valid bound; this one makes it smallest at the root.
 */
function lagrangeMultiplier(groups: readonly Group[], budget: number): number {
  const at = (lambda: number) =>
    lambda * budget +
    groups.reduce(
      (s, g) =>
        s +
        topSum(
          g.items.map((i) => i.profit - lambda * i.amount),
          g.limit,
        ),
      0,
    );
  let [lo, hi] = [0, Math.max(0, ...groups.flatMap((g) => g.items.map((i) => i.profit / i.amount)))];
  for (let k = 0; k < 100; k++) {
    const [m1, m2] = [lo + (hi - lo) / 3, hi - (hi - lo) / 3];
    if (at(m1) <= at(m2)) hi = m2;
    else lo = m1;
  }
  return (lo + hi) / 2;
}

/**
 * The bound once the `t`-th item of the sequence is decided (-1: none yet): the lesser of the LP relaxation of
 * the items still to come (by density, the last one fractional) and the Lagrangian bound with the
 * current municipality's limit less the count already funded in it.
 */
function boundsFor(groups: readonly Group[], items: readonly Item[], lambda: number): (t: number) => Bound {
  const reduced = (i: Item) => i.profit - lambda * i.amount;
  const seq = groups.flatMap((g) => g.items);
  const groupOf = new Int32Array(items.length);
  const stageOf = new Int32Array(items.length);
  groups.forEach((g, k) => g.items.forEach((i) => (groupOf[i.position] = k)));
  seq.forEach((i, t) => (stageOf[i.position] = t));
  const byDensity = [...items].sort(byDensityDesc);
  const later = groups.map((_, g) =>
    groups.slice(g + 1).reduce((s, h) => s + topSum(h.items.map(reduced), h.limit), 0),
  );
  return (t) => {
    const rest = byDensity.filter((i) => stageOf[i.position] > t);
    const weights = [0];
    const profits = [0];
    for (const i of rest) {
      weights.push(weights[weights.length - 1] + i.amount);
      profits.push(profits[profits.length - 1] + i.profit);
    }
    const g = t < 0 ? 0 : groupOf[seq[t].position]; // before the first item: all of group 0 to come
    const limit = groups[g].limit;
    const current = rest.filter((i) => groupOf[i.position] === g).map(reduced);
    const byCount = Array.from(
      { length: Number.isFinite(limit) ? limit + 1 : 1 },
      (_, c) => topSum(current, limit - c) + later[g],
    );
    return (capacity, count) => {
      let [lo, hi] = [0, rest.length];
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (weights[mid] <= capacity) lo = mid;
        else hi = mid - 1;
      }
      const lp = profits[lo] + (lo < rest.length ? ((capacity - weights[lo]) * rest[lo].profit) / rest[lo].amount : 0);
      return Math.min(lp, lambda * capacity + byCount[Number.isFinite(limit) ? count : 0]);
    };
  };
}

/**
 * The best set reaching at least `target` (kept from any state whose bound reaches it), or null
 * when none does.
 */
function search(
  groups: readonly Group[],
  items: readonly Item[],
  bounds: readonly Bound[],
  budget: number,
  target: number,
): Item[] | null {
  const ctx = { items, trail: { item: [], parent: [] }, budget, best: target };
  let front = newFront(1);
  [front.length, front.node[0]] = [1, -1]; // the empty set
  let t = 0;
  for (const group of groups) {
    const counted = Number.isFinite(group.limit);
    let lists = counted ? Array.from({ length: group.limit + 1 }, (_, c) => (c === 0 ? front : newFront(0))) : [front];
    for (const item of group.items) {
      const bound = bounds[t++];
      if (!counted) lists = [merge(lists[0], lists[0], item.position, ctx, bound, 0)];
      else {
        for (let c = group.limit - 1; c >= 0; c--) {
          if (lists[c].length > 0) lists[c + 1] = merge(lists[c + 1], lists[c], item.position, ctx, bound, c + 1);
        }
        lists[0] = merge(lists[0], newFront(0), -1, ctx, bound, 0); // drop what can no longer reach the target
      }
    }
    front = lists.reduce((a, b) => merge(a, b, -1, ctx, null, 0));
  }
  const last = front.length - 1;
  if (last < 0 || front.score[last] < target) return null;
  return itemsOf(ctx.trail, front.node[last], -1).map((k) => items[k]);
}

/**
 * The set of considered candidates with the highest total score (exact, in hundredths) within the
 * budget and the limit per municipality; equal scores, the smaller total amount; equal amounts
 * too, the set that funds the best-ranked application on which they differ. Throws a RangeError
 * when the optimum would take too long to prove (see MAX_STATES).
 */
export function planOptimal(candidates: readonly Candidate[], terms: PlanTerms): Plan {
  const { budgetMinor: budget, maxPerMunicipality: limit } = terms;
  // A candidate scoring 0 or less adds nothing but cost.
  const items = considered(candidates, terms)
    .filter((i) => i.profit > 0)
    .map((item, position) => ({ ...item, position }));
  if (limit === 0 || items.length === 0) return planOf([], budget);
  const groups = groupsOf(items, limit);
  const lambda = lagrangeMultiplier(groups, budget);
  const reduced = (i: Item) => i.profit - lambda * i.amount;
  const boundAfter = boundsFor(groups, items, lambda);
  const bounds = items.map((_, t) => boundAfter(t));
  // A score already reached: the best of three greedy plans (by rank, by density, by Lagrangian profit).
  const orders = [
    items,
    [...items].sort(byDensityDesc),
    [...items].sort((a, b) => reduced(b) - reduced(a) || a.position - b.position),
  ];
  const known = Math.max(...orders.map((order) => greedy(order, budget, limit).reduce((s, i) => s + i.profit, 0)));
  const ceiling = Math.floor(boundAfter(-1)(budget, 0) + SLACK);
  // A target close to the root bound prunes hardest; if no set reaches it, aim lower, down to the known score.
  let tried = Infinity;
  for (const share of [1 / 64, 1 / 8, 1]) {
    const target = Math.max(known, Math.ceil(ceiling - share * (ceiling - known)));
    if (target >= tried) continue;
    tried = target;
    const chosen = search(groups, items, bounds, budget, target);
    if (chosen) return planOf(chosen, budget);
  }
  throw new Error('no plan reached a score already reached');
}

export interface PlanDifference {
  /** In rank order. */
  onlyByRank: string[];
  onlyOptimal: string[];
  /** In plain English for the programme manager. */
  explanation: string;
}

/** `EUR 4,000.00`: the code and the amount with the currency's minor digits (2 when unknown), exact. */
function money(minor: number, currency: string): string {
  const digits = isCurrency(currency) ? minorUnitDigits(currency) : 2;
  const scale = 10 ** digits;
  const whole = String(Math.floor(Math.abs(minor) / scale)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = digits > 0 ? `.${String(Math.abs(minor) % scale).padStart(digits, '0')}` : '';
  return `${currency} ${minor < 0 ? '-' : ''}${whole}${fraction}`;
}

/** `A`, `A and B`, `A, B and C`. */
function listed(names: string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const points = (score: number) => String(Math.round(score * 100) / 100);

/**
 * What each plan funds that the other does not, and why, for the manager: what funding by rank
 * takes, what that leaves no money (or no room in a municipality) for, and what the optimal set
 * gains. `candidates` are those the plans were made from; labels name them.
 */
export function comparePlans(
  byRank: Plan,
  optimal: Plan,
  candidates: readonly Candidate[],
  currency: string,
): PlanDifference {
  const inRank = [...candidates].sort(inRankOrder);
  const [rankSet, optimalSet] = [new Set(byRank.applicationIds), new Set(optimal.applicationIds)];
  const onlyByRank = inRank.filter((c) => rankSet.has(c.applicationId) && !optimalSet.has(c.applicationId));
  const onlyOptimal = inRank.filter((c) => optimalSet.has(c.applicationId) && !rankSet.has(c.applicationId));
  const ids = (list: Candidate[]) => list.map((c) => c.applicationId);
  const name = (c: Candidate) => c.label ?? c.applicationId;
  if (onlyByRank.length === 0 && onlyOptimal.length === 0) {
    const n = byRank.applicationIds.length;
    const explanation =
      n === 0
        ? 'Neither proposal funds any application.'
        : `Both proposals fund the same ${n} application${n === 1 ? '' : 's'}.`;
    return { onlyByRank: [], onlyOptimal: [], explanation };
  }
  // Replay funding by rank to tell what it had no money left for from what its municipality had no room for.
  let left = byRank.totalMinor + byRank.leftMinor;
  const noMoney: Candidate[] = [];
  const noRoom = new Map<string, Candidate[]>();
  for (const c of inRank) {
    if (rankSet.has(c.applicationId)) left -= c.amountMinor;
    else if (optimalSet.has(c.applicationId)) {
      if (c.amountMinor > left) noMoney.push(c);
      else noRoom.set(c.municipality.trim(), [...(noRoom.get(c.municipality.trim()) ?? []), c]);
    }
  }
  const named = (list: Candidate[], amount: boolean) =>
    listed(list.map((c) => `${name(c)} (rank ${c.rank}${amount ? `, ${money(c.amountMinor, currency)}` : ''})`));
  const reasons = [
    ...(noMoney.length > 0 ? [`leaves too little for ${named(noMoney, false)}`] : []),
    ...[...noRoom].map(
      ([m, list]) => `passes over ${named(list, false)} as ${m} already has as many awards as allowed`,
    ),
  ];
  // What by rank takes before the first application only the optimal set funds is what crowds it out.
  const before = onlyOptimal.length === 0 ? onlyByRank : onlyByRank.filter((c) => inRankOrder(c, onlyOptimal[0]) < 0);
  const after = onlyByRank.filter((c) => !before.includes(c));
  const takes = [
    before.length > 0 ? `Funding by rank takes ${named(before, true)}` : 'Funding by rank',
    reasons.length > 0 ? `${before.length > 0 ? ', which' : ''} ${listed(reasons)}` : '',
    after.length > 0 ? `, and then ${before.length > 0 ? '' : 'takes '}${named(after, true)}` : '',
  ].join('');
  const instead =
    onlyOptimal.length > 0
      ? `funds ${listed(onlyOptimal.map(name))} instead`
      : `does without ${onlyByRank.length === 1 ? 'it' : 'them'}`;
  const gain =
    optimal.totalScore === byRank.totalScore
      ? `for the same total score (${points(optimal.totalScore)})`
      : `for a ${optimal.totalScore > byRank.totalScore ? 'higher' : 'lower'} total score (${points(optimal.totalScore)} against ${points(byRank.totalScore)})`;
  const unspent =
    optimal.leftMinor === byRank.leftMinor
      ? `leaves the same ${money(optimal.leftMinor, currency)} unspent`
      : `leaves ${money(optimal.leftMinor, currency)} unspent rather than ${money(byRank.leftMinor, currency)}`;
  return {
    onlyByRank: ids(onlyByRank),
    onlyOptimal: ids(onlyOptimal),
    explanation: `${takes}; the optimal set ${instead} ${gain} and ${unspent}.`,
  };
}
