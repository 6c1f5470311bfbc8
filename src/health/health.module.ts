import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ShortageMonitor, WriteSeenInterceptor } from '../common/database-shortage';
import { HealthController } from './health.controller';

/** Liveness and readiness; readiness also reflects the database running short (see common/database-shortage.ts). */
@Module({
  imports: [TerminusModule],
  controllers: [HealthController],
  providers: [ShortageMonitor, { provide: APP_INTERCEPTOR, useClass: WriteSeenInterceptor }],
  exports: [ShortageMonitor],
})
export class HealthModule {}
