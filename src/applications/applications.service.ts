import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { ApplicationContext, ApplicationInput, ApplicationState } from '../../workflows/application.machine';
import { SETTLED_TRANCHE_STATES } from '../../workflows/disbursement.machine';
import type { Actor, Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { formatAmount } from '../common/money';
import { Call } from '../calls/call.entity';
import { amountField, validationFailed } from '../common/validation';
import type { AuthenticatedUser } from '../identity/identity.service';
import { GroupMember } from '../organisations/organisation.entities';
import { TransitionLog, WorkflowInstance } from '../engine/engine.entities';
import { AppConfig } from '../config/config';
import type { Locale } from '../identity/identity.entities';
import { STATUS_WORDS } from './status-words';
import { formatDay } from '../notifications/format';
import { WorkflowEngine, type EventInput } from '../engine/engine.service';
import { WorkflowResources, type WorkflowView } from '../engine/workflow-resource';
import { sqlRows } from '../common/sql';
import { Application } from './application.entity';
import { awardedTotalMinor } from './awards';
import type { AwardEventDto, CreateApplicationDto, UpdateDraftEventDto } from './dto/application.dto';

export interface ApplicationView extends WorkflowView {
  id: string;
  reference: string;
  callId: string;
  title: string;
  currency: string;
  requestedAmount: string;
  awardedAmount: string | null;
  createdAt: string;
}

export interface StatusView {
  id: string;
  reference: string;
  title: string;
  locale: Locale;
  state: { code: string; name: string; next: string };
  call: { id: string; title: string; closesAt: string };
  /** Each change of state, oldest first, starting with the draft's creation. */
  timeline: { state: string; name: string; at: string }[];
  /** Every email about the application, to every member, with how its delivery went. */
  emails: { message: string; to: string; subject: string | null; status: string; queuedAt: string; sentAt: string | null }[];
}

export interface ApplicationSummary {
  id: string;
  reference: string;
  callId: string;
  groupId: string;
  title: string;
  state: string;
  requestedAmount: string;
  currency: string;
  createdAt: string;
}

@Injectable()
export class ApplicationsService implements OnModuleInit {
  private readonly timeZone: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
  ) {
    this.timeZone = config.PROGRAMME_TIME_ZONE;
  }

  onModuleInit(): void {
    this.engine.provideFacts('application', (em, instance, event) => this.facts(em, instance, event));
    this.engine.project('application', ['title', 'requestedMinor'], (em, instance, context) =>
      this.project(em, instance, context as unknown as ApplicationContext),
    );
  }

  /** A draft of one of the applicant's groups: the one named, or their only group. */
  async create(callId: string, dto: CreateApplicationDto, applicant: AuthenticatedUser): Promise<string> {
    const actor: Actor = { id: applicant.id, role: applicant.role };
    return this.orm.em.fork().transactional(async (em) => {
      const groupId = await groupOf(em, applicant.id, dto.groupId);
      const call = await em.findOne(Call, { id: callId });
      const callInstance = call && (await em.findOne(WorkflowInstance, { subjectType: 'call', subjectId: callId }));
      if (!call || !callInstance) throw DomainError.notFound('call', callId);
      if (callInstance.state !== 'open') throw new DomainError(ErrorCode.Conflict, `the call is ${callInstance.state}, not open for proposals`);
      const input: ApplicationInput = {
        callId,
        groupId,
        title: dto.title,
        requestedMinor: amountField('requestedAmount', dto.requestedAmount, call.currency),
        currency: call.currency,
      };
      const reference = await nextReference(em, new Date());
      const application = em.create(Application, { callId, groupId, reference, title: input.title, requestedMinor: input.requestedMinor, currency: input.currency, createdBy: actor.id });
      this.engine.start(em, { machineId: 'application', subjectType: 'application', subjectId: application.id, parentId: callInstance.id, input: { ...input }, actor });
      return application.id;
    });
  }

  /**
   * The applications the caller may see, newest first: their groups' own; their programme's, for
   * its staff; their calls' minus those they declared a conflict on, for committee members.
   */
  async list(user: AuthenticatedUser, callId?: string, limit = 100): Promise<ApplicationSummary[]> {
    // Each role's scope, with its parameters.
    const scope: Record<Role, [string, unknown[]]> = {
      applicant: ['a.group_id in (select m.group_id from group_member m where m.user_id = ?)', [user.id]],
      manager: ['c.programme_id = ?', [user.programmeId]],
      finance: ['c.programme_id = ?', [user.programmeId]],
      committee: [
        `a.call_id in (select k.call_id from committee_member k where k.user_id = ?)
         and not exists (select 1 from conflict_declaration d where d.application_id = a.id and d.user_id = ? and d.conflicted)`,
        [user.id, user.id],
      ],
    };
    const [where, params] = scope[user.role];
    const rows = await sqlRows<{ id: string; reference: string; call_id: string; group_id: string; title: string; requested_minor: string; currency: string; state: string; created_at: Date }>(
      this.orm.em.fork(),
      `select a.id, a.reference, a.call_id, a.group_id, a.title, a.requested_minor, a.currency, i.state, a.created_at
         from application a
         join call c on c.id = a.call_id
         join workflow_instance i on i.subject_type = 'application' and i.subject_id = a.id
        where ${where} ${callId ? 'and a.call_id = ?' : ''}
        order by a.created_at desc, a.id desc
        limit ?`,
      [...params, ...(callId ? [callId] : []), limit],
    );
    return rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      callId: r.call_id,
      groupId: r.group_id,
      title: r.title,
      state: r.state,
      requestedAmount: formatAmount(Number(r.requested_minor), r.currency),
      currency: r.currency,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }

  /**
   * The application as its group follows it: the state in plain words and what comes next, in the
   * reader's language; every change of state with its date; and the emails sent about it.
   */
  async status(id: string, locale: Locale): Promise<StatusView> {
    const em = this.orm.em.fork();
    const application = await em.findOneOrFail(Application, { id });
    const call = await em.findOneOrFail(Call, { id: application.callId });
    const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'application', subjectId: id });
    const closesAt = formatDay(call.closesAt.toISOString(), locale, this.timeZone);
    const words = (state: string) => STATUS_WORDS[state as ApplicationState][locale];
    const log = await em.find(TransitionLog, { instanceId: instance.id }, { orderBy: { seq: 'asc' } });
    // in the order they were queued
    const mails = await sqlRows<{ message: string; email: string; subject: string | null; status: string; created_at: Date; sent_at: Date | null }>(
      em,
      `select message, email, subject, status, created_at, sent_at from notification where subject_type = 'application' and subject_id = ? order by seq`,
      [id],
    );
    return {
      id,
      reference: application.reference,
      title: application.title,
      locale,
      state: { code: instance.state, name: words(instance.state).name, next: words(instance.state).next.replace('{closesAt}', closesAt) },
      call: { id: call.id, title: call.title, closesAt: call.closesAt.toISOString() },
      timeline: log
        .filter((row) => row.fromState !== row.toState)
        .map((row) => ({ state: row.toState, name: words(row.toState).name, at: row.at.toISOString() })),
      emails: mails.map((m) => ({
        message: m.message,
        to: m.email,
        subject: m.subject,
        status: m.status,
        queuedAt: new Date(m.created_at).toISOString(),
        sentAt: m.sent_at ? new Date(m.sent_at).toISOString() : null,
      })),
    };
  }

  async get(id: string, role: Role | null): Promise<ApplicationView> {
    const em = this.orm.em.fork();
    const application = await em.findOne(Application, { id });
    if (!application) throw DomainError.notFound('application', id);
    const loaded = await this.resources.load(em, 'application', id);
    const awarded = (loaded.snapshot.context as ApplicationContext).awardedMinor;
    return {
      id,
      reference: application.reference,
      callId: application.callId,
      title: application.title,
      currency: application.currency,
      requestedAmount: formatAmount(application.requestedMinor, application.currency),
      awardedAmount: awarded === null ? null : formatAmount(awarded, application.currency),
      createdAt: application.createdAt.toISOString(),
      ...this.resources.viewOf('applications', id, loaded, role),
    };
  }

  /** Amounts in AWARD and UPDATE_DRAFT become minor units of the application's currency. */
  async toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    if (type !== 'AWARD' && type !== 'UPDATE_DRAFT') return { ...dto, type };
    const application = await em.findOne(Application, { id });
    if (!application) throw DomainError.notFound('application', id);
    if (type === 'AWARD') {
      const { amount, reason } = dto as AwardEventDto;
      return { type, amountMinor: amountField('amount', amount, application.currency), ...(reason !== undefined && { reason }) };
    }
    const { title, requestedAmount } = dto as UpdateDraftEventDto;
    return {
      type,
      changes: {
        ...(title !== undefined && { title }),
        ...(requestedAmount !== undefined && { requestedMinor: amountField('requestedAmount', requestedAmount, application.currency) }),
      },
    };
  }

  private async facts(em: EntityManager, instance: WorkflowInstance, event: EventInput): Promise<Record<string, unknown> | undefined> {
    const context = (instance.snapshot as { context: ApplicationContext }).context;
    if (event.type === 'SUBMIT') {
      const call = await em.findOneOrFail(Call, { id: context.callId });
      const callInstance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: context.callId });
      const missingFields = [
        ...(context.title.trim() ? [] : ['title']),
        ...(context.requestedMinor > 0 ? [] : ['requestedAmount']),
      ];
      return { callState: callInstance.state, callClosesAt: call.closesAt.toISOString(), maxAwardMinor: call.maxAwardMinor, missingFields };
    }
    if (event.type === 'AWARD') {
      const call = await em.findOneOrFail(Call, { id: context.callId });
      return { budgetLeftMinor: call.budgetMinor - (await awardedTotalMinor(em, instance.parentId as string)) };
    }
    if (event.type === 'CLOSE') {
      const [row] = await sqlRows<{ unsettled: string; final_accepted: string }>(
        em,
        `select count(*) filter (where machine_id = 'disbursement' and state not in (?)) as unsettled,
                count(*) filter (where machine_id = 'report' and state = 'accepted' and snapshot->'context'->>'kind' = 'final') as final_accepted
           from workflow_instance where parent_id = ?`,
        [SETTLED_TRANCHE_STATES, instance.id],
      );
      const unsettled = Number(row.unsettled);
      // Reconciling unspent money comes with grant closure; until then it holds once every tranche is settled.
      return { finalReportAccepted: Number(row.final_accepted) > 0, unsettledTranches: unsettled, unspentReconciled: unsettled === 0 };
    }
    return undefined;
  }

  private async project(em: EntityManager, instance: WorkflowInstance, context: ApplicationContext): Promise<void> {
    const application = await em.findOne(Application, { id: instance.subjectId });
    if (application) Object.assign(application, { title: context.title, requestedMinor: context.requestedMinor });
  }
}

/**
 * The next reference of the year: `KG-2026-0007`. The counter row is locked until the creating
 * transaction ends, so numbers are unique and a rolled-back creation leaves no gap.
 */
async function nextReference(em: EntityManager, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const [row] = await sqlRows<{ last: number }>(
    em,
    `insert into reference_counter (year, last) values (?, 1)
     on conflict (year) do update set last = reference_counter.last + 1
     returning last`,
    [year],
  );
  return `KG-${year}-${String(row.last).padStart(4, '0')}`;
}

/** The group an applicant applies for: the one they name, which they must belong to, or their only one. */
async function groupOf(em: EntityManager, userId: string, named: string | undefined): Promise<string> {
  const memberships = await em.find(GroupMember, { userId });
  if (named) {
    if (!memberships.some((m) => m.groupId === named)) throw validationFailed([{ field: 'groupId', problems: ['you are not a member of this group'] }]);
    return named;
  }
  if (memberships.length === 1) return memberships[0].groupId;
  throw validationFailed([
    { field: 'groupId', problems: [memberships.length === 0 ? 'create your initiative group first (POST /groups)' : 'you belong to several groups: name one'] },
  ]);
}
