import { seeded } from './testing';
import { comparePlans, planByRank, planOptimal, type Candidate, type Plan, type PlanTerms } from './award-plan';

const TERMS: PlanTerms = { budgetMinor: 1_000_000, minimumScore: 0, maxPerMunicipality: null };

const candidate = (
  rank: number,
  score: number,
  amountMinor: number,
  municipality = 'Zhazy',
  label?: string,
): Candidate => ({
  applicationId: `app-${rank}`,
  rank,
  score,
  amountMinor,
  municipality,
  ...(label ? { label } : {}),
});

const scoreOf = (plan: Plan) => Math.round(plan.totalScore * 100);

/**
 * Every subset, the best by the documented order: the highest score in hundredths, then the smaller
 * amount, then the set funding the best-ranked application on which two differ.
 */
function bruteForce(candidates: Candidate[], terms: PlanTerms): string[] {
  const items = [...candidates]
    .sort((a, b) => a.rank - b.rank || (a.applicationId < b.applicationId ? -1 : 1))
    .filter(
      (c) =>
        c.score >= terms.minimumScore &&
        c.amountMinor > 0 &&
        c.amountMinor <= terms.budgetMinor &&
        Math.round(c.score * 100) > 0,
    );
  let best = { score: -1, amount: 0, set: [] as number[] };
  for (let mask = 0; mask < 1 << items.length; mask++) {
    const set = items.map((_, i) => i).filter((i) => mask & (1 << i));
    const amount = set.reduce((s, i) => s + items[i].amountMinor, 0);
    const score = set.reduce((s, i) => s + Math.round(items[i].score * 100), 0);
    const perMunicipality = new Map<string, number>();
    for (const i of set) {
      const m = items[i].municipality.trim().toLowerCase();
      perMunicipality.set(m, (perMunicipality.get(m) ?? 0) + 1);
    }
    const limit = terms.maxPerMunicipality;
    if (amount > terms.budgetMinor || (limit !== null && [...perMunicipality.values()].some((n) => n > limit)))
      continue;
    const differ = set.findIndex((i, k) => i !== best.set[k]);
    const betterRanked = differ >= 0 && (best.set[differ] === undefined || set[differ] < best.set[differ]);
    if (
      score > best.score ||
      (score === best.score && (amount < best.amount || (amount === best.amount && betterRanked)))
    )
      best = { score, amount, set };
  }
  return best.set.map((i) => items[i].applicationId);
}

describe('planByRank', () => {
  it('goes down the ranking, skipping what no longer fits and going on', () => {
    const plan = planByRank(
      [candidate(1, 90, 600_000), candidate(2, 85, 500_000), candidate(3, 80, 450_000), candidate(4, 50, 300_000)],
      TERMS,
    );
    expect(plan).toEqual({
      applicationIds: ['app-1', 'app-4'],
      totalMinor: 900_000,
      totalScore: 140,
      leftMinor: 100_000,
    });
  });

  it('reads the ranking from rank, not from the order given, and equal ranks by application id', () => {
    const shuffled = [
      candidate(3, 80, 400_000),
      { ...candidate(1, 90, 400_000), applicationId: 'b' },
      { ...candidate(1, 90, 400_000), applicationId: 'a' },
    ];
    expect(planByRank(shuffled, TERMS).applicationIds).toEqual(['a', 'b']);
  });
});

describe('both plans', () => {
  const plans = (candidates: Candidate[], terms: PlanTerms) => [
    planByRank(candidates, terms),
    planOptimal(candidates, terms),
  ];

  it('fund nothing from a budget of 0', () => {
    for (const plan of plans([candidate(1, 90, 100_000)], { ...TERMS, budgetMinor: 0 })) {
      expect(plan).toEqual({ applicationIds: [], totalMinor: 0, totalScore: 0, leftMinor: 0 });
    }
  });

  it('never fund an application asking more than the whole budget', () => {
    const candidates = [candidate(1, 95, 1_000_001), candidate(2, 60, 1_000_000)];
    for (const plan of plans(candidates, TERMS)) expect(plan.applicationIds).toEqual(['app-2']);
  });

  it('leave out what scores below the minimum, or asks for nothing', () => {
    const candidates = [candidate(1, 69.99, 100_000), candidate(2, 70, 100_000), candidate(3, 90, 0)];
    for (const plan of plans(candidates, { ...TERMS, minimumScore: 70 }))
      expect(plan.applicationIds).toEqual(['app-2']);
  });

  it('give one municipality no more awards than the limit, whatever the spelling', () => {
    const candidates = [
      candidate(1, 90, 100_000, 'Zhazy'),
      candidate(2, 88, 100_000, ' zhazy'),
      candidate(3, 86, 100_000, 'ZHAZY '),
      candidate(4, 60, 100_000, 'Gulistan'),
    ];
    for (const plan of plans(candidates, { ...TERMS, maxPerMunicipality: 2 }))
      expect(plan.applicationIds).toEqual(['app-1', 'app-2', 'app-4']);
    for (const plan of plans(candidates, { ...TERMS, maxPerMunicipality: 0 })) expect(plan.applicationIds).toEqual([]);
    for (const plan of plans(candidates, TERMS)) expect(plan.applicationIds).toHaveLength(4);
  });

  it('refuse amounts that are not whole minor units and a negative budget', () => {
    expect(() => planOptimal([candidate(1, 90, 100.5)], TERMS)).toThrow(RangeError);
    expect(() => planByRank([candidate(1, 90, 100)], { ...TERMS, budgetMinor: -1 })).toThrow(RangeError);
    expect(() => planOptimal([candidate(1, 90, 100), candidate(1, 80, 100)], TERMS)).toThrow(/twice/);
  });
});

describe('planOptimal', () => {
  it('funds the set with the highest total score', () => {
    const candidates = [
      candidate(1, 90, 600_000),
      candidate(2, 85, 500_000),
      candidate(3, 80, 450_000),
      candidate(4, 50, 300_000),
    ];
    expect(planOptimal(candidates, TERMS)).toEqual({
      applicationIds: ['app-2', 'app-3'],
      totalMinor: 950_000,
      totalScore: 165,
      leftMinor: 50_000,
    });
  });

  it('of sets with equal scores, funds the cheaper one', () => {
    // 1 + 2 and 3 + 4 both score 150, the other pairs less or too much; 3 + 4 costs less.
    const candidates = [
      candidate(1, 80, 600_000),
      candidate(2, 70, 400_000),
      candidate(3, 75, 550_000),
      candidate(4, 75, 420_000),
    ];
    expect(planOptimal(candidates, TERMS).applicationIds).toEqual(['app-3', 'app-4']);
  });

  it('of sets with equal scores and amounts, funds the one with the best-ranked application they differ on', () => {
    const candidates = [
      candidate(4, 50, 500_000),
      candidate(3, 50, 500_000),
      candidate(2, 50, 500_000),
      candidate(1, 50, 500_000),
    ];
    expect(planOptimal(candidates, TERMS).applicationIds).toEqual(['app-1', 'app-2']);
    // 1 + 4 and 2 + 3 both score 100 for 1,000,000, and their ranks sum alike; 1 ranks best.
    const pairs = [
      candidate(1, 20, 300_000),
      candidate(2, 50, 450_000),
      candidate(3, 50, 550_000),
      candidate(4, 80, 700_000),
    ];
    expect(planOptimal(pairs, TERMS).applicationIds).toEqual(['app-1', 'app-4']);
  });

  it('compares scores exactly, in hundredths', () => {
    // In floats 0.1 + 0.2 is more than 0.3; in hundredths they are equal and app-3 is cheaper.
    const candidates = [candidate(1, 0.1, 500_000), candidate(2, 0.2, 500_000), candidate(3, 0.3, 900_000)];
    expect(planOptimal(candidates, TERMS)).toEqual({
      applicationIds: ['app-3'],
      totalMinor: 900_000,
      totalScore: 0.3,
      leftMinor: 100_000,
    });
  });

  it('agrees with a search of every subset on 200 small random instances, with and without the municipality limit', () => {
    const random = seeded(2026);
    const pick = <T>(values: T[]) => values[Math.floor(random() * values.length)];
    for (let n = 0; n < 200; n++) {
      const size = 1 + Math.floor(random() * 14);
      // Half the instances in whole hundreds and round scores, so that ties are frequent.
      const coarse = n % 2 === 0;
      const candidates = Array.from({ length: size }, (_, i) => ({
        ...candidate(
          1 + Math.floor(random() * size),
          coarse ? 10 * Math.floor(random() * 6) : Math.round(random() * 10_000) / 100,
          0,
        ),
        applicationId: `app-${i}`,
        amountMinor: coarse ? 100 * (1 + Math.floor(random() * 8)) : 1 + Math.floor(random() * 200_000),
        municipality: pick(['Zhazy', 'Gulistan', 'gulistan ', 'Yuryevka']),
      }));
      const total = candidates.reduce((s, c) => s + c.amountMinor, 0);
      const terms: PlanTerms = {
        budgetMinor: Math.floor(random() * total * 0.8),
        minimumScore: pick([0, 0, 30]),
        maxPerMunicipality: n % 4 < 2 ? null : pick([1, 2, 3]),
      };
      const optimal = planOptimal(candidates, terms);
      expect(optimal.applicationIds).toEqual(bruteForce(candidates, terms));
      expect(scoreOf(optimal)).toBeGreaterThanOrEqual(scoreOf(planByRank(candidates, terms)));
      expect(optimal.totalMinor + optimal.leftMinor).toBe(terms.budgetMinor);
    }
  });

  it('plans 500 candidates with arbitrary cent amounts within the budget, at least as well as by rank or by density', () => {
    const random = seeded(500);
    const candidates = Array.from({ length: 500 }, (_, i) =>
      candidate(
        i + 1,
        Math.round((40 + random() * 55) * 100) / 100,
        50_000 + Math.floor(random() * 450_001),
        `m${Math.floor(random() * 50)}`,
      ),
    );
    const budgetMinor = Math.floor(candidates.reduce((s, c) => s + c.amountMinor, 0) / 3);
    for (const maxPerMunicipality of [null, 3]) {
      const terms = { budgetMinor, minimumScore: 0, maxPerMunicipality };
      const optimal = planOptimal(candidates, terms);
      const chosen = candidates.filter((c) => optimal.applicationIds.includes(c.applicationId));
      expect(chosen.reduce((s, c) => s + c.amountMinor, 0)).toBe(optimal.totalMinor);
      expect(optimal.totalMinor).toBeLessThanOrEqual(budgetMinor);
      const perMunicipality = new Map<string, number>();
      for (const c of chosen) perMunicipality.set(c.municipality, (perMunicipality.get(c.municipality) ?? 0) + 1);
      expect(Math.max(...perMunicipality.values())).toBeLessThanOrEqual(maxPerMunicipality ?? 500);
      const byDensity = [...candidates]
        .sort((a, b) => b.score / b.amountMinor - a.score / a.amountMinor)
        .map((c, i) => ({ ...c, rank: i + 1 }));
      expect(scoreOf(optimal)).toBeGreaterThanOrEqual(scoreOf(planByRank(candidates, terms)));
      expect(scoreOf(optimal)).toBeGreaterThanOrEqual(scoreOf(planByRank(byDensity, terms)));
    }
  });

  it('does not depend on the order the candidates come in', () => {
    const random = seeded(7);
    const candidates = Array.from({ length: 30 }, (_, i) =>
      candidate(i + 1, 50 + Math.floor(random() * 5) * 10, 100_000 * (1 + Math.floor(random() * 4)), `m${i % 3}`),
    );
    const terms = { ...TERMS, budgetMinor: 2_000_000, maxPerMunicipality: 4 };
    const expected = planOptimal(candidates, terms);
    expect(planOptimal([...candidates].reverse(), terms)).toEqual(expected);
    expect(planOptimal([...candidates.slice(13), ...candidates.slice(0, 13)], terms)).toEqual(expected);
  });
});

describe('comparePlans', () => {
  const labelled = [
    candidate(1, 90, 600_000, 'Zhazy', 'KG-2026-0001 Water pipe'),
    candidate(2, 85, 500_000, 'Zhazy', 'KG-2026-0002 Playground'),
    candidate(3, 80, 450_000, 'Gulistan', 'KG-2026-0003 Roof repair'),
    candidate(4, 50, 300_000, 'Gulistan', 'KG-2026-0004 Street lights'),
  ];

  it('names what by rank takes, what that leaves too little for, and what the optimal set gains', () => {
    const difference = comparePlans(planByRank(labelled, TERMS), planOptimal(labelled, TERMS), labelled, 'EUR');
    expect(difference).toEqual({
      onlyByRank: ['app-1', 'app-4'],
      onlyOptimal: ['app-2', 'app-3'],
      explanation:
        'Funding by rank takes KG-2026-0001 Water pipe (rank 1, EUR 6,000.00), which leaves too little for KG-2026-0002 Playground (rank 2) ' +
        'and KG-2026-0003 Roof repair (rank 3), and then KG-2026-0004 Street lights (rank 4, EUR 3,000.00); the optimal set funds ' +
        'KG-2026-0002 Playground and KG-2026-0003 Roof repair instead for a higher total score (165 against 140) and leaves EUR 500.00 unspent ' +
        'rather than EUR 1,000.00.',
    });
  });

  it('names a municipality at its limit, and uses the id where there is no label', () => {
    const candidates = [
      candidate(1, 90, 700, 'Zhazy'),
      candidate(2, 85, 600, 'Gulistan'),
      candidate(3, 80, 300, 'Zhazy'),
    ];
    const terms = { budgetMinor: 1_000, minimumScore: 0, maxPerMunicipality: 1 };
    const byRank = planByRank(candidates, terms);
    const optimal = planOptimal(candidates, terms);
    expect(optimal.applicationIds).toEqual(['app-2', 'app-3']);
    expect(comparePlans(byRank, optimal, candidates, 'KGS').explanation).toBe(
      'Funding by rank takes app-1 (rank 1, KGS 7.00), which leaves too little for app-2 (rank 2) and passes over app-3 (rank 3) as Zhazy ' +
        'already has as many awards as allowed; the optimal set funds app-2 and app-3 instead for a higher total score (165 against 90) ' +
        'and leaves KGS 1.00 unspent rather than KGS 3.00.',
    );
  });

  it('writes amounts with the minor digits of the currency', () => {
    const candidates = [candidate(1, 90, 1_234_567), candidate(2, 60, 1_000_000), candidate(3, 60, 1_000_000)];
    const terms = { ...TERMS, budgetMinor: 2_000_000 };
    const explain = (currency: string) =>
      comparePlans(planByRank(candidates, terms), planOptimal(candidates, terms), candidates, currency).explanation;
    expect(explain('JPY')).toContain('app-1 (rank 1, JPY 1,234,567)');
    expect(explain('KWD')).toContain('app-1 (rank 1, KWD 1,234.567)');
    expect(explain('EUR')).toContain('leaves EUR 0.00 unspent rather than EUR 7,654.33.');
  });

  it('says so when both fund the same applications', () => {
    const candidates = labelled.slice(0, 2);
    const same = comparePlans(planByRank(candidates, TERMS), planOptimal(candidates, TERMS), candidates, 'EUR');
    expect(same).toEqual({
      onlyByRank: [],
      onlyOptimal: [],
      explanation: 'Both proposals fund the same 1 application.',
    });
    const both = comparePlans(
      planByRank(labelled, { ...TERMS, budgetMinor: 5_000_000 }),
      planOptimal(labelled, { ...TERMS, budgetMinor: 5_000_000 }),
      labelled,
      'EUR',
    );
    expect(both.explanation).toBe('Both proposals fund the same 4 applications.');
    const none = comparePlans(
      planByRank(labelled, { ...TERMS, budgetMinor: 0 }),
      planOptimal(labelled, { ...TERMS, budgetMinor: 0 }),
      labelled,
      'EUR',
    );
    expect(none.explanation).toBe('Neither proposal funds any application.');
  });
});
