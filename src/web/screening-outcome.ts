import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { BatchOutcome } from '../applications/application.views';

/** What the screening page shows of one decision after the redirect: the state reached, or why it was refused. */
export type ShownOutcome = { id: string; reference: string | null } & ({ state: string } | { refused: string });

/**
 * The outcomes of a bulk decision, carried to the page the form redirects to in its address:
 * compressed and signed for the reader and the call, so that a link can show only what the service
 * itself decided for that reader. Nothing is kept on the server, whichever machine answers the GET.
 */
export class OutcomeSeal {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHash('sha256').update('screening outcome').update(secret).digest();
  }

  /** `references`: the applications' references by id, for those the page no longer lists. */
  seal(results: BatchOutcome[], references: Map<string, string>, userId: string, callId: string): string {
    const shown: ShownOutcome[] = results.map((r) => {
      const named = { id: r.applicationId, reference: references.get(r.applicationId) ?? null };
      return r.ok ? { ...named, state: r.state ?? '' } : { ...named, refused: r.error?.message ?? '' };
    });
    const body = deflateRawSync(Buffer.from(JSON.stringify(shown), 'utf8')).toString('base64url');
    return `${body}.${this.mac(body, userId, callId)}`;
  }

  /** The outcomes sealed for this reader and call; null for anything else (altered, another's, malformed). */
  open(sealed: unknown, userId: string, callId: string): ShownOutcome[] | null {
    if (typeof sealed !== 'string') return null;
    const [body, mac, extra] = sealed.split('.');
    if (!body || !mac || extra !== undefined) return null;
    const expected = Buffer.from(this.mac(body, userId, callId), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const shown = JSON.parse(inflateRawSync(Buffer.from(body, 'base64url')).toString('utf8')) as unknown;
      return Array.isArray(shown) ? (shown as ShownOutcome[]) : null;
    } catch {
      return null;
    }
  }

  private mac(body: string, userId: string, callId: string): string {
    return createHmac('sha256', this.key).update(`${userId}\n${callId}\n${body}`).digest('base64url');
  }
}
