import { AccessPolicy } from '../access/access.policy';
import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ExtendDeadlineEventDto, UpdateCallEventDto, CreateCallDto } from './dto/call.dto';
import { NoPayloadEventDto, ReasonEventDto } from '../common/dto';
import { CurrentUser, Roles } from '../identity/auth.guard';
import type { AuthenticatedUser } from '../identity/identity.service';
import { EntityManager } from '@mikro-orm/core';
import type { EventInput } from '../engine/engine.service';
import { WorkflowResources, WorkflowRoutes, type EventContract } from '../engine/workflow-resource';
import { CallsService, type CallView } from './calls.service';

export const CALL_EVENTS: EventContract = {
  machineId: 'call',
  subjectType: 'call',
  resource: 'calls',
  dtos: {
    UPDATE: UpdateCallEventDto,
    PUBLISH: NoPayloadEventDto,
    EXTEND_DEADLINE: ExtendDeadlineEventDto,
    CLOSE: NoPayloadEventDto,
    START_REVIEW: NoPayloadEventDto,
    CONFIRM_DECISIONS: NoPayloadEventDto,
    ARCHIVE: NoPayloadEventDto,
    CANCEL: ReasonEventDto,
  },
};

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

  protected override toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    return this.service.toEvent(type, dto, em, id);
  }

  /** Opens a call in draft; PUBLISH makes it open for proposals. */
  @Post()
  @Roles('manager')
  async create(@Body() dto: CreateCallDto, @CurrentUser() user: AuthenticatedUser): Promise<CallView> {
    const id = await this.service.create(dto, user);
    return this.service.get(id, user.role);
  }

  @Get(':id')
  show(@Param('id', new ParseUUIDPipe()) id: string, @CurrentUser() user: AuthenticatedUser): Promise<CallView> {
    return this.policy.see('call', id, user, 'GET /:id').then(({ related }) => this.service.get(id, related ? user.role : null));
  }
}
