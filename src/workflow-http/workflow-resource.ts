import { Body, Get, Headers, HttpCode, Injectable, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AnyMachineSnapshot } from 'xstate';
import { instanceToPlain } from 'class-transformer';
import type { Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { fieldRefused, validateAs } from '../common/validation';
import { CurrentUser } from '../identity/auth.guard';
import { TransitionLog, WorkflowInstance } from '../engine/engine.entities';
import type { EventMapper } from '../engine/binding';
import { WorkflowEngine } from '../engine/engine.service';
import { WorkflowRegistry } from '../engine/registry';
import { AccessPolicy, type RecordKind } from '../access/access.policy';
import type { AuthenticatedUser } from '../common/authenticated-user';
import { HistoryEntry, TransitionView, type WorkflowView } from './workflow-views';
import { documentedEvents, eventBody } from './event-docs';
import type { EventContract } from './event-contract';

export { eventContract, type EventContract, type EventExample } from './event-contract';

const plainEvent: EventMapper = (type, dto) => Promise.resolve({ ...instanceToPlain(dto), type });

export { HistoryEntry, TransitionView, WorkflowView } from './workflow-views';

/** Reading and driving the workflow behind any subject, as the generic routes below do. */
@Injectable()
export class WorkflowResources {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly registry: WorkflowRegistry,
    private readonly policy: AccessPolicy,
  ) {}

  async instanceFor(em: EntityManager, subjectType: string, subjectId: string): Promise<WorkflowInstance> {
    const instance = await em.findOne(WorkflowInstance, { subjectType, subjectId });
    if (!instance) throw DomainError.notFound(subjectType, subjectId);
    return instance;
  }

  /** The subject's instance with its snapshot, for views that also read the machine's context. */
  async load(
    em: EntityManager,
    subjectType: string,
    subjectId: string,
  ): Promise<{ instance: WorkflowInstance; snapshot: AnyMachineSnapshot }> {
    return this.engine.load(em, { subjectType, subjectId });
  }

  /** `role` is null for a caller who may see the record but not act on it: no events are allowed them. */
  viewOf(
    basePath: string,
    subjectId: string,
    loaded: { instance: WorkflowInstance; snapshot: AnyMachineSnapshot },
    role: Role | null,
  ): WorkflowView {
    const { instance, snapshot } = loaded;
    return {
      state: instance.state,
      version: instance.version,
      allowedEvents: role ? this.registry.allowedEvents(instance.machineId, snapshot, role) : [],
      links: { history: `/${basePath}/${subjectId}/history`, events: `/${basePath}/${subjectId}/events` },
    };
  }

  async view(
    em: EntityManager,
    basePath: string,
    subjectType: string,
    subjectId: string,
    role: Role | null,
  ): Promise<WorkflowView> {
    return this.viewOf(basePath, subjectId, await this.load(em, subjectType, subjectId), role);
  }

  async send(
    contract: EventContract,
    subjectId: string,
    body: unknown,
    user: AuthenticatedUser,
    options: { ifMatch?: string } = {},
  ): Promise<TransitionView> {
    const type =
      typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as { type?: unknown }).type : undefined;
    if (typeof type !== 'string') throw fieldRefused('type', 'event.typeNamed');
    const dto = Object.hasOwn(contract.dtos, type) ? contract.dtos[type] : undefined;
    if (!dto) {
      const params = { type: type.slice(0, 60), record: { term: `${contract.machineId}.record` } };
      throw DomainError.because(ErrorCode.UnknownEventType, [{ key: 'event.unknown', params }], {
        eventTypes: Object.keys(contract.dtos),
      });
    }
    // Existence first (404), then the caller's relation to the record (403), then their role for this event.
    await this.policy.act(contract.subjectType as RecordKind, subjectId, user, `POST /${contract.resource}/:id/events`);
    const senders = this.registry.get(contract.machineId).senders[type] ?? [];
    if (!senders.includes(user.role)) {
      const event = { term: `${contract.machineId}.event.${type}` };
      throw DomainError.because(ErrorCode.Forbidden, [{ key: 'event.notForRole', params: { role: user.role, event } }]);
    }
    const validated = await validateAs(dto, body);
    const expectedVersion = parseIfMatch(options.ifMatch);
    const toEvent = this.engine.eventMapper(contract.machineId) ?? plainEvent;
    const event = await toEvent(type, validated, this.orm.em.fork(), subjectId);
    const outcome = await this.engine.send(
      { subjectType: contract.subjectType, subjectId },
      event,
      { id: user.id, role: user.role },
      expectedVersion,
    );
    return { ...this.viewOf(contract.resource, subjectId, outcome, user.role), previousState: outcome.from };
  }

  /**
   * The log of a record the caller may see. Applicants see who acted only by role: the names of
   * staff and reviewers are not theirs to know.
   */
  async history(
    subjectType: string,
    subjectId: string,
    user: AuthenticatedUser,
    basePath: string,
  ): Promise<HistoryEntry[]> {
    // The log is for those who take part: a published call is public, its log is not.
    await this.policy.act(subjectType as RecordKind, subjectId, user, `GET /${basePath}/:id/history`);
    const hideStaff = user.role === 'applicant';
    const em = this.orm.em.fork();
    const instance = await this.instanceFor(em, subjectType, subjectId);
    const rows = await em.find(TransitionLog, { instanceId: instance.id }, { orderBy: { seq: 'asc' } });
    return rows.map((r) => ({
      seq: r.seq,
      event: r.eventType,
      from: r.fromState,
      to: r.toState,
      at: r.at.toISOString(),
      actor:
        hideStaff && r.actorRole !== 'applicant'
          ? { id: null, role: r.actorRole }
          : { id: r.actorId, role: r.actorRole },
      reason: r.reason ?? null,
      payload: r.payload,
      hash: r.hash,
    }));
  }
}

function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match) throw fieldRefused('If-Match', 'workflow.ifMatchVersion');
  return Number(match[1]);
}

/**
 * The routes every workflow-backed resource shares: POST /{resource}/{id}/events and
 * GET /{resource}/{id}/history. A feature's controller extends the class this returns.
 */
export function WorkflowRoutes(contract: EventContract) {
  const events = documentedEvents(contract);
  @ApiBearerAuth()
  abstract class WorkflowRoutesBase {
    constructor(protected readonly resources: WorkflowResources) {}

    @Post(':id/events')
    @HttpCode(200)
    @ApiOperation({
      summary: `Send an event to the ${contract.machineId} workflow`,
      description: `The body is one event; its \`type\` decides its fields. Event types: ${Object.keys(contract.dtos).join(', ')}. GET /workflows/${contract.machineId} tells which states accept each event and who may send it.`,
    })
    @ApiExtraModels(...events.map((e) => e.schema))
    @ApiBody(eventBody(events, contract))
    @ApiOkResponse({ type: TransitionView, description: 'The event was accepted: the state before it and after it.' })
    async sendEvent(
      @Param('id', new ParseUUIDPipe()) id: string,
      @Body() body: unknown,
      @CurrentUser() user: AuthenticatedUser,
      @Headers('if-match') ifMatch?: string,
    ): Promise<TransitionView> {
      return this.resources.send(contract, id, body, user, { ifMatch });
    }

    @Get(':id/history')
    @ApiOperation({ summary: 'The transition log, oldest first, each row hash-chained to the one before' })
    @ApiOkResponse({ type: [HistoryEntry] })
    history(
      @Param('id', new ParseUUIDPipe()) id: string,
      @CurrentUser() user: AuthenticatedUser,
    ): Promise<HistoryEntry[]> {
      return this.resources.history(contract.subjectType, id, user, contract.resource);
    }
  }
  return WorkflowRoutesBase;
}
