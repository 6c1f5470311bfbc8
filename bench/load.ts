import { performance } from 'node:perf_hooks';

export interface LoadResult {
  ok: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

/** Runs `op` in `clients` concurrent loops for `seconds`, or until `done()`; each client passes its own index. */
export async function runLoad(
  clients: number,
  seconds: number,
  op: (client: number, round: number) => Promise<void>,
  done: () => boolean = () => false,
): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, errors: 0, seconds, latenciesMs: [] };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const loop = async (client: number) => {
    for (let round = 0; performance.now() < deadline && !done(); round++) {
      const t0 = performance.now();
      try {
        await op(client, round);
        result.ok++;
        result.latenciesMs.push(performance.now() - t0);
      } catch {
        result.errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, i) => loop(i)));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}

/** The value below which `p` percent of the `sorted` values lie. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function throughput(r: LoadResult): number {
  return r.ok / r.seconds;
}

export function describeLoad(label: string, unit: string, r: LoadResult): string {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  const ms = (p: number) => percentile(sorted, p).toFixed(1);
  return `${label}: ${throughput(r).toFixed(1)} ${unit}/s over ${r.seconds.toFixed(1)} s, p50 ${ms(50)} ms, p95 ${ms(95)} ms, p99 ${ms(99)} ms, ${r.errors} errors`;
}
