import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import { Public } from '../identity/auth.guard';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly orm: MikroORM,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: the database answers and every migration is applied. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      async () => {
        const session = this.indicators.check('database');
        try {
          await this.orm.em.getConnection().execute('select 1');
          return session.up();
        } catch (error) {
          return session.down({ message: error instanceof Error ? error.message : 'unreachable' });
        }
      },
      async () => {
        const session = this.indicators.check('migrations');
        const pending = await this.orm.migrator.getPending();
        return pending.length === 0 ? session.up() : session.down({ pending: pending.map((m) => m.name) });
      },
    ]);
  }
}
