import { Module, type OnModuleInit } from '@nestjs/common';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import {
  ApplicationTranchesController,
  CallPaymentsController,
  FinanceController,
  TranchesController,
} from './disbursements.controller';
import { DisbursementsService } from './disbursements.service';
import { WorkflowEngine } from '../engine/engine.service';
import { disbursementWorkflow } from './disbursements.workflow';

@Module({
  imports: [WorkflowHttpModule],
  controllers: [TranchesController, ApplicationTranchesController, FinanceController, CallPaymentsController],
  providers: [DisbursementsService],
  exports: [DisbursementsService],
})
export class DisbursementsModule implements OnModuleInit {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly disbursements: DisbursementsService,
  ) {}

  /** The feature's one binding to the engine: see disbursements.workflow.ts. */
  onModuleInit(): void {
    this.engine.bind(disbursementWorkflow(this.disbursements));
  }
}
