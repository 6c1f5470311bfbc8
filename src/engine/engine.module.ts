import { Module, type OnModuleInit } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/core';
import { WorkflowEngine } from './engine.service';
import { WorkflowRegistry } from './registry';
import { TimerScheduler } from './timer.scheduler';

export class UnloadableWorkflowsError extends Error {}

@Module({
  providers: [WorkflowRegistry, WorkflowEngine, TimerScheduler],
  exports: [WorkflowRegistry, WorkflowEngine, TimerScheduler],
})
export class EngineModule implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly registry: WorkflowRegistry,
  ) {}

  /** Refuses to start when a persisted instance was written by a machine version this build cannot load. */
  async onModuleInit(): Promise<void> {
    const persisted = await this.orm.em
      .getConnection()
      .execute<{ machine_id: string; machine_version: number }[]>(
        'select distinct machine_id, machine_version from workflow_instance',
      );
    const problems = this.registry.unloadable(
      persisted.map((r: { machine_id: string; machine_version: number }) => ({
        machineId: r.machine_id,
        machineVersion: r.machine_version,
      })),
    );
    if (problems.length > 0) {
      throw new UnloadableWorkflowsError(
        `refusing to start: persisted workflow instances need machine versions this build cannot load: ${problems.join('; ')}. ` +
          'Deploy a build that ships a snapshot migration for them.',
      );
    }
  }
}
