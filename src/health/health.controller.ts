import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { Response } from 'express';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { MikroORM } from '@mikro-orm/core';
import { Public } from '../identity/auth.guard';
import { ShortageMonitor } from '../common/database-shortage';
import { HealthIndicatorView, HealthView } from './health.views';

@ApiTags('health')
@ApiExtraModels(HealthIndicatorView)
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly orm: MikroORM,
    private readonly shortages: ShortageMonitor,
  ) {}

  // Terminus's own documentation of the answers is generic (its examples name Redis); ours names our checks.
  @Get()
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the process answers (anyone)' })
  @ApiOkResponse({ type: HealthView, description: 'the process is up; liveness has no checks, so its maps are empty' })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness (anyone): the database answers, every migration is applied, and writes are not being refused',
    description:
      'Not ready is 503 with each check’s state: `database`, `migrations` (with the pending ones), and `writes` (down when the database has just refused a write for lack of disk, memory or connections).',
  })
  @ApiOkResponse({ type: HealthView, description: 'ready: every check is up' })
  @ApiServiceUnavailableResponse({ type: HealthView, description: 'not ready: `error` names the checks that are down' })
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
