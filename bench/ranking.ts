import { performance } from 'node:perf_hooks';
import { seeded } from '../workflows/testing';
import { planByRank, planOptimal, type Candidate, type PlanTerms } from '../workflows/award-plan';

// How long the optimal funding plan takes for a large call: 500 ranked candidates in 50
// municipalities asking arbitrary cent amounts between EUR 500.00 and EUR 5,000.00, scores from 40
// to 95, a budget of a third of what they ask. The instance is drawn from a seeded generator, so
// every run times the same problem; planOptimal runs RUNS times with and without a limit of 3
// awards per municipality, and the median is printed.

const CANDIDATES = 500;
const MUNICIPALITIES = 50;
const RUNS = 5;
const LIMIT = 3;

function instance(): { candidates: Candidate[]; budgetMinor: number } {
  const random = seeded(20_260_301);
  const candidates = Array.from({ length: CANDIDATES }, (_, i) => ({
    applicationId: `KG-B-${String(i + 1).padStart(4, '0')}`,
    rank: i + 1,
    score: Math.round((95 - (55 * i) / CANDIDATES - random() * 2) * 100) / 100,
    amountMinor: 50_000 + Math.floor(random() * 450_001),
    municipality: `Municipality ${1 + Math.floor(random() * MUNICIPALITIES)}`,
  }));
  return { candidates, budgetMinor: Math.floor(candidates.reduce((sum, c) => sum + c.amountMinor, 0) / 3) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(candidates: Candidate[], terms: PlanTerms, label: string): string {
  const times: number[] = [];
  let score = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    score = planOptimal(candidates, terms).totalScore;
    times.push(performance.now() - t0);
  }
  const byRank = planByRank(candidates, terms).totalScore;
  return `knapsack ${CANDIDATES} candidates${label}: ${median(times).toFixed(1)} ms (median of ${RUNS}; total score ${score.toFixed(2)}, ${byRank.toFixed(2)} by rank)`;
}

/** The median time of planOptimal on the instance, without and with the limit per municipality, one line each. */
export async function rankingBench(): Promise<string[]> {
  const { candidates, budgetMinor } = instance();
  const terms: PlanTerms = { budgetMinor, minimumScore: 0, maxPerMunicipality: null };
  return [
    time(candidates, terms, ''),
    time(candidates, { ...terms, maxPerMunicipality: LIMIT }, `, at most ${LIMIT} per municipality`),
  ];
}

if (require.main === module) {
  rankingBench().then(
    (lines) => lines.forEach((line) => console.log(line)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
