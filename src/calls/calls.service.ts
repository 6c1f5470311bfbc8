import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { OPEN_GRANT_STATES } from '../../workflows/application.machine';
import type { CallContext, CallInput } from '../../workflows/call.machine';
import type { Actor, Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { AuthenticatedUser } from '../identity/identity.service';
import { formatAmount } from '../common/money';
import { sqlRows } from '../common/sql';
import { amountField } from '../common/validation';
import { awardedTotalMinor } from '../applications/awards';
import { WorkflowEngine, type EventInput } from '../engine/engine.service';
import { WorkflowResources, type WorkflowView } from '../engine/workflow-resource';
import type { WorkflowInstance } from '../engine/engine.entities';
import { stringify } from 'csv-stringify/sync';
import { Call } from './call.entity';
import type { CreateCallDto, UpdateCallEventDto } from './dto/call.dto';

export interface CallView extends WorkflowView {
  id: string;
  title: string;
  currency: string;
  budget: string;
  maxAward: string;
  opensAt: string;
  closesAt: string;
  criteria: { name: string; weight: number }[];
  createdAt: string;
}

const iso = (text: string) => new Date(text).toISOString();

// Application states that count towards the call's facts.
const UNSCREENED = ['submitted', 'more_info'];
const UNDECIDED = ['eligible', 'in_review'];
// The call's columns that mirror its machine's context.
const PROJECTED_FIELDS = ['title', 'currency', 'budgetMinor', 'maxAwardMinor', 'opensAt', 'closesAt', 'criteria'] as const;
const FACT_EVENTS = new Set(['START_REVIEW', 'CONFIRM_DECISIONS', 'ARCHIVE']);

export interface OpenCallView {
  id: string;
  title: string;
  programme: string;
  currency: string;
  budget: string;
  maxAward: string;
  opensAt: string;
  closesAt: string;
}

@Injectable()
export class CallsService implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
  ) {}

  onModuleInit(): void {
    this.engine.provideFacts('call', (em, instance, event) => (FACT_EVENTS.has(event.type) ? this.facts(em, instance) : Promise.resolve(undefined)));
    this.engine.project('call', PROJECTED_FIELDS, (em, instance, context) => this.projectCall(em, instance, context as unknown as CallContext));
  }

  /** A call of the manager's own programme. */
  async create(dto: CreateCallDto, manager: AuthenticatedUser): Promise<string> {
    if (!manager.programmeId) throw new DomainError(ErrorCode.Forbidden, 'only staff of a programme can open a call');
    const actor: Actor = { id: manager.id, role: manager.role };
    const input: CallInput = {
      title: dto.title,
      currency: dto.currency,
      budgetMinor: amountField('budget', dto.budget, dto.currency),
      maxAwardMinor: amountField('maxAward', dto.maxAward, dto.currency),
      opensAt: iso(dto.opensAt),
      closesAt: iso(dto.closesAt),
      criteria: dto.criteria.map((c) => ({ name: c.name, weight: c.weight })),
    };
    return this.orm.em.fork().transactional(async (em) => {
      const call = em.create(Call, { ...input, opensAt: new Date(input.opensAt), closesAt: new Date(input.closesAt), createdBy: actor.id, programmeId: manager.programmeId as string });
      this.engine.start(em, { machineId: 'call', subjectType: 'call', subjectId: call.id, input: { ...input }, actor });
      return call.id;
    });
  }

  /** Calls open for proposals now, closing soonest first: what a group can apply to, without an account. */
  async openCalls(): Promise<OpenCallView[]> {
    const rows = await sqlRows<{ id: string; title: string; currency: string; budget_minor: string; max_award_minor: string; opens_at: Date; closes_at: Date; programme: string }>(
      this.orm.em.fork(),
      `select c.id, c.title, c.currency, c.budget_minor, c.max_award_minor, c.opens_at, c.closes_at, p.name as programme
         from call c
         join workflow_instance i on i.subject_type = 'call' and i.subject_id = c.id
         join programme p on p.id = c.programme_id
        where i.state = 'open'
        order by c.closes_at, c.id`,
      [],
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      programme: r.programme,
      currency: r.currency,
      budget: formatAmount(Number(r.budget_minor), r.currency),
      maxAward: formatAmount(Number(r.max_award_minor), r.currency),
      opensAt: new Date(r.opens_at).toISOString(),
      closesAt: new Date(r.closes_at).toISOString(),
    }));
  }

  /**
   * One CSV row per application of the call, for the committee's secretary: UTF-8 with a byte-order
   * mark, so a spreadsheet shows Cyrillic as written.
   */
  async applicationsCsv(callId: string): Promise<string> {
    const rows = await sqlRows<Record<string, string | Date | null>>(
      this.orm.em.fork(),
      `select a.reference, a.title, g.name as group_name, g.municipality, g.oblast, i.state,
              a.requested_minor, a.currency, u.name as contact_name, u.email as contact_email,
              (select min(l.at) from transition_log l where l.instance_id = i.id and l.event_type = 'SUBMIT') as submitted_at
         from application a
         join applicant_group g on g.id = a.group_id
         join app_user u on u.id = g.contact_user_id
         join workflow_instance i on i.subject_type = 'application' and i.subject_id = a.id
        where a.call_id = ?
        order by a.reference`,
      [callId],
    );
    const csv = stringify(
      rows.map((r) => [
        r.reference,
        r.title,
        r.group_name,
        r.municipality,
        r.oblast,
        r.state,
        formatAmount(Number(r.requested_minor), String(r.currency)),
        r.currency,
        r.submitted_at ? new Date(r.submitted_at).toISOString() : '',
        r.contact_name,
        r.contact_email,
      ]),
      {
        header: true,
        columns: ['reference', 'title', 'group', 'municipality', 'oblast', 'state', 'requested', 'currency', 'submitted at', 'contact', 'contact email'],
      },
    );
    return `\uFEFF${csv}`;
  }

  async get(id: string, role: Role | null): Promise<CallView> {
    const em = this.orm.em.fork();
    const call = await em.findOne(Call, { id });
    if (!call) throw DomainError.notFound('call', id);
    const workflow = await this.resources.view(em, 'calls', 'call', id, role);
    return {
      id: call.id,
      title: call.title,
      currency: call.currency,
      budget: formatAmount(call.budgetMinor, call.currency),
      maxAward: formatAmount(call.maxAwardMinor, call.currency),
      opensAt: call.opensAt.toISOString(),
      closesAt: call.closesAt.toISOString(),
      criteria: call.criteria,
      createdAt: call.createdAt.toISOString(),
      ...workflow,
    };
  }

  /** Turns an UPDATE's wire fields into the machine's changes; other events pass through. */
  async toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    if (type !== 'UPDATE') return { ...dto, type };
    const changes = dto as UpdateCallEventDto;
    const call = await em.findOne(Call, { id });
    if (!call) throw DomainError.notFound('call', id);
    const currency = changes.currency ?? call.currency;
    return {
      type,
      changes: {
        ...(changes.title !== undefined && { title: changes.title }),
        ...(changes.currency !== undefined && { currency: changes.currency }),
        budgetMinor: amountField('budget', changes.budget ?? formatAmount(call.budgetMinor, call.currency), currency),
        maxAwardMinor: amountField('maxAward', changes.maxAward ?? formatAmount(call.maxAwardMinor, call.currency), currency),
        ...(changes.opensAt !== undefined && { opensAt: iso(changes.opensAt) }),
        ...(changes.closesAt !== undefined && { closesAt: iso(changes.closesAt) }),
        ...(changes.criteria !== undefined && { criteria: changes.criteria.map((c) => ({ name: c.name, weight: c.weight })) }),
      },
    };
  }

  private async facts(em: EntityManager, instance: WorkflowInstance): Promise<Record<string, unknown>> {
    const [row] = await sqlRows<{ unscreened: string; undecided: string; open_grants: string }>(
      em,
      `select count(*) filter (where state in (?)) as unscreened,
              count(*) filter (where state in (?)) as undecided,
              count(*) filter (where state in (?)) as open_grants
         from workflow_instance where parent_id = ? and machine_id = 'application'`,
      [UNSCREENED, UNDECIDED, OPEN_GRANT_STATES, instance.id],
    );
    return {
      unscreenedApplications: Number(row.unscreened),
      undecidedApplications: Number(row.undecided),
      openGrants: Number(row.open_grants),
      awardedTotalMinor: await awardedTotalMinor(em, instance.id),
    };
  }

  private async projectCall(em: EntityManager, instance: WorkflowInstance, context: CallContext): Promise<void> {
    const call = await em.findOne(Call, { id: instance.subjectId });
    if (!call) return;
    Object.assign(call, {
      title: context.title,
      currency: context.currency,
      budgetMinor: context.budgetMinor,
      maxAwardMinor: context.maxAwardMinor,
      opensAt: new Date(context.opensAt),
      closesAt: new Date(context.closesAt),
      criteria: context.criteria,
    });
  }
}
