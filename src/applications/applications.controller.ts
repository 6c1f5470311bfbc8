import { AccessPolicy } from '../access/access.policy';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EntityManager } from '@mikro-orm/core';
import { NoPayloadEventDto, ReasonEventDto } from '../common/dto';
import type { EventInput } from '../engine/engine.service';
import { WorkflowResources, WorkflowRoutes, type EventContract } from '../engine/workflow-resource';
import { CurrentUser, Roles } from '../identity/auth.guard';
import type { AuthenticatedUser } from '../identity/identity.service';
import { ApplicationsService, type ApplicationSummary, type ApplicationView, type StatusView } from './applications.service';
import { LOCALES, type Locale } from '../identity/identity.entities';
import {
  AwardEventDto,
  CreateApplicationDto,
  OptionalReasonEventDto,
  RequestInfoEventDto,
  ResubmitEventDto,
  ScreenEventDto,
  UpdateDraftEventDto,
} from './dto/application.dto';

export const APPLICATION_EVENTS: EventContract = {
  machineId: 'application',
  subjectType: 'application',
  resource: 'applications',
  dtos: {
    UPDATE_DRAFT: UpdateDraftEventDto,
    SUBMIT: NoPayloadEventDto,
    REQUEST_INFO: RequestInfoEventDto,
    RESUBMIT: ResubmitEventDto,
    SCREEN: ScreenEventDto,
    AWARD: AwardEventDto,
    REJECT: ReasonEventDto,
    WAITLIST: NoPayloadEventDto,
    ACCEPT_AWARD: NoPayloadEventDto,
    DECLINE_AWARD: OptionalReasonEventDto,
    FINAL_REPORT_DUE: NoPayloadEventDto,
    CLOSE: NoPayloadEventDto,
    TERMINATE: ReasonEventDto,
    WITHDRAW: ReasonEventDto,
  },
};

export class StatusQuery {
  /** The reader's own language unless another is asked for. */
  @IsOptional() @IsIn(LOCALES)
  locale?: Locale;
}

export class ListApplicationsQuery {
  @IsOptional() @IsUUID()
  callId?: string;
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('applications')
export class ApplicationsController extends WorkflowRoutes(APPLICATION_EVENTS) {
  constructor(
    resources: WorkflowResources,
    private readonly policy: AccessPolicy,
    private readonly service: ApplicationsService,
  ) {
    super(resources);
  }

  protected override toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    return this.service.toEvent(type, dto, em, id);
  }

  /** The applications the caller may see (a group member: their group's), newest first. */
  @Get()
  list(@Query() query: ListApplicationsQuery, @CurrentUser() user: AuthenticatedUser): Promise<ApplicationSummary[]> {
    return this.service.list(user, query.callId);
  }

  /** What the group sees: the state in plain words, what comes next, the timeline and the emails sent. */
  @Get(':id/status')
  async status(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: StatusQuery, @CurrentUser() user: AuthenticatedUser): Promise<StatusView> {
    await this.policy.see('application', id, user, 'GET /applications/:id/status');
    return this.service.status(id, query.locale ?? user.locale);
  }

  @Get(':id')
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<ApplicationView> {
    return this.policy.see('application', id, user, 'GET /:id').then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}

@ApiTags('applications')
@ApiBearerAuth()
@Controller('calls/:callId/applications')
export class CallApplicationsController {
  constructor(
    private readonly policy: AccessPolicy,
    private readonly service: ApplicationsService,
  ) {}

  /** Starts a draft application under an open call. */
  @Post()
  @Roles('applicant')
  async create(
    @Param('callId', new ParseUUIDPipe()) callId: string,
    @Body() dto: CreateApplicationDto,
    @CurrentUser() user: AuthenticatedUser,
  ): Promise<ApplicationView> {
    await this.policy.see('call', callId, user, 'POST /calls/:callId/applications');
    const id = await this.service.create(callId, dto, user);
    return this.service.get(id, user.role);
  }
}
