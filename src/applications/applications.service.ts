import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { sql } from 'kysely';
import type {
  AcceptFacts,
  ApplicationContext,
  CloseFacts,
  ApplicationInput,
  ApplicationState,
  SubmitFacts,
  TerminateFacts,
} from '../../workflows/application.machine';
import type { CallEventType, CallState } from '../../workflows/call.machine';
import type { ReportContext, ReportKind, ReportState } from '../../workflows/report.machine';
import type { WorkflowId } from '../../workflows';
import type { ReviewState } from '../../workflows/review.machine';
import { money } from '../../workflows/kit';
import { EMPTY_PROPOSAL, budgetTotalMinor, lineTotalMinor, type Proposal } from '../../workflows/proposal';
import { inLocale, type Locale } from '../../workflows/localised';
import { GroupMember } from '../organisations/organisation.entities';
import { Attachment, attachmentView } from './attachment.entity';
import type { ApplicationView, ProposalView, StatusView } from './application.views';
import {
  SETTLED_TRANCHE_STATES,
  type DisbursementContext,
  type DisbursementState,
} from '../../workflows/disbursement.machine';
import type { Actor, Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { formatAmount } from '../common/money';
import { Call } from '../calls/call.entity';
import { amountField, fieldRefused } from '../common/validation';
import { contextBigint, contextText, db } from '../common/kysely';
import { TransitionLog, WorkflowInstance } from '../engine/engine.entities';
import { AppConfig } from '../config/config';
import { STATUS_WORDS } from './status-words';
import { formatDay } from '../i18n/format';
import { WorkflowEngine, type EventInput } from '../engine/engine.service';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import { Application } from './application.entity';
import { awardedTotalMinor } from './awards';
import { AgreementService } from './agreement.service';
import { currentBankDetails } from './bank-details.service';
import type { AwardEventDto, CreateApplicationDto, UpdateDraftEventDto } from './dto/application.dto';
import type { AuthenticatedUser } from '../common/authenticated-user';

// States in which a group's application no longer counts towards its limit under a call.
const GIVEN_UP: ApplicationState[] = ['withdrawn', 'cancelled'];

@Injectable()
export class ApplicationsService {
  private readonly timeZone: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
    private readonly agreements: AgreementService,
  ) {
    this.timeZone = config.PROGRAMME_TIME_ZONE;
  }

  /**
   * A draft of one of the applicant's groups (the one named, or their only group) under an open
   * call, with whatever proposal fields are given. A group has at most the call's number of
   * applications under it; the group's row is locked while counting, so two members starting at once
   * cannot both slip under the limit.
   */
  async create(callId: string, dto: CreateApplicationDto, applicant: AuthenticatedUser): Promise<string> {
    const actor: Actor = { id: applicant.id, role: applicant.role };
    return this.orm.em.fork().transactional(async (em) => {
      const groupId = await groupOf(em, applicant.id, dto.groupId);
      const call = await em.findOne(Call, { id: callId });
      const callInstance = call && (await em.findOne(WorkflowInstance, { subjectType: 'call', subjectId: callId }));
      if (!call || !callInstance) throw DomainError.notFound('call', callId);
      if (callInstance.state !== ('open' satisfies CallState))
        throw DomainError.because(ErrorCode.Conflict, [
          { key: 'applications.callNotOpen', params: { state: { term: `call.state.${callInstance.state}` } } },
        ]);
      const group = await db(em)
        .selectFrom('applicant_group')
        .select('municipality')
        .where('id', '=', groupId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const existing = await db(em)
        .selectFrom('application as a')
        .innerJoin('workflow_instance as i', (join) =>
          join.on('i.subject_type', '=', sql.lit('application')).onRef('i.subject_id', '=', 'a.id'),
        )
        .select('a.reference')
        .where('a.call_id', '=', callId)
        .where('a.group_id', '=', groupId)
        .where('i.state', 'not in', GIVEN_UP)
        .orderBy('a.created_at')
        .execute();
      if (existing.length >= call.applicationsPerGroup) {
        const references = existing.map((e) => e.reference);
        const params = { count: existing.length, references: { list: references }, allowed: call.applicationsPerGroup };
        throw DomainError.because(ErrorCode.Conflict, [{ key: 'applications.perGroupLimit', params }], {
          applications: references,
        });
      }
      const { title, groupId: _named, ...fields } = dto;
      const proposal: Proposal = {
        ...EMPTY_PROPOSAL,
        municipality: group.municipality,
        ...proposalChanges(fields, call.currency),
      };
      const input: ApplicationInput = {
        callId,
        groupId,
        title,
        currency: call.currency,
        maxAwardMinor: call.maxAwardMinor,
        proposal,
      };
      const requestedMinor = budgetTotalMinor(proposal.budget);
      if (requestedMinor > call.maxAwardMinor) {
        throw fieldRefused('budget', 'application.amountWithinMaxAward', {
          requested: money(requestedMinor, call.currency),
          maxAward: money(call.maxAwardMinor, call.currency),
        });
      }
      const reference = await nextReference(em, new Date());
      const application = em.create(Application, {
        callId,
        groupId,
        programmeId: call.programmeId,
        reference,
        title,
        requestedMinor,
        currency: call.currency,
        municipality: proposal.municipality,
        proposal,
        createdBy: actor.id,
      });
      this.engine.start(em, {
        machineId: 'application',
        subjectType: 'application',
        subjectId: application.id,
        parentId: callInstance.id,
        input: { ...input },
        actor,
      });
      return application.id;
    });
  }

  /**
   * The application as its group follows it: the state in plain words and what comes next, in the
   * reader's language; every change of state with its date; and the emails sent about it.
   */
  async status(id: string, locale: Locale, withRecipients: boolean): Promise<StatusView> {
    const em = this.orm.em.fork();
    const application = await em.findOneOrFail(Application, { id });
    const call = await em.findOneOrFail(Call, { id: application.callId });
    const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'application', subjectId: id });
    const closesAt = formatDay(call.closesAt.toISOString(), locale, this.timeZone);
    const words = (state: string) => STATUS_WORDS[state as ApplicationState][locale];
    const log = await em.find(TransitionLog, { instanceId: instance.id }, { orderBy: { seq: 'asc' } });
    // in the order they were queued
    const mails = await db(em)
      .selectFrom('notification')
      .select(['message', 'email', 'subject', 'status', 'created_at', 'sent_at'])
      .where('subject_type', '=', sql.lit('application'))
      .where('subject_id', '=', id)
      .orderBy('seq')
      .execute();
    return {
      id,
      reference: application.reference,
      title: application.title,
      locale,
      state: {
        code: instance.state,
        name: words(instance.state).name,
        next: words(instance.state).next.replace('{closesAt}', closesAt),
      },
      call: { id: call.id, title: inLocale(call.title, locale), closesAt: call.closesAt.toISOString() },
      timeline: log
        .filter((row) => row.fromState !== row.toState)
        .map((row) => ({ state: row.toState, name: words(row.toState).name, at: row.at.toISOString() })),
      emails: mails.map((m) => ({
        message: m.message,
        ...(withRecipients && { to: m.email }),
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
    const context = loaded.snapshot.context as ApplicationContext;
    const attachments = await em.find(Attachment, { applicationId: id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return {
      id,
      reference: application.reference,
      callId: application.callId,
      groupId: application.groupId,
      title: context.title,
      currency: application.currency,
      requestedAmount: formatAmount(context.requestedMinor, application.currency),
      maxAward: formatAmount(context.maxAwardMinor, application.currency),
      awardedAmount: context.awardedMinor === null ? null : formatAmount(context.awardedMinor, application.currency),
      proposal: proposalView(context.proposal, application.currency),
      attachments: attachments.map(attachmentView),
      acceptance: await this.agreements.acceptance(em, loaded.instance.id),
      createdAt: application.createdAt.toISOString(),
      ...this.resources.viewOf('applications', id, loaded, role),
    };
  }

  /** Amounts in AWARD and the proposal fields of UPDATE_DRAFT become the machine's minor units. */
  async toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    if (type !== 'AWARD' && type !== 'UPDATE_DRAFT') return { ...dto, type };
    const application = await em.findOne(Application, { id });
    if (!application) throw DomainError.notFound('application', id);
    if (type === 'AWARD') {
      const { amount, reason } = dto as AwardEventDto;
      return {
        type,
        amountMinor: amountField('amount', amount, application.currency),
        ...(reason !== undefined && { reason }),
      };
    }
    const { type: _type, title, ...fields } = dto as UpdateDraftEventDto;
    return {
      type,
      changes: { ...(title !== undefined && { title }), ...proposalChanges(fields, application.currency) },
    };
  }

  async facts(
    em: EntityManager,
    instance: WorkflowInstance,
    event: EventInput,
  ): Promise<Record<string, unknown> | undefined> {
    const context = (instance.snapshot as { context: ApplicationContext }).context;
    if (event.type === 'SUBMIT') {
      const call = await em.findOneOrFail(Call, { id: context.callId });
      const callInstance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: context.callId });
      const closed = await db(em)
        .selectFrom('transition_log')
        .select('at')
        .where('instance_id', '=', callInstance.id)
        .where('event_type', '=', sql.lit('CLOSE' satisfies CallEventType))
        .executeTakeFirst();
      return {
        callState: callInstance.state as CallState,
        callClosesAt: call.closesAt.toISOString(),
        callClosedAt: closed ? new Date(closed.at).toISOString() : null,
        questions: call.questions,
      } satisfies SubmitFacts;
    }
    if (event.type === 'AWARD') {
      const call = await db(em)
        .selectFrom('call')
        .select('budget_minor')
        .where('id', '=', context.callId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      return {
        budgetLeftMinor: Number(call.budget_minor) - (await awardedTotalMinor(em, instance.parentId as string)),
      };
    }
    if (event.type === 'ACCEPT_AWARD') {
      // The plan and threshold the call was published with: the grant's tranches start from them.
      const call = await em.findOneOrFail(Call, { id: context.callId });
      // The agreement accepted, as each language serves it: the log row keeps its checksums.
      return {
        applicationId: instance.subjectId,
        paymentPlan: call.paymentPlan,
        financeThresholdMinor: call.financeThresholdMinor,
        bankDetailsGiven: (await currentBankDetails(em, instance.subjectId)) !== null,
        agreementSha256: await this.agreements.checksums(em, instance.subjectId),
      } satisfies AcceptFacts;
    }
    if (event.type === 'REVIEW_SUBMITTED') {
      const row = await db(em)
        .selectFrom('review')
        .select((eb) => eb.fn.countAll().as('outstanding'))
        .where('application_id', '=', instance.subjectId)
        .where('state', '=', 'draft' satisfies ReviewState)
        .executeTakeFirstOrThrow();
      return { outstandingReviews: Number(row.outstanding) };
    }
    if (event.type === 'TERMINATE') return { paidMinor: await paidMinor(em, instance.id) } satisfies TerminateFacts;
    if (event.type === 'CLOSE') {
      const row = await db(em)
        .selectFrom('workflow_instance')
        .select((eb) => [
          eb.fn
            .countAll()
            .filterWhere((f) =>
              f.and([
                f('machine_id', '=', sql.lit('disbursement' satisfies WorkflowId)),
                f('state', 'not in', SETTLED_TRANCHE_STATES),
              ]),
            )
            .as('unsettled'),
          eb.fn
            .countAll()
            .filterWhere((f) =>
              f.and([
                f('machine_id', '=', sql.lit('report' satisfies WorkflowId)),
                f('state', '=', 'accepted' satisfies ReportState),
                f(contextText<ReportContext>(f.ref('snapshot'), 'kind'), '=', sql.lit('final' satisfies ReportKind)),
              ]),
            )
            .as('final_accepted'),
        ])
        .where('parent_id', '=', instance.id)
        .executeTakeFirstOrThrow();
      const unsettled = Number(row.unsettled);
      // Reconciling unspent money comes with grant closure; until then it holds once every tranche is settled.
      return {
        finalReportAccepted: Number(row.final_accepted) > 0,
        unsettledTranches: unsettled,
        unspentReconciled: unsettled === 0,
        paidMinor: await paidMinor(em, instance.id),
      } satisfies CloseFacts;
    }
    return undefined;
  }

  async project(em: EntityManager, instance: WorkflowInstance, context: ApplicationContext): Promise<void> {
    const application = await em.findOne(Application, { id: instance.subjectId });
    if (application) {
      Object.assign(application, {
        title: context.title,
        requestedMinor: context.requestedMinor,
        municipality: context.proposal.municipality,
        proposal: context.proposal,
      });
    }
  }
}

/**
 * The next reference of the year: `KG-2026-0007`. The counter row is locked until the creating
 * transaction ends, so numbers are unique and a rolled-back creation leaves no gap.
 */
async function nextReference(em: EntityManager, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  const row = await db(em)
    .insertInto('reference_counter')
    .values({ year, last: 1 })
    .onConflict((conflict) =>
      conflict.column('year').doUpdateSet((eb) => ({ last: eb('reference_counter.last', '+', 1) })),
    )
    .returning('last')
    .executeTakeFirstOrThrow();
  return `KG-${year}-${String(row.last).padStart(4, '0')}`;
}

/** The group an applicant applies for: the one they name, which they must belong to, or their only one. */
async function groupOf(em: EntityManager, userId: string, named: string | undefined): Promise<string> {
  const memberships = await em.find(GroupMember, { userId });
  if (named) {
    if (!memberships.some((m) => m.groupId === named)) throw fieldRefused('groupId', 'applications.notGroupMember');
    return named;
  }
  if (memberships.length === 1) return memberships[0].groupId;
  throw fieldRefused('groupId', memberships.length === 0 ? 'applications.noGroup' : 'applications.severalGroups');
}

/** Wire proposal fields as the machine holds them: amounts in minor units of the call's currency. */
function proposalChanges(fields: Omit<UpdateDraftEventDto, 'type' | 'title'>, currency: string): Partial<Proposal> {
  const changes: Partial<Proposal> = {
    summary: fields.summary,
    problem: fields.problem,
    activities: fields.activities?.map((a) => ({ description: a.description, start: a.start, end: a.end })),
    participants: fields.participants && {
      women: fields.participants.women,
      men: fields.participants.men,
      youth: fields.participants.youth,
      byStakeholder: { ...fields.participants.byStakeholder },
    },
    composition: fields.composition && { ...fields.composition },
    municipality: fields.municipality?.trim(),
    budget: fields.budget?.map((line, i) => ({
      category: line.category,
      description: line.description,
      quantity: line.quantity,
      unitCostMinor: amountField(`budget.${i}.unitCost`, line.unitCost, currency),
    })),
    coFunding: fields.coFunding?.map((c, i) => ({
      source: c.source,
      amountMinor: amountField(`coFunding.${i}.amount`, c.amount, currency),
      inKind: c.inKind ?? false,
    })),
    eligibilityAnswers: fields.eligibilityAnswers && { ...fields.eligibilityAnswers },
  };
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
}

function proposalView(p: Proposal, currency: string): ProposalView {
  return {
    summary: p.summary,
    problem: p.problem,
    activities: p.activities,
    participants: p.participants,
    composition: p.composition,
    municipality: p.municipality,
    budget: p.budget.map((line) => ({
      category: line.category,
      description: line.description,
      quantity: line.quantity,
      unitCost: formatAmount(line.unitCostMinor, currency),
      total: formatAmount(lineTotalMinor(line), currency),
    })),
    budgetTotal: formatAmount(budgetTotalMinor(p.budget), currency),
    coFunding: p.coFunding.map((c) => ({
      source: c.source,
      amount: formatAmount(c.amountMinor, currency),
      inKind: c.inKind,
    })),
    eligibilityAnswers: p.eligibilityAnswers,
  };
}

/** What the paid tranches of a grant hold: the part of its award that left the programme. */
async function paidMinor(em: EntityManager, applicationInstanceId: string): Promise<number> {
  const row = await db(em)
    .selectFrom('workflow_instance')
    .select((eb) =>
      eb.fn
        .coalesce(eb.fn.sum(contextBigint<DisbursementContext>(eb.ref('snapshot'), 'amountMinor')), sql.lit(0))
        .as('paid'),
    )
    .where('parent_id', '=', applicationInstanceId)
    .where('machine_id', '=', sql.lit('disbursement' satisfies WorkflowId))
    .where('state', '=', 'paid' satisfies DisbursementState)
    .executeTakeFirstOrThrow();
  return Number(row.paid);
}
