import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module';
import { WorkflowResources } from './workflow-resource';
import { WorkflowsController } from './workflows.controller';

/**
 * The HTTP side of the workflows, above the engine, access and identity: the routes every
 * workflow-backed resource shares and GET /workflows. A feature module imports this one; it
 * re-exports the engine.
 */
@Module({
  imports: [EngineModule],
  controllers: [WorkflowsController],
  providers: [WorkflowResources],
  exports: [EngineModule, WorkflowResources],
})
export class WorkflowHttpModule {}
