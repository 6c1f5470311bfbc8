import { seeded } from './testing';
import {
  assignReviewers,
  describeShortfall,
  type Assignment,
  type AssignmentProblem,
  type AssignmentResult,
} from './assignment';

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);
const problem = (overrides: Partial<AssignmentProblem>): AssignmentProblem => ({
  applications: [],
  members: [],
  perApplication: 3,
  conflicts: [],
  existing: [],
  ...overrides,
});
const pair = (applicationId: string, memberId: string): Assignment => ({ applicationId, memberId });
const sortedDown = (loads: Record<string, number>) => Object.values(loads).sort((a, b) => b - a);

function assigned(result: AssignmentResult): Extract<AssignmentResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected an assignment, got: ${result.message}`);
  return result;
}

/** Every rule of a successful assignment, checked from the problem alone. */
function expectValid(p: AssignmentProblem, result: AssignmentResult) {
  const { added, loads } = assigned(result);
  const key = (a: Assignment) => `${a.applicationId}|${a.memberId}`;
  const standing = new Set(p.existing.map(key));
  const conflicted = new Set(p.conflicts.map(key));
  expect(new Set(added.map(key)).size).toBe(added.length);
  for (const a of added) {
    expect(p.applications).toContain(a.applicationId);
    expect(p.members).toContain(a.memberId);
    expect(conflicted.has(key(a))).toBe(false);
    expect(standing.has(key(a))).toBe(false);
  }
  for (const app of p.applications) {
    const before = new Set(p.existing.filter((e) => e.applicationId === app).map((e) => e.memberId)).size;
    const after = added.filter((a) => a.applicationId === app).length;
    expect(after).toBe(Math.max(0, p.perApplication - before));
  }
  expect(Object.keys(loads)).toEqual(p.members);
  for (const m of p.members) {
    const load = new Set([...p.existing, ...added].filter((a) => a.memberId === m).map(key)).size;
    expect(loads[m]).toBe(load);
  }
}

/** Subsets of `items` of exactly `k` elements. */
function choose<T>(items: T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...choose(rest, k - 1).map((c) => [first, ...c]), ...choose(rest, k)];
}

function lexicographicallyBefore(a: number[], b: number[]): boolean {
  const k = a.findIndex((v, n) => v !== b[n]);
  return k >= 0 && a[k] < b[k];
}

/**
 * The most even load vector (sorted high to low, lexicographically smallest) over every way of
 * completing the applications, or null when there is none: tries them all.
 */
function bruteForceLoads(p: AssignmentProblem): number[] | null {
  const key = (a: string, m: string) => `${a}|${m}`;
  const barred = new Set([...p.conflicts, ...p.existing].map((c) => key(c.applicationId, c.memberId)));
  const base = p.members.map(
    (m) => new Set(p.existing.filter((e) => e.memberId === m).map((e) => e.applicationId)).size,
  );
  const options = p.applications.map((a) => {
    const have = new Set(p.existing.filter((e) => e.applicationId === a).map((e) => e.memberId)).size;
    const free = p.members.map((_, j) => j).filter((j) => !barred.has(key(a, p.members[j])));
    return choose(free, Math.max(0, p.perApplication - have));
  });
  let best: number[] | null = null;
  const walk = (i: number, loads: number[]) => {
    if (i === options.length) {
      const sorted = [...loads].sort((a, b) => b - a);
      if (best === null || lexicographicallyBefore(sorted, best)) best = sorted;
      return;
    }
    for (const option of options[i]) {
      for (const j of option) loads[j]++;
      walk(i + 1, loads);
      for (const j of option) loads[j]--;
    }
  };
  walk(0, base);
  return best;
}

function randomProblem(random: () => number): AssignmentProblem {
  const int = (max: number) => Math.floor(random() * (max + 1));
  const applications = ids('KG-', int(6));
  const members = ids('m', 1 + int(3));
  const pairs = [...applications, 'KG-OTHER'].flatMap((a) => members.map((m) => pair(a, m)));
  return {
    applications,
    members,
    perApplication: int(3),
    conflicts: pairs.filter(() => random() < 0.3),
    existing: pairs.filter(() => random() < 0.15),
  };
}

describe('assignReviewers', () => {
  it('splits the work evenly when nothing stands in the way', () => {
    const p = problem({ applications: ids('KG-', 8), members: ids('m', 5) });
    const result = assignReviewers(p);
    expectValid(p, result);
    const loads = sortedDown(assigned(result).loads);
    expect(loads).toEqual([5, 5, 5, 5, 4]);
    expect(loads[0] - loads[loads.length - 1]).toBeLessThanOrEqual(1);
  });

  it('never assigns a member to an application they declared a conflict with', () => {
    const conflicts = [pair('KG-1', 'm1'), pair('KG-2', 'm2'), pair('KG-2', 'm3'), pair('KG-3', 'm4')];
    const p = problem({ applications: ids('KG-', 3), members: ids('m', 4), perApplication: 2, conflicts });
    const result = assignReviewers(p);
    expectValid(p, result);
    expect(
      assigned(result)
        .added.filter((a) => a.applicationId === 'KG-2')
        .map((a) => a.memberId),
    ).toEqual(['m1', 'm4']);
  });

  it('keeps the largest load minimal when one member is conflicted with most applications', () => {
    // m3 may review KG-6 only, so m1 and m2 both review KG-1 to KG-5; KG-6 goes to m3 and one of them.
    const conflicts = ids('KG-', 5).map((a) => pair(a, 'm3'));
    const p = problem({ applications: ids('KG-', 6), members: ids('m', 3), perApplication: 2, conflicts });
    const result = assignReviewers(p);
    expectValid(p, result);
    expect(sortedDown(assigned(result).loads)).toEqual([6, 5, 1]);
    expect(sortedDown(assigned(result).loads)).toEqual(bruteForceLoads(p));
  });

  it('spreads the rest evenly around a member who can take little', () => {
    const conflicts = ids('KG-', 5).map((a) => pair(a, 'm1'));
    const p = problem({ applications: ids('KG-', 6), members: ids('m', 4), perApplication: 2, conflicts });
    const result = assignReviewers(p);
    expectValid(p, result);
    expect(assigned(result).loads.m1).toBe(1);
    expect(sortedDown(assigned(result).loads)).toEqual([4, 4, 3, 1]);
    expect(sortedDown(assigned(result).loads)).toEqual(bruteForceLoads(p));
  });

  it('evens out the members kept below the share as well as those above it', () => {
    // m1 and m2 alone may review the P applications, m3 and m4 alone the Q ones: 2 and 2, not 3 and 1.
    const ps = ids('P', 4);
    const qs = ids('Q', 8);
    const conflicts = [
      ...ps.flatMap((a) => [pair(a, 'm3'), pair(a, 'm4')]),
      ...qs.flatMap((a) => [pair(a, 'm1'), pair(a, 'm2')]),
    ];
    const p = problem({ applications: [...ps, ...qs], members: ids('m', 4), perApplication: 1, conflicts });
    const result = assignReviewers(p);
    expectValid(p, result);
    expect(assigned(result).loads).toEqual({ m1: 2, m2: 2, m3: 4, m4: 4 });
  });

  it('keeps existing assignments and counts them toward both the application and the load', () => {
    const existing = [pair('KG-1', 'm1'), pair('KG-2', 'm1'), pair('KG-3', 'm1')];
    const p = problem({ applications: ids('KG-', 4), members: ids('m', 4), perApplication: 2, existing });
    const result = assignReviewers(p);
    expectValid(p, result);
    const { added, loads } = assigned(result);
    expect(added.filter((a) => a.applicationId === 'KG-1')).toHaveLength(1);
    expect(added.some((a) => a.memberId === 'm1')).toBe(false);
    expect(loads).toEqual({ m1: 3, m2: 2, m3: 2, m4: 1 });
  });

  it('counts a member’s reviews of applications outside this round toward their load', () => {
    const existing = [pair('KG-90', 'm1'), pair('KG-91', 'm1')];
    const p = problem({ applications: ids('KG-', 2), members: ids('m', 3), perApplication: 1, existing });
    const result = assignReviewers(p);
    expectValid(p, result);
    expect(assigned(result).added.map((a) => a.memberId)).toEqual(['m2', 'm3']);
    expect(assigned(result).loads).toEqual({ m1: 2, m2: 1, m3: 1 });
  });

  it('adds no one to an application already fully covered', () => {
    const existing = [pair('KG-1', 'm1'), pair('KG-1', 'm2'), pair('KG-1', 'm3'), pair('KG-1', 'm3')];
    const p = problem({ applications: ['KG-1', 'KG-2'], members: ids('m', 4), perApplication: 2, existing });
    const result = assignReviewers(p);
    expectValid(p, result);
    expect(assigned(result).added).toEqual([pair('KG-2', 'm1'), pair('KG-2', 'm4')]);
    expect(assigned(result).loads).toEqual({ m1: 2, m2: 1, m3: 1, m4: 1 });
  });

  it('never assigns a member twice to the same application, nor beside their existing assignment', () => {
    const existing = [pair('KG-1', 'm2')];
    const p = problem({ applications: ids('KG-', 4), members: ids('m', 3), perApplication: 3, existing });
    const result = assignReviewers(p);
    expectValid(p, result);
    const kg1 = assigned(result)
      .added.filter((a) => a.applicationId === 'KG-1')
      .map((a) => a.memberId);
    expect(kg1).toEqual(['m1', 'm3']);
    expect(assigned(result).added).toHaveLength(11);
  });

  it('adds nothing when there are no applications', () => {
    const p = problem({ members: ['m1', 'm2'], existing: [pair('KG-9', 'm2')] });
    expect(assignReviewers(p)).toEqual({ ok: true, added: [], loads: { m1: 0, m2: 1 } });
  });

  it('is deterministic: the same problem gives the same assignment', () => {
    const random = seeded(7);
    const applications = ids('KG-', 40);
    const members = ids('m', 7);
    const conflicts = applications.flatMap((a) => members.filter(() => random() < 0.2).map((m) => pair(a, m)));
    const p = problem({ applications, members, perApplication: 3, conflicts });
    expect(assignReviewers(p)).toEqual(assignReviewers(structuredClone(p)));
  });
});

describe('refusals', () => {
  it('names every application too few members can review, and how short it is', () => {
    const conflicts = [
      pair('KG-2', 'm1'),
      pair('KG-2', 'm2'),
      pair('KG-3', 'm1'),
      pair('KG-3', 'm2'),
      pair('KG-3', 'm3'),
    ];
    const p = problem({ applications: ids('KG-', 3), members: ids('m', 4), perApplication: 3, conflicts });
    const result = assignReviewers(p);
    expect(result).toEqual({
      ok: false,
      shortfalls: [
        { applicationId: 'KG-2', needed: 3, available: 2 },
        { applicationId: 'KG-3', needed: 3, available: 1 },
      ],
      message:
        'KG-2 needs 3 more reviewers, but only 2 committee members have no conflict of interest with it and do not already review it. ' +
        'KG-3 needs 3 more reviewers, but only 1 committee member has no conflict of interest with it and does not already review it.',
    });
  });

  it('counts reviewers already assigned when judging a shortfall', () => {
    const p = problem({
      applications: ['KG-1'],
      members: ids('m', 3),
      perApplication: 3,
      existing: [pair('KG-1', 'm1')],
      conflicts: [pair('KG-1', 'm2')],
    });
    const result = assignReviewers(p);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.shortfalls).toEqual([{ applicationId: 'KG-1', needed: 2, available: 1 }]);
  });

  it('words a shortfall with the reference the caller gives', () => {
    const label = (id: string) => ({ a1: 'KG-2026-014' })[id] ?? id;
    expect(describeShortfall({ applicationId: 'a1', needed: 1, available: 0 }, label)).toBe(
      'KG-2026-014 needs 1 more reviewer, but no committee member can review it: each has a conflict of interest with it or already reviews it.',
    );
  });

  it('refuses more reviewers per application than the committee has members', () => {
    const result = assignReviewers(problem({ applications: ['KG-1'], members: ['m1', 'm2'], perApplication: 3 }));
    expect(result).toEqual({
      ok: false,
      shortfalls: [],
      message: 'Each application needs 3 reviewers, but the committee has only 2 members.',
    });
  });

  it('refuses a committee with no members, and a number of reviewers that is not a whole number', () => {
    expect(assignReviewers(problem({ applications: ['KG-1'] }))).toEqual({
      ok: false,
      shortfalls: [],
      message: 'The committee has no members to assign as reviewers.',
    });
    const fractional = assignReviewers(problem({ applications: ['KG-1'], members: ['m1', 'm2'], perApplication: 1.5 }));
    expect(fractional.ok).toBe(false);
    expect(!fractional.ok && fractional.message).toMatch(/whole number/);
  });
});

describe('against a brute force', () => {
  it('meets every rule on 200 random small problems, with the most even loads whenever any assignment exists', () => {
    const random = seeded(2026);
    let solvable = 0;
    for (let run = 0; run < 200; run++) {
      const p = randomProblem(random);
      const best = bruteForceLoads(p);
      const result = assignReviewers(p);
      expect({ run, ok: result.ok }).toEqual({ run, ok: best !== null });
      if (best === null) continue;
      solvable++;
      expectValid(p, result);
      const loads = sortedDown(assigned(result).loads);
      expect({ run, maxLoad: loads[0] ?? 0 }).toEqual({ run, maxLoad: best[0] ?? 0 });
      expect({ run, loads }).toEqual({ run, loads: best });
    }
    // Both kinds of instance must have come up for the comparison to mean anything.
    expect(solvable).toBeGreaterThan(50);
    expect(solvable).toBeLessThan(200);
  });

  it('meets every rule for 500 applications × 3 reviewers over 20 members, loads within one', () => {
    const random = seeded(500);
    const applications = ids('KG-', 500);
    const members = ids('m', 20);
    const conflicts = applications.flatMap((a) => members.filter(() => random() < 0.1).map((m) => pair(a, m)));
    const existing = applications.slice(0, 30).map((a, i) => pair(a, members[i % 3]));
    const p = problem({ applications, members, perApplication: 3, conflicts, existing });
    const result = assignReviewers(p);
    expectValid(p, result);
    const loads = sortedDown(assigned(result).loads);
    expect(loads.reduce((a, b) => a + b, 0)).toBe(1500);
    expect(loads[0] - loads[loads.length - 1]).toBeLessThanOrEqual(1);
  });
});
