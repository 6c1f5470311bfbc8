import { createHash } from 'node:crypto';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { doubleCsrf } from 'csrf-csrf';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/config';
import { SESSION_COOKIE } from '../identity/auth.guard';
import { IdentityService } from '../identity/identity.service';
import { ServiceSecret } from '../identity/secret';
import { Pages, type PageLocals } from './pages';

/** The cookie that holds the other half of each form's anti-forgery token. */
export const CSRF_COOKIE = 'grants_csrf';
/** The hidden field every page form sends its token in. */
export const CSRF_FIELD = '_csrf';

// Pages load nothing from elsewhere and run no inline script: GOV.UK Frontend's own script and
// ours are files under /assets. Forms post only to this service, and no other site may frame a page.
const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
  crossOriginEmbedderPolicy: false,
});

/**
 * Runs before every page route: marks the request as a page's (so a refusal is a page), finds the
 * signed-in reader if any (public pages greet them too), picks the language, sets the security
 * headers, and checks the anti-forgery token of every form post.
 */
@Injectable()
export class PageContext implements NestMiddleware {
  private readonly csrf: ReturnType<typeof doubleCsrf>;

  constructor(
    private readonly pages: Pages,
    private readonly identity: IdentityService,
    secret: ServiceSecret,
    @Inject(AppConfig) config: AppConfig,
  ) {
    const key = createHash('sha256').update('pages csrf').update(secret.key).digest('hex');
    this.csrf = doubleCsrf({
      getSecret: () => key,
      // A form is tied to the session it was shown in; a visitor's (signing in) to none.
      getSessionIdentifier: (req) => {
        const session = (req.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
        return typeof session === 'string' ? createHash('sha256').update(session).digest('hex') : '';
      },
      cookieName: CSRF_COOKIE,
      cookieOptions: { sameSite: 'lax', path: '/', secure: config.BASE_URL.startsWith('https:'), httpOnly: true },
      // A file upload's token is in its form's address: its multipart body is read after this check.
      getCsrfTokenFromRequest: (req) =>
        (req.is('multipart/form-data')
          ? (req.query as Record<string, unknown>)[CSRF_FIELD]
          : (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD]) as string,
    });
  }

  use(request: Request, response: Response, next: NextFunction): void {
    securityHeaders(request, response, () => {
      this.prepare(request, response).then(next, next);
    });
  }

  private async prepare(request: Request, response: Response): Promise<void> {
    const session = (request.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    const user = typeof session === 'string' ? await this.identity.authenticate(session) : null;
    const locals = response.locals as PageLocals;
    locals.page = true;
    locals.user = user;
    locals.locale = this.pages.localeOf(request, user);
    if (!['GET', 'HEAD'].includes(request.method) && !this.csrf.validateRequest(request)) {
      throw DomainError.because(ErrorCode.CsrfRefused, [{ key: 'web.formExpired', params: {} }]);
    }
    locals.csrfToken = this.csrf.generateCsrfToken(request, response, { overwrite: false });
  }
}
