import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { tap, type Observable } from 'rxjs';

/**
 * The database lacks what it needs to do what was asked: SQLSTATE class 53 (53100 disk full,
 * 53200 out of memory, 53300 too many connections), which PostgreSQL and the embedded PGlite alike
 * give (PGlite answers a full disk with 53100 "could not extend file ...: No space left on device").
 * Not the request's fault, and not a bug: the answer is 503, and this instance is not ready.
 */
export interface Shortage {
  sqlState: string;
  /** What is short, in words. */
  what: string;
}

const SHORT_OF: Record<string, string> = {
  '53100': 'disk space',
  '53200': 'memory',
  '53300': 'connections',
  '53400': 'a configured limit',
};

export function shortageOf(error: unknown): Shortage | null {
  const sqlState = (error as { code?: unknown } | null)?.code;
  if (typeof sqlState !== 'string' || !/^53[0-9A-Z]{3}$/.test(sqlState)) return null;
  return { sqlState, what: SHORT_OF[sqlState] ?? 'resources' };
}

/** How long readiness stays down after a shortage, unless a write goes through before. */
export const SHORTAGE_HOLD_MS = 30_000;

interface Seen {
  shortage: Shortage;
  at: number;
}

/**
 * Why this instance should get no traffic, or null: a shortage seen in the last `holdMs` and no
 * write through since. Once the hold is over, traffic comes back and shows whether it still lasts.
 */
export function shortageProblem(last: Seen | null, now: number, holdMs = SHORTAGE_HOLD_MS): string | null {
  if (!last || now - last.at >= holdMs) return null;
  return `the database refused a write for lack of ${last.shortage.what} (SQLSTATE ${last.shortage.sqlState}) ${Math.round((now - last.at) / 1000)} s ago`;
}

/** What the global filter saw the database run short of, for readiness. One per application. */
@Injectable()
export class ShortageMonitor {
  private last: Seen | null = null;

  noteShortage(shortage: Shortage): void {
    this.last = { shortage, at: Date.now() };
  }

  /** A write went through: the database has room again. */
  noteWrite(): void {
    this.last = null;
  }

  problem(): string | null {
    return shortageProblem(this.last, Date.now());
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A request that changes something and succeeds shows the database has room again. */
@Injectable()
export class WriteSeenInterceptor implements NestInterceptor {
  constructor(private readonly monitor: ShortageMonitor) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const unsafe = !SAFE_METHODS.has(context.switchToHttp().getRequest<Request>().method);
    return next.handle().pipe(tap(() => unsafe && this.monitor.noteWrite()));
  }
}
