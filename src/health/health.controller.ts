import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import { Public } from '../identity/auth.guard';
import { ShortageMonitor } from '../common/database-shortage';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly orm: MikroORM,
    private readonly shortages: ShortageMonitor,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Readiness: the database answers, every migration is applied, and the database has not just
   * refused a write for lack of disk, memory or connections. Not ready is 503 with each check's state.
   */
  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthCheckResult | string | object> {
    try {
      return await this.health.check([
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
        () => {
          const session = this.indicators.check('writes');
          const problem = this.shortages.problem();
          return problem ? session.down({ message: problem }) : session.up();
        },
      ]);
    } catch (error) {
      // Terminus's own answer, which says which check is down, rather than the filter's generic one.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse();
    }
  }
}
