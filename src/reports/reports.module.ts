import { Module } from '@nestjs/common';
import { WorkflowHttpModule } from '../workflow-http/workflow-http.module';
import { ApplicationReportsController, ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

@Module({
  imports: [WorkflowHttpModule],
  controllers: [ReportsController, ApplicationReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}
