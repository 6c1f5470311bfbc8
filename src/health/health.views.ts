import { ApiProperty, ApiPropertyOptional, getSchemaPath, type ApiPropertyOptions } from '@nestjs/swagger';

/** One check of a health answer. */
export class HealthIndicatorView {
  @ApiProperty({ enum: ['up', 'down'], example: 'down' })
  status!: 'up' | 'down';

  @ApiPropertyOptional({
    description: 'why a check is down: the database’s error, or the write it refused and when',
    example: 'the database refused a write for lack of disk space (SQLSTATE 53100) 12 s ago',
  })
  message?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'the `migrations` check: the migrations not yet applied',
    example: ['Migration20261201040000_title_search_icu'],
  })
  pending?: string[];
}

// Checks by name: `database`, `migrations` and `writes` for readiness, none for liveness.
const checks = (description: string, example: Record<string, HealthIndicatorView>): ApiPropertyOptions => ({
  type: 'object' as const,
  additionalProperties: { $ref: getSchemaPath(HealthIndicatorView) },
  description,
  example,
});

/** Terminus's answer to a health check: the state of each check, grouped by whether it is up. */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'], description: '`ok` with 200, else 503', example: 'error' })
  status!: 'ok' | 'error' | 'shutting_down';

  @ApiProperty(checks('the checks that are up', { database: { status: 'up' }, migrations: { status: 'up' } }))
  info!: Record<string, HealthIndicatorView>;

  @ApiProperty(
    checks('the checks that are down', {
      writes: {
        status: 'down',
        message: 'the database refused a write for lack of disk space (SQLSTATE 53100) 12 s ago',
      },
    }),
  )
  error!: Record<string, HealthIndicatorView>;

  @ApiProperty(
    checks('every check', {
      database: { status: 'up' },
      migrations: { status: 'up' },
      writes: {
        status: 'down',
        message: 'the database refused a write for lack of disk space (SQLSTATE 53100) 12 s ago',
      },
    }),
  )
  details!: Record<string, HealthIndicatorView>;
}
