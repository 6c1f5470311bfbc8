import { Module } from '@nestjs/common';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { ApplicationTranchesController, TranchesController } from './disbursements.controller';
import { DisbursementsService } from './disbursements.service';

@Module({
  imports: [WorkflowHttpModule],
  controllers: [TranchesController, ApplicationTranchesController],
  providers: [DisbursementsService],
})
export class DisbursementsModule {}
