import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module';
import { ApplicationsController, CallApplicationsController } from './applications.controller';
import { ApplicationsService } from './applications.service';

@Module({
  imports: [EngineModule],
  controllers: [ApplicationsController, CallApplicationsController],
  providers: [ApplicationsService],
})
export class ApplicationsModule {}
