import {
  applyDecorators,
  CanActivate,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { AppConfig } from '../config/config';
import { IdentityService } from './identity.service';
import { crossSiteRefusal } from './same-origin';
import type { AuthenticatedUser } from '../common/authenticated-user';

const PUBLIC = 'identity:public';
const ROLES = 'identity:roles';
const CHECK_ORIGIN = 'identity:check-origin';

/** Where the API's documentation reads who may call a route (src/openapi.ts). */
export const DOC_PUBLIC = 'x-public';
export const DOC_ROLES = 'x-roles';

/** Marks a route that needs no token (health, docs). Everything else does. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC, true), ApiExtension(DOC_PUBLIC, true));

/** Limits a route to these roles; others get 403. */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES, roles), ApiExtension(DOC_ROLES, roles));

type AuthedRequest = Request & { user?: AuthenticatedUser };

/** The signed-in user of the request; only on routes behind the guard. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user) throw DomainError.because(ErrorCode.Unauthenticated, [{ key: 'auth.signIn', params: {} }]);
  return user;
});

/** The signed, HTTP-only cookie a browser's session travels in. */
export const SESSION_COOKIE = 'grants_session';

/** Signing in and out: origin-checked even without a session cookie, so no other site can sign a browser in or out. */
export const CheckOrigin = () => SetMetadata(CHECK_ORIGIN, true);

/**
 * Refuses, with CSRF_REFUSED, an unsafe request that rides on the session cookie (or signs in or
 * out) and may come from another site's page: the rule is `crossSiteRefusal`. Runs before AuthGuard.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  private readonly serviceOrigin: string;

  constructor(
    private readonly reflector: Reflector,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.serviceOrigin = new URL(config.BASE_URL).origin;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const cookies = [request.cookies, request.signedCookies] as (Record<string, unknown> | undefined)[];
    const one = (name: string) =>
      typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined;
    const refusal = crossSiteRefusal(
      {
        method: request.method,
        bearer: request.headers.authorization !== undefined,
        sessionCookie: cookies.some((c) => c?.[SESSION_COOKIE] !== undefined),
        alwaysChecked:
          this.reflector.getAllAndOverride<boolean>(CHECK_ORIGIN, [context.getHandler(), context.getClass()]) ?? false,
        secFetchSite: one('sec-fetch-site'),
        origin: one('origin'),
        referer: one('referer'),
        host: one('host'),
      },
      this.serviceOrigin,
    );
    // The sentence is the reader's; which header failed the check stays in English for whoever debugs the client.
    if (refusal) {
      const reasons = [{ key: 'auth.crossSite', params: { origin: this.serviceOrigin } }];
      throw DomainError.because(ErrorCode.CsrfRefused, reasons, { check: refusal });
    }
    return true;
  }
}

/** Every route needs a session (cookie or bearer) or an API token (bearer) unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization;
    const cookie = (request.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
    const token = header
      ? /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header)?.[1]
      : typeof cookie === 'string'
        ? cookie
        : undefined;
    if (!token)
      throw DomainError.because(ErrorCode.Unauthenticated, [
        { key: header ? 'auth.malformedToken' : 'auth.signIn', params: {} },
      ]);
    const user = await this.identity.authenticate(token);
    if (!user) throw DomainError.because(ErrorCode.Unauthenticated, [{ key: 'auth.unknownToken', params: {} }]);
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (roles && !roles.includes(user.role)) {
      const terms = roles.map((role) => `role.${role}`);
      throw DomainError.because(ErrorCode.Forbidden, [{ key: 'access.rolesOnly', params: { roles: { terms } } }]);
    }
    return true;
  }
}
