import { AccessPolicy } from '../access/access.policy';
import { Body, Controller, Get, Header, Param, ParseUUIDPipe, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CreateCallDto } from './dto/call.dto';
import { CurrentUser, Public, Roles } from '../identity/auth.guard';
import type { Response } from 'express';
import { WorkflowResources, WorkflowRoutes } from '../workflow-http/workflow-resource';
import { CALL_EVENTS } from './calls.events';
import { CallsService, type CallView, type OpenCallView } from './calls.service';
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

  /** Opens a call in draft; PUBLISH makes it open for proposals. */
  @Post()
  @Roles('manager')
  async create(@Body() dto: CreateCallDto, @CurrentUser() user: AuthenticatedUser): Promise<CallView> {
    const id = await this.service.create(dto, user);
    return this.service.get(id, user.role);
  }

  /** The calls open for proposals now: public, so that groups find them without an account. */
  @Get()
  @Public()
  open(): Promise<OpenCallView[]> {
    return this.service.openCalls();
  }

  /** The call's applications as CSV (UTF-8), one row each, for the committee's secretary. */
  @Get(':id/applications.csv')
  @Roles('manager')
  @Header('Content-Type', 'text/csv; charset=utf-8')
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
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<CallView> {
    return this.policy
      .see('call', id, user, 'GET /:id')
      .then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}
