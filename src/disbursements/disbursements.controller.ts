import { AccessPolicy } from '../access/access.policy';
import { CsvResponse } from '../common/csv-response';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { WorkflowResources, WorkflowRoutes } from '../workflow-http/workflow-resource';
import { DISBURSEMENT_EVENTS } from './disbursements.events';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { DisbursementsService } from './disbursements.service';
import { FinanceQueueItem, TrancheView } from './tranche.views';
import { CREATE_TRANCHE_EXAMPLES, CreateTrancheDto } from './dto/tranche.dto';
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
  @ApiOperation({ summary: 'One tranche (the application’s group, and the programme’s managers and finance officers)' })
  @ApiOkResponse({
    type: TrancheView,
    description: '`allowedEvents` is empty for a caller who may only read the tranche',
  })
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<TrancheView> {
    return this.policy
      .see('tranche', id, user, 'GET /:id')
      .then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}

/** A call's payments, for its programme's managers and finance officers. */
@ApiTags('disbursements')
@ApiBearerAuth()
@Controller('calls/:callId')
export class CallPaymentsController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly service: DisbursementsService,
  ) {}

  @Get('payments.csv')
  @Roles('manager', 'finance')
  @ApiOperation({
    summary:
      'The call’s tranches as CSV (UTF-8 with a byte-order mark), one row each: the grant, the tranche, its state, approvals and payment (the programme’s managers and finance officers)',
  })
  @CsvResponse(
    'a header row, then one row per tranche, by application and in the plan’s order; sent as an attachment',
    'reference,project,group,municipality,tranche,release,amount,currency,state,approvals,payment reference,paid on\n' +
      'KG-2026-0007,Clean water for Zhazy school,Zhazy parents’ committee,Zhazy,1,on_acceptance,1750.00,EUR,paid,2/2,KICB-2027-000418,2027-02-01\n',
  )
  async payments(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    await this.policy.act('call', callId, user, 'GET /calls/:callId/payments.csv');
    res.setHeader('Content-Disposition', `attachment; filename="payments-${callId}.csv"`);
    return this.service.paymentsCsv(callId);
  }
}

/** What waits for a finance officer. */
@ApiTags('disbursements')
@ApiBearerAuth()
@Controller('finance')
export class FinanceController {
  constructor(private readonly service: DisbursementsService) {}

  @Get('queue')
  @Roles('finance')
  @ApiOperation({
    summary:
      'The tranches of the programme waiting for this finance officer, longest waiting first: not those they asked for or have approved already (the programme’s finance officers)',
  })
  @ApiOkResponse({ type: [FinanceQueueItem], description: 'longest waiting first; empty when nothing waits' })
  queue(@CurrentUser() user: AuthenticatedUser): Promise<FinanceQueueItem[]> {
    return this.service.queue(user);
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

  @Get()
  @ApiOperation({ summary: 'The application’s tranches, oldest first (its group and the programme’s staff)' })
  @ApiOkResponse({ type: [TrancheView], description: 'oldest first; empty before the first is scheduled' })
  async list(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<TrancheView[]> {
    await this.policy.seeBelow('tranche', applicationId, user, 'GET /applications/:applicationId/tranches');
    return this.service.list(applicationId, user.role);
  }

  @Post()
  @Roles('manager')
  @ApiOperation({
    summary: 'Schedule a tranche of an awarded grant (the programme’s managers); REQUEST sends it to finance',
  })
  @ApiBody({ type: CreateTrancheDto, examples: CREATE_TRANCHE_EXAMPLES })
  @ApiCreatedResponse({ type: TrancheView, description: 'the new tranche, scheduled' })
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
