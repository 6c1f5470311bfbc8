import { applyDecorators } from '@nestjs/common';
import { ApiCreatedResponse, ApiSeeOtherResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { localPath } from '../common/local-path';
import { SESSION_COOKIE } from './auth.guard';
import { SessionGrant } from './identity.views';

/**
 * The page a reader was sent to sign in from (`/sign-in?next=...`), kept while the emailed link is
 * on its way, so that signing in in the same browser brings them back to it.
 */
export const NEXT_COOKIE = 'grants_next';

/**
 * Hands a new session to whoever signed in: a signed, HTTP-only cookie, and the same session as a
 * bearer token in a 201 answer for API clients; a browser's form post is sent on to the page it was sent to sign in from, else to `/home` (the reader’s page).
 */
/** The two answers of a route that ends in grantSession(), for the API's documentation; `who` signed in. */
export function ApiSessionGranted(who: string) {
  return applyDecorators(
    ApiCreatedResponse({ type: SessionGrant, description: `${who}, signed in; the session cookie is set` }),
    ApiSeeOtherResponse({
      headers: {
        Location: { description: 'where the browser goes next', schema: { type: 'string', example: '/home' } },
      },
      description:
        'from a form post (application/x-www-form-urlencoded): the session cookie is set and the browser sent on to the page it was sent to sign in from, else to /home, its home page',
    }),
  );
}

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
    const next = (req.cookies as Record<string, unknown> | undefined)?.[NEXT_COOKIE];
    res.clearCookie(NEXT_COOKIE, { path: '/' });
    res.redirect(303, localPath(next, '/home'));
    return undefined;
  }
  res.status(201);
  return grant;
}
