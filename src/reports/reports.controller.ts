import { AccessPolicy } from '../access/access.policy';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { WorkflowResources, WorkflowRoutes } from '../workflow-http/workflow-resource';
import { REPORT_EVENTS } from './reports.events';
import { CurrentUser, Roles } from '../identity/auth.guard';
import { CREATE_REPORT_EXAMPLES, CreateReportDto } from './dto/report.dto';
import { ReportsService } from './reports.service';
import { ReportView } from './report.views';
import type { AuthenticatedUser } from '../common/authenticated-user';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController extends WorkflowRoutes(REPORT_EVENTS) {
  constructor(
    resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    private readonly service: ReportsService,
  ) {
    super(resources);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One report (the application’s group and the programme’s staff)' })
  @ApiOkResponse({
    type: ReportView,
    description: '`allowedEvents` is empty for a caller who may only read the report',
  })
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<ReportView> {
    return this.policy
      .see('report', id, user, 'GET /:id')
      .then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('applications/:applicationId/reports')
export class ApplicationReportsController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly service: ReportsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The application’s reports, oldest first (its group and the programme’s staff)' })
  @ApiOkResponse({ type: [ReportView], description: 'oldest first; empty before the first is scheduled' })
  async list(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ReportView[]> {
    await this.policy.seeBelow('report', applicationId, user, 'GET /applications/:applicationId/reports');
    return this.service.list(applicationId, user.role);
  }

  @Post()
  @Roles('manager')
  @ApiOperation({
    summary:
      'Schedule an interim or final report the application’s group owes (the programme’s managers); timers make it due, then overdue',
  })
  @ApiBody({ type: CreateReportDto, examples: CREATE_REPORT_EXAMPLES })
  @ApiCreatedResponse({ type: ReportView, description: 'the new report, scheduled' })
  async create(
    @Param('applicationId', new ParseUUIDPipe()) applicationId: string,
    @Body() dto: CreateReportDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ReportView> {
    await this.policy.act('application', applicationId, user, 'POST /applications/:applicationId/reports');
    const id = await this.service.create(applicationId, dto, { id: user.id, role: user.role });
    return this.service.get(id, user.role);
  }
}
