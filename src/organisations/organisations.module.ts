import { Module } from '@nestjs/common';
import { CommitteeController, GroupsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Module({
  controllers: [GroupsController, CommitteeController],
  providers: [OrganisationsService],
  exports: [OrganisationsService],
})
export class OrganisationsModule {}
