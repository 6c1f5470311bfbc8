import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A new API token: 256 random bits, prefixed so a leaked one is recognisable. */
export function generateToken(): string {
  return `gwe_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Session tokens carry their own prefix, so a lookup goes to the right table. */
export const SESSION_PREFIX = 'gws_';

/** A new session token: 256 random bits. */
export function generateSessionToken(): string {
  return `${SESSION_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * A sign-in link's token, derived from its id with the service's secret: the database holds only
 * its hash, and the queued email only the link's id, so neither can be used to sign in.
 */
export function linkToken(secret: Buffer, linkId: string): string {
  return `gwl_${createHmac('sha256', secret).update(`login-link:${linkId}`).digest('base64url')}`;
}
