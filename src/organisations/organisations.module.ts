import { Module } from '@nestjs/common';
import { CommitteeController, ConflictController, GroupsController } from './organisations.controller';
import { OrganisationsService } from './organisations.service';

@Module({
  controllers: [GroupsController, CommitteeController, ConflictController],
  providers: [OrganisationsService],
})
export class OrganisationsModule {}
