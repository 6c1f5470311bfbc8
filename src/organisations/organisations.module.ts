import { Module } from '@nestjs/common';
import { CommitteeController, GroupsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Module({
  controllers: [GroupsController, CommitteeController],
  providers: [OrganisationsService],
})
export class OrganisationsModule {}
