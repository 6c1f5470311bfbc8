import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { OPEN_GRANT_STATES, type ApplicationState } from '../../workflows/application.machine';
import {
  COMMITTED_TRANCHE_STATES,
  approvalsNeeded,
  waitingFor,
  type DisbursementContext,
  type DisbursementEventType,
  type DisbursementInput,
  type DisbursementState,
} from '../../workflows/disbursement.machine';
import type { Actor, Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { formatAmount } from '../common/money';
import { sql } from 'kysely';
import type { ApplicationContext } from '../../workflows/application.machine';
import type { WorkflowId } from '../../workflows';
import type { ReportKind, ReportState } from '../../workflows/report.machine';
import { contextBigint, db } from '../common/kysely';
import { Application } from '../applications/application.entity';
import { Call } from '../calls/call.entity';
import { amountField } from '../common/validation';
import { WorkflowInstance } from '../engine/engine.entities';
import { WorkflowEngine, type EventInput } from '../engine/engine.service';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import type { AmendAndRequestEventDto, CreateTrancheDto, RecordPaymentEventDto } from './dto/tranche.dto';
import { Tranche } from './tranche.entity';
import { bankDetailsView, currentBankDetails } from '../applications/bank-details.service';
import type { ApprovalView, FinanceQueueItem, TrancheView } from './tranche.views';
import { financeQueue, paymentsCsv } from './finance-reads';
import type { AuthenticatedUser } from '../common/authenticated-user';

@Injectable()
export class DisbursementsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
  ) {}

  async create(applicationId: string, dto: CreateTrancheDto, actor: Actor): Promise<string> {
    return this.orm.em.fork().transactional(async (em) => {
      const application = await em.findOne(Application, { id: applicationId });
      const parent =
        application && (await em.findOne(WorkflowInstance, { subjectType: 'application', subjectId: applicationId }));
      if (!application || !parent) throw DomainError.notFound('application', applicationId);
      if (!OPEN_GRANT_STATES.includes(parent.state as ApplicationState))
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'tranches.grantNotOpen', params: { state: { term: `application.state.${parent.state}` } } },
        ]);
      const call = await em.findOneOrFail(Call, { id: application.callId });
      const award = (parent.snapshot as { context: ApplicationContext }).context.awardedMinor;
      const input: DisbursementInput = {
        applicationId,
        amountMinor: amountField('amount', dto.amount, application.currency),
        currency: application.currency,
        grantAmountMinor: award ?? 0,
        // The call's rule, never the tranche's: nobody can lift a payment out of four-eyes approval.
        approvalThresholdMinor: call.financeThresholdMinor,
        release: dto.release ?? 'on_acceptance',
      };
      const tranche = em.create(Tranche, { applicationId, amountMinor: input.amountMinor, currency: input.currency });
      this.engine.start(em, {
        machineId: 'disbursement',
        subjectType: 'tranche',
        subjectId: tranche.id,
        parentId: parent.id,
        input: { ...input },
        actor,
      });
      return tranche.id;
    });
  }

  /** What waits for a finance officer of a programme; nothing for anyone else. */
  async queue(officer: AuthenticatedUser): Promise<FinanceQueueItem[]> {
    if (officer.role !== 'finance' || !officer.programmeId) return [];
    return financeQueue(this.orm.em.fork(), officer.id, officer.programmeId);
  }

  /** The call's tranches as CSV. */
  paymentsCsv(callId: string): Promise<string> {
    return paymentsCsv(this.orm.em.fork(), callId);
  }

  /** The application's tranches, oldest first. */
  async list(applicationId: string, role: Role | null): Promise<TrancheView[]> {
    const rows = await this.orm.em
      .fork()
      .find(Tranche, { applicationId }, { fields: ['id'], orderBy: { createdAt: 'asc', position: 'asc', id: 'asc' } });
    return Promise.all(rows.map((r) => this.get(r.id, role)));
  }

  async get(id: string, role: Role | null): Promise<TrancheView> {
    const em = this.orm.em.fork();
    const tranche = await em.findOne(Tranche, { id });
    if (!tranche) throw DomainError.notFound('tranche', id);
    const workflow = await this.resources.view(em, 'tranches', 'tranche', id, role);
    const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'tranche', subjectId: id });
    const c = (instance.snapshot as { context: DisbursementContext }).context;
    const money = (minor: number) => formatAmount(minor, tranche.currency);
    return {
      id,
      applicationId: tranche.applicationId,
      amount: money(tranche.amountMinor),
      currency: tranche.currency,
      release: c.release,
      grantAmount: money(c.grantAmountMinor),
      approvalThreshold: money(c.approvalThresholdMinor),
      approvalsNeeded: approvalsNeeded(c),
      requestedBy: c.requestedBy,
      approvedBy: c.approvedBy,
      approvals: await approvalsOf(em, instance.id, c.approvedBy),
      waitingFor: waitingFor(
        instance.state as DisbursementState,
        c,
        instance.state === 'scheduled' || instance.state === 'rejected'
          ? await acceptedReports(em, c.applicationId)
          : [],
      ),
      paymentReference: c.paymentReference,
      paidOn: c.paidOn,
      bankDetails: await this.bankDetailsFor(em, tranche.applicationId, role),
      createdAt: tranche.createdAt.toISOString(),
      ...workflow,
    };
  }

  /** The account the payment goes to, for a finance officer of the programme (`role` is null for one who only reads). */
  private async bankDetailsFor(em: EntityManager, applicationId: string, role: Role | null) {
    if (role !== 'finance') return null;
    const row = await currentBankDetails(em, applicationId);
    return row && bankDetailsView(row);
  }

  async toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    if (type === 'RECORD_PAYMENT') {
      const { amount, ...rest } = dto as RecordPaymentEventDto;
      const tranche = await em.findOneOrFail(Tranche, { id });
      return { ...rest, type, amountMinor: amountField('amount', amount, tranche.currency) };
    }
    if (type !== 'AMEND_AND_REQUEST') return { ...dto, type };
    const { amount } = dto as AmendAndRequestEventDto;
    const tranche = await em.findOneOrFail(Tranche, { id });
    return { type, ...(amount !== undefined && { amountMinor: amountField('amount', amount, tranche.currency) }) };
  }

  async facts(
    em: EntityManager,
    instance: WorkflowInstance,
    event: EventInput,
  ): Promise<Record<string, unknown> | undefined> {
    if (event.type !== 'REQUEST' && event.type !== 'AMEND_AND_REQUEST') return undefined;
    // The grant's row, locked until the transition commits: a concurrent request waits, then counts this one.
    if (instance.parentId)
      await db(em)
        .selectFrom('workflow_instance')
        .select('id')
        .where('id', '=', instance.parentId)
        .forUpdate()
        .execute();
    const { awarded, committed } = instance.parentId
      ? await awardAndCommitted(em, instance.parentId, instance.id)
      : { awarded: null, committed: 0 };
    const applicationId = (instance.snapshot as { context: DisbursementContext }).context.applicationId;
    return {
      acceptedReports: await acceptedReports(em, applicationId),
      awardLeftMinor: Number(awarded ?? 0) - Number(committed),
    };
  }
}

/** When each officer of the current request approved it: their latest APPROVE in the tranche's log. */
async function approvalsOf(em: EntityManager, instanceId: string, approvedBy: string[]): Promise<ApprovalView[]> {
  if (approvedBy.length === 0) return [];
  const rows = await db(em)
    .selectFrom('transition_log')
    .select(['actor_id', 'at'])
    .where('instance_id', '=', instanceId)
    .where('event_type', '=', sql.lit('APPROVE' satisfies DisbursementEventType))
    .where('actor_id', 'in', approvedBy)
    .orderBy('seq')
    .execute();
  const latest = new Map(rows.map((r) => [r.actor_id, new Date(r.at).toISOString()]));
  return approvedBy.map((by) => ({ by, at: latest.get(by) ?? '' }));
}

/** The kinds of the grant's reports accepted so far, read when a tranche is requested: its release condition. */
async function acceptedReports(em: EntityManager, applicationId: string): Promise<ReportKind[]> {
  const rows = await db(em)
    .selectFrom('report as r')
    .innerJoin('workflow_instance as i', (join) =>
      join.on('i.subject_type', '=', sql.lit('report')).onRef('i.subject_id', '=', 'r.id'),
    )
    .select('r.kind')
    .where('r.application_id', '=', applicationId)
    .where('i.state', '=', sql.lit('accepted' satisfies ReportState))
    .execute();
  return rows.map((r) => r.kind);
}

/** An award's amount, and what its tranches other than `trancheInstanceId` have spoken for of it. */
function awardAndCommitted(em: EntityManager, applicationInstanceId: string, trancheInstanceId: string) {
  return db(em)
    .selectFrom('workflow_instance')
    .select((eb) => [
      eb
        .selectFrom('workflow_instance as award')
        .select((award) => contextBigint<ApplicationContext>(award.ref('award.snapshot'), 'awardedMinor').as('awarded'))
        .where('award.id', '=', applicationInstanceId)
        .as('awarded'),
      eb.fn
        .coalesce(eb.fn.sum(contextBigint<DisbursementContext>(eb.ref('snapshot'), 'amountMinor')), sql.lit(0))
        .as('committed'),
    ])
    .where('parent_id', '=', applicationInstanceId)
    .where('machine_id', '=', sql.lit('disbursement' satisfies WorkflowId))
    .where('id', '<>', trancheInstanceId)
    .where('state', 'in', COMMITTED_TRANCHE_STATES)
    .executeTakeFirstOrThrow();
}
