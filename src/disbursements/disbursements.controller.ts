import { AccessPolicy } from '../access/access.policy';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { WorkflowResources, WorkflowRoutes } from '../workflow-http/workflow-resource';
import { DISBURSEMENT_EVENTS } from './disbursements.events';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { DisbursementsService, type TrancheView } from './disbursements.service';
import { CreateTrancheDto } from './dto/tranche.dto';
import type { AuthenticatedUser } from '../common/authenticated-user';

@ApiTags('disbursements')
@ApiBearerAuth()
@Controller('tranches')
export class TranchesController extends WorkflowRoutes(DISBURSEMENT_EVENTS) {
  constructor(
    resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    private readonly service: DisbursementsService,
  ) {
    super(resources);
  }

  @Get(':id')
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<TrancheView> {
    return this.policy
      .see('tranche', id, user, 'GET /:id')
      .then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}

@ApiTags('disbursements')
@ApiBearerAuth()
@Controller('applications/:applicationId/tranches')
export class ApplicationTranchesController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly service: DisbursementsService,
  ) {}

  /** The application's tranches, oldest first: for its group and the programme's staff. */
  @Get()
  async list(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<TrancheView[]> {
    await this.policy.seeBelow('tranche', applicationId, user, 'GET /applications/:applicationId/tranches');
    return this.service.list(applicationId, user.role);
  }

  /** Schedules a tranche of an awarded grant. */
  @Post()
  @Roles('manager')
  async create(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() dto: CreateTrancheDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<TrancheView> {
    await this.policy.act('application', applicationId, user, 'POST /applications/:applicationId/tranches');
    const id = await this.service.create(applicationId, dto, { id: user.id, role: user.role });
    return this.service.get(id, user.role);
  }
}
