import type { Request, Response } from 'express';
import { SESSION_COOKIE } from './auth.guard';
import type { SessionGrant } from './sign-in.service';

/**
 * Hands a new session to whoever signed in: a signed, HTTP-only cookie, and the same session as a
 * bearer token in a 201 answer for API clients; a browser's form post is sent on to `/me` instead.
 */
export function grantSession(
  req: Request,
  res: Response,
  grant: SessionGrant,
  baseUrl: string,
): SessionGrant | undefined {
  res.cookie(SESSION_COOKIE, grant.token, {
    signed: true,
    httpOnly: true,
    sameSite: 'lax',
    secure: baseUrl.startsWith('https:'),
    expires: new Date(grant.expiresAt),
    path: '/',
  });
  if (req.is('application/x-www-form-urlencoded')) {
    res.redirect(303, '/me');
    return undefined;
  }
  res.status(201);
  return grant;
}
