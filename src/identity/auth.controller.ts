import {
  Body,
  Controller,
  HttpCode,
  Logger,
  Post,
  Req,
  Res,
  UseGuards,
  Injectable,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { IsEmail, IsString, Matches, MaxLength } from 'class-validator';
import type { Request, Response } from 'express';
import { Inject } from '@nestjs/common';
import { AppConfig } from '../config/config';
import { CheckOrigin, CurrentUser, Public, SESSION_COOKIE } from './auth.guard';
import { SignInService } from './sign-in.service';
import { SIGN_IN_LINK_SENT, SignInLinkSentView, type SessionGrant } from './identity.views';
import { ApiSessionGranted, grantSession } from './session-grant';
import type { AuthenticatedUser } from '../common/authenticated-user';
import type { BodyExamples } from '../common/dto';

export class LoginLinkDto {
  @IsEmail()
  @MaxLength(320)
  email!: string;
}

export class SessionDto {
  @IsString()
  @Matches(/^gwl_[A-Za-z0-9_-]{20,100}$/, { message: 'token must be the token from a sign-in link' })
  token!: string;
}

const LOGIN_LINK_EXAMPLES: BodyExamples<LoginLinkDto> = {
  email: {
    summary: 'Ask for a link at the address the account was made with',
    value: { email: 'aigul.toktogulova@example.org' },
  },
};

const SESSION_EXAMPLES: BodyExamples<SessionDto> = {
  linkToken: {
    summary: 'The token of the link in the email, after /auth/sign-in?token=',
    value: { token: 'gwl_7Xw1R2ItMf80JBKFUaCVuKG05GZcQXW1y02sNs7k7C8' },
  },
};

/** Rate limits that also leave a line in the log, so repeated attempts can be seen. */
@Injectable()
export class LoggedThrottlerGuard extends ThrottlerGuard {
  private readonly attempts = new Logger('sign-in');

  protected override throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context.switchToHttp().getRequest<Request>();
    this.attempts.warn(
      { ip: req.ip, route: req.path, limit: detail.limit, ttlMs: detail.ttl },
      'too many sign-in attempts',
    );
    return super.throwThrottlingException(context, detail);
  }
}

@ApiTags('auth')
@Controller('auth')
@UseGuards(LoggedThrottlerGuard)
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  @Post('login-link')
  @Public()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a one-time sign-in link (anyone); the answer is the same whether or not the address is known',
  })
  @ApiBody({ type: LoginLinkDto, examples: LOGIN_LINK_EXAMPLES })
  @ApiAcceptedResponse({ type: SignInLinkSentView, description: 'the same answer for every address' })
  async loginLink(@Body() dto: LoginLinkDto, @Req() req: Request): Promise<SignInLinkSentView> {
    await this.signIn.requestLink(dto.email, req.ip);
    return SIGN_IN_LINK_SENT;
  }

  @Post('session')
  @Public()
  @ApiOperation({
    summary: 'Exchange a sign-in link’s token for a session (anyone with the link’s token); it works once',
    description:
      'Sets a signed, HTTP-only session cookie, and answers the same session as a bearer token for API clients. The sign-in page’s form post (application/x-www-form-urlencoded) is sent on to `/home`, the reader’s page, instead.',
  })
  @ApiBody({ type: SessionDto, examples: SESSION_EXAMPLES })
  @ApiSessionGranted('the link’s owner')
  @CheckOrigin()
  @SkipThrottle({ email: true })
  async session(
    @Body() dto: SessionDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionGrant | void> {
    const grant = await this.signIn.exchange(dto.token, req.ip);
    return grantSession(req, res, grant, this.config.BASE_URL);
  }

  @Post('logout')
  @ApiOperation({ summary: 'End the caller’s session, cookie or bearer, and clear the cookie (any signed-in user)' })
  @ApiNoContentResponse({ description: 'signed out' })
  @CheckOrigin()
  @SkipThrottle({ email: true, ip: true })
  @HttpCode(204)
  async logout(
    @CurrentUser() _user: AuthenticatedUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const token = sessionTokenOf(req);
    if (token) await this.signIn.endSession(token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
  }
}

/** The session token a request signed in with, from the bearer header or the signed cookie. */
function sessionTokenOf(req: Request): string | undefined {
  const bearer = /^Bearer (gws_[A-Za-z0-9_-]+)$/.exec(req.headers.authorization ?? '')?.[1];
  const cookie = (req.signedCookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return bearer ?? (typeof cookie === 'string' ? cookie : undefined);
}
