import { Module, type OnModuleInit } from '@nestjs/common';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';
import { WorkflowEngine } from '../engine/engine.service';
import { callWorkflow } from './calls.workflow';

@Module({
  imports: [WorkflowHttpModule],
  controllers: [CallsController],
  providers: [CallsService],
  exports: [CallsService],
})
export class CallsModule implements OnModuleInit {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly calls: CallsService,
  ) {}

  /** The feature's one binding to the engine: see calls.workflow.ts. */
  onModuleInit(): void {
    this.engine.bind(callWorkflow(this.calls));
  }
}
