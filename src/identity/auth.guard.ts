import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { IdentityService, type AuthenticatedUser } from './identity.service';

const PUBLIC = 'identity:public';
const ROLES = 'identity:roles';

/** Marks a route that needs no token (health, docs). Everything else does. */
export const Public = () => SetMetadata(PUBLIC, true);

/** Limits a route to these roles; others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

type AuthedRequest = Request & { user?: AuthenticatedUser };

/** The signed-in user of the request; only on routes behind the guard. */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthenticatedUser => {
  const user = ctx.switchToHttp().getRequest<AuthedRequest>().user;
  if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'sign in first');
  return user;
});

/** The signed, HTTP-only cookie a browser's session travels in. */
export const SESSION_COOKIE = 'grants_session';

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
    const token = header ? /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header)?.[1] : typeof cookie === 'string' ? cookie : undefined;
    if (!token) throw new DomainError(ErrorCode.Unauthenticated, header ? 'malformed bearer token' : 'sign in first: no session and no token');
    const user = await this.identity.authenticate(token);
    if (!user) throw new DomainError(ErrorCode.Unauthenticated, 'unknown, expired or revoked token or session');
    request.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(user.role)) {
      throw new DomainError(ErrorCode.Forbidden, `this needs one of the roles: ${roles.join(', ')}`);
    }
    return true;
  }
}
