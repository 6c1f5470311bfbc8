import { createHash, randomBytes } from 'node:crypto';

/** A new API token: 256 random bits, prefixed so a leaked one is recognisable. */
export function generateToken(): string {
  return `gwe_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
