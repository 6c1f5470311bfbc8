import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { PGlite } from '@electric-sql/pglite';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { Orm } from './database';

export const PGLITE = Symbol('PGLITE');

/**
 * Provides the MikroORM instance opened by the caller (main.ts, the CLI or a test) and closes it,
 * and the embedded database under it, when the application shuts down.
 */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  private readonly logger = new Logger('database');

  constructor(
    private readonly orm: MikroORM,
    @Inject(PGLITE) private readonly pglite: PGlite | null,
  ) {}

  static forOrm(orm: Orm, pglite: PGlite | null): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: MikroORM, useValue: orm },
        { provide: EntityManager, useFactory: () => orm.em },
        { provide: PGLITE, useValue: pglite },
      ],
      exports: [MikroORM, EntityManager, PGLITE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.orm.close(true);
    if (this.pglite && !this.pglite.closed) await this.pglite.close();
    this.logger.log('database closed');
  }
}
