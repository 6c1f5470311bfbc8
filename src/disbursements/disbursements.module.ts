import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module';
import { ApplicationTranchesController, TranchesController } from './disbursements.controller';
import { DisbursementsService } from './disbursements.service';

@Module({
  imports: [EngineModule],
  controllers: [TranchesController, ApplicationTranchesController],
  providers: [DisbursementsService],
})
export class DisbursementsModule {}
