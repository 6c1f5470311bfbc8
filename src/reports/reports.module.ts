import { Module, type OnModuleInit } from '@nestjs/common';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { ApplicationReportsController, ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';
import { WorkflowEngine } from '../engine/engine.service';
import { REPORT_WORKFLOW } from './reports.workflow';

@Module({
  imports: [WorkflowHttpModule],
  controllers: [ReportsController, ApplicationReportsController],
  providers: [ReportsService],
})
export class ReportsModule implements OnModuleInit {
  constructor(private readonly engine: WorkflowEngine) {}

  /** The feature's one binding to the engine: see reports.workflow.ts. */
  onModuleInit(): void {
    this.engine.bind(REPORT_WORKFLOW);
  }
}
