import { DEFAULT_PAYMENT_PLAN, type PlannedTranche } from '../../workflows/payment-plan';
import { Inject, Injectable } from '@nestjs/common';
import { sql } from 'kysely';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import { OPEN_GRANT_STATES, type ApplicationState } from '../../workflows/application.machine';
import type { WorkflowId } from '../../workflows';
import {
  REVIEW_DEFAULTS,
  type CallContext,
  type CallInput,
  type Criterion,
  type EligibilityQuestion,
} from '../../workflows/call.machine';
import { LOCALES, type Localised } from '../../workflows/localised';
import { EMPTY_PROPOSAL } from '../../workflows/proposal';
import { AppConfig } from '../config/config';
import { Programme } from '../organisations/organisation.entities';
import { instantOf, wallClock } from '../common/time';
import type { Actor, Role } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import { formatAmount } from '../common/money';
import { db } from '../common/kysely';
import { amountField, fieldRefused } from '../common/validation';
import { awardedTotalMinor } from '../applications/awards';
import { applicationsWithInstance, firstSubmittedAt } from '../applications/application-queries';
import { WorkflowEngine, type EventInput } from '../engine/engine.service';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import type { WorkflowInstance } from '../engine/engine.entities';
import { toCsv } from '../common/csv';
import { Call } from './call.entity';
import { LISTED_CALL_STATES, type CallView, type OpenCallView } from './call.views';
import type {
  CreateCallDto,
  CriterionDto,
  EligibilityQuestionDto,
  ExtendDeadlineEventDto,
  StartReviewEventDto,
  UpdateCallEventDto,
} from './dto/call.dto';
import type { AuthenticatedUser } from '../common/authenticated-user';

// Application states that count towards the call's facts.
const UNSCREENED = ['submitted', 'more_info'] satisfies ApplicationState[];
const UNDECIDED = ['eligible', 'in_review', 'reviewed'] satisfies ApplicationState[];
// The call's columns that mirror its machine's context.
export const CALL_PROJECTED_FIELDS = [
  'title',
  'description',
  'currency',
  'budgetMinor',
  'maxAwardMinor',
  'opensAt',
  'closesAt',
  'municipalities',
  'questions',
  'composition',
  'criteria',
  'scale',
  'reviewersPerApplication',
  'financeThresholdMinor',
  'reportSchedule',
  'paymentPlan',
  'applicationsPerGroup',
  'reviewReminderDays',
  'rankBy',
  'disagreementThreshold',
  'minimumScore',
  'maxAwardsPerMunicipality',
  'reviewDueAt',
] as const;
/** The call's events whose guards read its applications and awards. */
export const CALL_FACT_EVENTS = new Set(['START_REVIEW', 'CONFIRM_DECISIONS', 'ARCHIVE']);

@Injectable()
export class CallsService {
  private readonly timeZone: string;

  private readonly programmeNames = new Map<string, string>();

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
  ) {
    this.timeZone = config.PROGRAMME_TIME_ZONE;
  }

  /** A draft call of the manager's own programme. */
  async create(dto: CreateCallDto, manager: AuthenticatedUser): Promise<string> {
    if (!manager.programmeId) throw DomainError.because(ErrorCode.Forbidden, [{ key: 'calls.staffOnly', params: {} }]);
    if (dto.programmeId && dto.programmeId !== manager.programmeId) {
      throw fieldRefused('programmeId', 'calls.ownProgramme');
    }
    const actor: Actor = { id: manager.id, role: manager.role };
    const maxAwardMinor = amountField('maxAward', dto.maxAward, dto.currency);
    const input: CallInput = {
      title: localised(dto.title),
      description: localised(dto.description ?? {}),
      currency: dto.currency,
      budgetMinor: amountField('budget', dto.budget, dto.currency),
      maxAwardMinor,
      opensAt: this.instant('opensAt', dto.opensAt),
      closesAt: this.instant('closesAt', dto.closesAt),
      municipalities: (dto.municipalities ?? []).map((m) => m.trim()),
      questions: (dto.questions ?? []).map(questionOf),
      composition: dto.composition
        ? { minimumGroups: dto.composition.minimumGroups, groups: [...dto.composition.groups] }
        : null,
      criteria: dto.criteria.map(criterionOf),
      scale: dto.scale ? { min: dto.scale.min, max: dto.scale.max } : { min: 0, max: 5 },
      reviewersPerApplication: dto.reviewersPerApplication ?? 3,
      financeThresholdMinor:
        dto.financeThreshold === undefined
          ? maxAwardMinor
          : amountField('financeThreshold', dto.financeThreshold, dto.currency),
      reportSchedule: (dto.reportSchedule ?? []).map((r) => ({
        kind: r.kind,
        dueAt: this.instant('reportSchedule', r.dueAt),
      })),
      paymentPlan: (dto.paymentPlan ?? DEFAULT_PAYMENT_PLAN).map(plannedTranche),
      applicationsPerGroup: dto.applicationsPerGroup ?? 1,
      reviewReminderDays: dto.reviewReminderDays ?? REVIEW_DEFAULTS.reviewReminderDays,
      rankBy: dto.rankBy ?? REVIEW_DEFAULTS.rankBy,
      disagreementThreshold: dto.disagreementThreshold ?? REVIEW_DEFAULTS.disagreementThreshold,
      minimumScore: dto.minimumScore ?? REVIEW_DEFAULTS.minimumScore,
      maxAwardsPerMunicipality: dto.maxAwardsPerMunicipality ?? REVIEW_DEFAULTS.maxAwardsPerMunicipality,
    };
    return this.orm.em.fork().transactional(async (em) => {
      const call = em.create(Call, {
        ...columnsOf(input),
        createdBy: actor.id,
        programmeId: manager.programmeId as string,
      });
      this.engine.start(em, { machineId: 'call', subjectType: 'call', subjectId: call.id, input: { ...input }, actor });
      return call.id;
    });
  }

  /**
   * Calls open for proposals now, closing soonest first, then those published to open later: what
   * a group can apply to, or prepare for, without an account.
   */
  async openCalls(): Promise<OpenCallView[]> {
    const em = this.orm.em.fork();
    const rows = await db(em)
      .selectFrom('call as c')
      .innerJoin('workflow_instance as i', (join) =>
        join.on('i.subject_type', '=', sql.lit('call')).onRef('i.subject_id', '=', 'c.id'),
      )
      .innerJoin('programme as p', 'p.id', 'c.programme_id')
      .select(['c.id', 'i.state', 'p.name as programme'])
      .where('i.state', 'in', LISTED_CALL_STATES)
      .orderBy('i.state')
      .orderBy('c.closes_at')
      .orderBy('c.id')
      .$narrowType<{ state: (typeof LISTED_CALL_STATES)[number] }>()
      .execute();
    const calls = new Map((await em.find(Call, { id: { $in: rows.map((r) => r.id) } })).map((c) => [c.id, c]));
    return rows.map((r) => {
      const c = calls.get(r.id) as Call;
      return {
        id: c.id,
        state: r.state,
        programme: r.programme,
        title: c.title,
        summary: c.description,
        currency: c.currency,
        budget: formatAmount(c.budgetMinor, c.currency),
        maxAward: formatAmount(c.maxAwardMinor, c.currency),
        opensAt: c.opensAt.toISOString(),
        closesAt: c.closesAt.toISOString(),
        timeZone: this.timeZone,
        closesAtLocal: wallClock(c.closesAt, this.timeZone),
        eligibility: {
          municipalities: c.municipalities,
          questions: c.questions,
          composition: c.composition,
          applicationsPerGroup: c.applicationsPerGroup,
        },
      };
    });
  }

  /** One CSV row per application of the call, for the committee's secretary. */
  async applicationsCsv(callId: string): Promise<string> {
    const rows = await applicationsWithInstance(this.orm.em.fork())
      .innerJoin('applicant_group as g', 'g.id', 'a.group_id')
      .innerJoin('app_user as u', 'u.id', 'g.contact_user_id')
      .select((eb) => [
        'a.reference',
        'a.title',
        'g.name as group_name',
        'a.municipality',
        'g.oblast',
        'i.state',
        'a.requested_minor',
        'a.currency',
        'a.proposal',
        'u.name as contact_name',
        'u.email as contact_email',
        firstSubmittedAt(eb.ref('i.id')).as('submitted_at'),
        eb
          .selectFrom('attachment as f')
          .select((f) => f.fn.countAll().as('n'))
          .whereRef('f.application_id', '=', 'a.id')
          .as('attachments'),
      ])
      .where('a.call_id', '=', callId)
      .orderBy('a.reference')
      .execute();
    return toCsv(
      [
        'reference',
        'title',
        'group',
        'municipality',
        'oblast',
        'state',
        'requested',
        'co-funding',
        'currency',
        'women',
        'men',
        'youth',
        'summary',
        'attachments',
        'submitted at',
        'contact',
        'contact email',
      ],
      rows.map((r) => {
        const p = { ...EMPTY_PROPOSAL, ...r.proposal };
        const coFunding = p.coFunding.reduce((sum, c) => sum + c.amountMinor, 0);
        return [
          r.reference,
          r.title,
          r.group_name,
          r.municipality,
          r.oblast,
          r.state,
          formatAmount(Number(r.requested_minor), r.currency),
          formatAmount(coFunding, r.currency),
          r.currency,
          p.participants?.women ?? '',
          p.participants?.men ?? '',
          p.participants?.youth ?? '',
          p.summary,
          Number(r.attachments),
          r.submitted_at ? new Date(r.submitted_at).toISOString() : '',
          r.contact_name,
          r.contact_email,
        ];
      }),
    );
  }

  /** A programme's name, read once: a programme is never renamed or removed, and every page shows a call's. */
  private async programmeName(em: EntityManager, id: string): Promise<string> {
    let name = this.programmeNames.get(id);
    if (name === undefined) {
      name = (await em.findOneOrFail(Programme, { id })).name;
      this.programmeNames.set(id, name);
    }
    return name;
  }

  async get(id: string, role: Role | null): Promise<CallView> {
    const em = this.orm.em.fork();
    const call = await em.findOne(Call, { id });
    if (!call) throw DomainError.notFound('call', id);
    const programme = { id: call.programmeId, name: await this.programmeName(em, call.programmeId) };
    const workflow = await this.resources.view(em, 'calls', 'call', id, role);
    return {
      id: call.id,
      programme: { id: programme.id, name: programme.name },
      title: call.title,
      description: call.description,
      currency: call.currency,
      budget: formatAmount(call.budgetMinor, call.currency),
      maxAward: formatAmount(call.maxAwardMinor, call.currency),
      opensAt: call.opensAt.toISOString(),
      closesAt: call.closesAt.toISOString(),
      timeZone: this.timeZone,
      opensAtLocal: wallClock(call.opensAt, this.timeZone),
      closesAtLocal: wallClock(call.closesAt, this.timeZone),
      municipalities: call.municipalities,
      questions: call.questions,
      composition: call.composition,
      criteria: call.criteria,
      scale: call.scale,
      reviewersPerApplication: call.reviewersPerApplication,
      financeThreshold: formatAmount(call.financeThresholdMinor, call.currency),
      reportSchedule: call.reportSchedule,
      paymentPlan: call.paymentPlan,
      applicationsPerGroup: call.applicationsPerGroup,
      review: {
        reminderDays: call.reviewReminderDays,
        rankBy: call.rankBy,
        disagreementThreshold: call.disagreementThreshold,
        minimumScore: call.minimumScore,
        maxAwardsPerMunicipality: call.maxAwardsPerMunicipality,
        dueAt: call.reviewDueAt?.toISOString() ?? null,
        dueAtLocal: call.reviewDueAt ? wallClock(call.reviewDueAt, this.timeZone) : null,
        scoresHiddenUntilComplete: call.scoresHiddenUntilComplete,
      },
      createdAt: call.createdAt.toISOString(),
      ...workflow,
    };
  }

  /** Turns an UPDATE's or EXTEND_DEADLINE's wire fields into the machine's terms; other events pass through. */
  async toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    if (type === 'EXTEND_DEADLINE')
      return { type, closesAt: this.instant('closesAt', (dto as ExtendDeadlineEventDto).closesAt) };
    if (type === 'START_REVIEW' || type === 'SET_REVIEW_DEADLINE') {
      const { reviewDueAt } = dto as StartReviewEventDto;
      return { type, ...(reviewDueAt !== undefined && { reviewDueAt: this.instant('reviewDueAt', reviewDueAt) }) };
    }
    if (type !== 'UPDATE') return { ...dto, type };
    const d = dto as UpdateCallEventDto;
    const call = await em.findOne(Call, { id });
    if (!call) throw DomainError.notFound('call', id);
    const currency = d.currency ?? call.currency;
    const changes: Partial<CallInput> = {
      title: d.title && localised(d.title),
      description: d.description && localised(d.description),
      currency: d.currency,
      // Amounts are read again in the currency they will be in.
      budgetMinor: amountField('budget', d.budget ?? formatAmount(call.budgetMinor, call.currency), currency),
      maxAwardMinor: amountField('maxAward', d.maxAward ?? formatAmount(call.maxAwardMinor, call.currency), currency),
      financeThresholdMinor: amountField(
        'financeThreshold',
        d.financeThreshold ?? formatAmount(call.financeThresholdMinor, call.currency),
        currency,
      ),
      opensAt: d.opensAt && this.instant('opensAt', d.opensAt),
      closesAt: d.closesAt && this.instant('closesAt', d.closesAt),
      municipalities: d.municipalities?.map((m) => m.trim()),
      questions: d.questions?.map(questionOf),
      composition:
        d.composition === undefined
          ? undefined
          : d.composition && { minimumGroups: d.composition.minimumGroups, groups: [...d.composition.groups] },
      criteria: d.criteria?.map(criterionOf),
      scale: d.scale && { min: d.scale.min, max: d.scale.max },
      reviewersPerApplication: d.reviewersPerApplication,
      reportSchedule: d.reportSchedule?.map((r) => ({ kind: r.kind, dueAt: this.instant('reportSchedule', r.dueAt) })),
      paymentPlan: d.paymentPlan?.map(plannedTranche),
      applicationsPerGroup: d.applicationsPerGroup,
      reviewReminderDays: d.reviewReminderDays,
      rankBy: d.rankBy,
      disagreementThreshold: d.disagreementThreshold,
      minimumScore: d.minimumScore,
      maxAwardsPerMunicipality: d.maxAwardsPerMunicipality,
    };
    return { type, changes: Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
  }

  /** An ISO time as an instant: one without an offset is on the programme's clock. */
  private instant(field: string, text: string): string {
    const at = instantOf(text, this.timeZone);
    if (Number.isNaN(at.getTime())) throw fieldRefused(field, 'calls.isoTime', { field });
    return at.toISOString();
  }

  async facts(em: EntityManager, instance: WorkflowInstance): Promise<Record<string, unknown>> {
    const row = await db(em)
      .selectFrom('workflow_instance')
      .select((eb) => [
        eb.fn.countAll().filterWhere('state', 'in', UNSCREENED).as('unscreened'),
        eb.fn.countAll().filterWhere('state', 'in', UNDECIDED).as('undecided'),
        eb.fn.countAll().filterWhere('state', 'in', OPEN_GRANT_STATES).as('open_grants'),
      ])
      .where('parent_id', '=', instance.id)
      .where('machine_id', '=', sql.lit('application' satisfies WorkflowId))
      .executeTakeFirstOrThrow();
    return {
      unscreenedApplications: Number(row.unscreened),
      undecidedApplications: Number(row.undecided),
      openGrants: Number(row.open_grants),
      awardedTotalMinor: await awardedTotalMinor(em, instance.id),
    };
  }

  async projectCall(em: EntityManager, instance: WorkflowInstance, context: CallContext): Promise<void> {
    const call = await em.findOne(Call, { id: instance.subjectId });
    if (call) Object.assign(call, columnsOf(context));
  }
}

/** The call's columns from its machine's terms: the projected fields only, times as dates. */
function columnsOf(terms: CallInput & Partial<Pick<CallContext, 'reviewDueAt'>>) {
  const columns = Object.fromEntries(CALL_PROJECTED_FIELDS.map((f) => [f, terms[f]])) as Pick<
    CallContext,
    (typeof CALL_PROJECTED_FIELDS)[number]
  >;
  return {
    ...columns,
    opensAt: new Date(terms.opensAt),
    closesAt: new Date(terms.closesAt),
    reviewDueAt: terms.reviewDueAt ? new Date(terms.reviewDueAt) : null,
  };
}

/** Only the locales given, trimmed of nothing: the text as written. */
function localised(text: Localised): Localised {
  return Object.fromEntries(LOCALES.filter((l) => typeof text[l] === 'string').map((l) => [l, text[l]]));
}

function questionOf(q: EligibilityQuestionDto): EligibilityQuestion {
  return { id: q.id, text: localised(q.text), required: q.required };
}

function criterionOf(c: CriterionDto): Criterion {
  return { name: c.name, description: c.description ?? '', weight: c.weight };
}

/** A tranche of the plan as the machine keeps it: its two fields, nothing else the body carried. */
function plannedTranche(t: PlannedTranche): PlannedTranche {
  return { sharePercent: t.sharePercent, release: t.release };
}
