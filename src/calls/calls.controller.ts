import { AccessPolicy } from '../access/access.policy';
import { CsvResponse } from '../common/csv-response';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CREATE_CALL_EXAMPLES, CreateCallDto } from './dto/call.dto';
import { CurrentUser, Public, Roles } from '../identity/auth.guard';
import type { Response } from 'express';
import { WorkflowResources, WorkflowRoutes } from '../workflow-http/workflow-resource';
import { CALL_EVENTS } from './calls.events';
import { CallsService } from './calls.service';
import { CallView, OpenCallView } from './call.views';
import type { AuthenticatedUser } from '../common/authenticated-user';

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsController extends WorkflowRoutes(CALL_EVENTS) {
  constructor(
    resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    private readonly service: CallsService,
  ) {
    super(resources);
  }

  @Post()
  @Roles('manager')
  @ApiOperation({
    summary: 'Open a call in draft, in the manager’s programme (managers); PUBLISH makes it open for proposals',
  })
  @ApiBody({ type: CreateCallDto, examples: CREATE_CALL_EXAMPLES })
  @ApiCreatedResponse({ type: CallView, description: 'the new call, in draft' })
  async create(@Body() dto: CreateCallDto, @CurrentUser() user: AuthenticatedUser): Promise<CallView> {
    const id = await this.service.create(dto, user);
    return this.service.get(id, user.role);
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'The calls open for proposals now, then those published to open later (anyone, without an account)',
  })
  @ApiOkResponse({ type: [OpenCallView], description: 'open calls closing soonest first, then scheduled ones' })
  open(): Promise<OpenCallView[]> {
    return this.service.openCalls();
  }

  @Get(':id/applications.csv')
  @Roles('manager')
  @ApiOperation({
    summary:
      'The call’s applications as CSV (UTF-8), one row each, for the committee’s secretary (the programme’s managers)',
  })
  @CsvResponse(
    'a header row, then one row per application, by reference; sent as an attachment',
    'reference,title,group,municipality,oblast,state,requested,co-funding,currency,women,men,youth,summary,attachments,submitted at,contact,contact email\n' +
      'KG-2026-0007,Clean water for Kara-Suu school,Kara-Suu Initiative,Kara-Suu,Osh,submitted,2500.00,300.00,EUR,42,35,30,A new pump and pipes for the school,2,2026-04-02T06:15:00.000Z,Aibek Toktogulov,aibek@example.kg\n',
  )
  async csv(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthenticatedUser,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    await this.policy.act('call', id, user, 'GET /calls/:id/applications.csv');
    res.setHeader('Content-Disposition', `attachment; filename="applications-${id}.csv"`);
    return this.service.applicationsCsv(id);
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'One call with its terms (the programme’s staff and its committee; any signed-in user once it is published)',
  })
  @ApiOkResponse({
    type: CallView,
    description: '`allowedEvents` is empty for a caller who may only read the call',
  })
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<CallView> {
    return this.policy
      .see('call', id, user, 'GET /:id')
      .then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}
