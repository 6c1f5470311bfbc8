// Pure rules of delivery: what a failed send means, and when to try again.

export type Verdict = 'temporary' | 'permanent';

interface SendError {
  code?: unknown;
  responseCode?: unknown;
}

/**
 * A 5xx answer from the mail server is permanent: sending again gets the same answer. A 4xx answer,
 * a refused or dropped connection, or a timeout is temporary. Failed authentication is temporary
 * too: it is the service's settings that are wrong, not the email, and it goes once they are fixed.
 */
export function verdictOf(error: unknown): Verdict {
  const { code, responseCode } = (error ?? {}) as SendError;
  if (code === 'EAUTH') return 'temporary';
  if (typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600) return 'permanent';
  return 'temporary';
}

export const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Delay before attempt `attempts + 1`: the base doubled per attempt made, capped at an hour, with
 * "equal jitter" (half fixed, half random) so that mail held back by one outage does not all return at once.
 */
export function retryDelayMs(attempts: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/** What a failed attempt leaves the email as. */
export function afterFailure(
  error: unknown,
  attempts: number,
  maxAttempts: number,
): { status: 'failed' | 'dead'; verdict: Verdict } {
  const verdict = verdictOf(error);
  return { status: verdict === 'permanent' || attempts >= maxAttempts ? 'dead' : 'failed', verdict };
}

/** One line for `last_error`: the server's answer or the error's message, never credentials. */
export function describeError(error: unknown): string {
  const e = error as { message?: unknown; response?: unknown; code?: unknown };
  const text =
    typeof e?.response === 'string' ? e.response : typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? `${e.code}: ` : '';
  return (code + text).replace(/\s+/g, ' ').slice(0, 500);
}

interface Queued {
  /** The queue position, as PostgreSQL returns a bigint. */
  seq: string;
  email: string;
  subject_id: string | null;
}

/**
 * A claimed batch as chains to send side by side: one per person and record, each in the order it
 * was queued, so "more information needed" reaches them before "answers received". The chains come
 * in the order of their first email.
 */
export function sendingOrder<T extends Queued>(rows: T[]): T[][] {
  const chains = new Map<string, T[]>();
  for (const row of [...rows].sort((a, b) => Number(BigInt(a.seq) - BigInt(b.seq)))) {
    const key = `${row.email}\n${row.subject_id ?? ''}`;
    const chain = chains.get(key);
    if (chain) chain.push(row);
    else chains.set(key, [row]);
  }
  return [...chains.values()];
}
