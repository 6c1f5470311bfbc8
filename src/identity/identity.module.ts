import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { AppConfig } from '../config/config';
import { AuthController, LoggedThrottlerGuard } from './auth.controller';
import { AuthGuard, SameOriginGuard } from './auth.guard';
import { IdentityService } from './identity.service';
import { MeController } from './me.controller';
import { ServiceSecret } from './secret';
import { SetupController } from './setup.controller';
import { SetupService } from './setup.service';
import { SignInService } from './sign-in.service';
import { UsersController } from './users.controller';

const WINDOW_MS = 15 * 60_000;

@Global()
@Module({
  imports: [
    // Only the sign-in routes are limited (their controller uses the guard): per address and per IP.
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [
        { name: 'ip', ttl: WINDOW_MS, limit: config.SIGN_IN_LIMIT_PER_IP },
        {
          name: 'email',
          ttl: WINDOW_MS,
          limit: config.SIGN_IN_LIMIT_PER_EMAIL,
          getTracker: (req: Record<string, unknown>) => {
            const email = ((req as unknown as Request).body as { email?: unknown } | undefined)?.email;
            return typeof email === 'string' ? email.trim().toLowerCase() : 'none';
          },
        },
      ],
    }),
  ],
  controllers: [MeController, AuthController, UsersController, SetupController],
  providers: [
    IdentityService,
    SignInService,
    SetupService,
    LoggedThrottlerGuard,
    { provide: ServiceSecret, useFactory: (config: AppConfig) => new ServiceSecret(config), inject: [AppConfig] },
    // in this order: a forged request is refused before anything looks at its session
    { provide: APP_GUARD, useClass: SameOriginGuard },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [IdentityService, SignInService, ServiceSecret, SetupService],
})
export class IdentityModule {}
