import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { ApplicationContext, ApplicationInput, ApplicationState } from '../../workflows/application.machine';
import { amountInWords } from '../../workflows/kit';
import { EMPTY_PROPOSAL, budgetTotalMinor, eligibilityCheck, lineTotalMinor, type EligibilityCheck, type Proposal } from '../../workflows/proposal';
import { inLocale, type Localised, type Locale } from '../../workflows/localised';
import { ApplicantGroup, GroupMember } from '../organisations/organisation.entities';
import { Attachment, attachmentView, type AttachmentView } from './attachment.entity';
import type { EventContract } from '../workflow-http/workflow-resource';
import { SETTLED_TRANCHE_STATES } from '../../workflows/disbursement.machine';
import type { Actor, Role } from '../../workflows/kit';
import { DomainError, ErrorCode, statusOf } from '../common/domain-error';
import { formatAmount } from '../common/money';
import { Call } from '../calls/call.entity';
import { amountField, validationFailed } from '../common/validation';
import { TransitionLog, WorkflowInstance } from '../engine/engine.entities';
import { AppConfig } from '../config/config';
import { STATUS_WORDS } from './status-words';
import { formatDay } from '../notifications/format';
import { WorkflowEngine, type EventInput } from '../engine/engine.service';
import { WorkflowResources, type WorkflowView } from '../workflow-http/workflow-resource';
import { sqlRows } from '../common/sql';
import { Application } from './application.entity';
import { awardedTotalMinor } from './awards';
import { decodeCursor, encodeCursor, type ListSort } from './list-cursor';
import type { AwardEventDto, CreateApplicationDto, DecisionItemDto, ScreeningItemDto, UpdateDraftEventDto } from './dto/application.dto';
import type { AuthenticatedUser } from '../common/authenticated-user';

/** The proposal as the wire carries it: amounts as decimals, each budget line with its total. */
export interface ProposalView {
  summary: string;
  problem: string;
  activities: Proposal['activities'];
  participants: Proposal['participants'];
  composition: Proposal['composition'];
  municipality: string;
  budget: { category: string; description: string; quantity: number; unitCost: string; total: string }[];
  budgetTotal: string;
  coFunding: { source: string; amount: string; inKind: boolean }[];
  eligibilityAnswers: Record<string, boolean>;
}

export interface ApplicationView extends WorkflowView {
  id: string;
  reference: string;
  callId: string;
  groupId: string;
  title: string;
  currency: string;
  requestedAmount: string;
  maxAward: string;
  awardedAmount: string | null;
  proposal: ProposalView;
  attachments: AttachmentView[];
  createdAt: string;
}

/** One application as the manager screens it: the answers beside the questions, and the computed check. */
export interface ScreeningView {
  id: string;
  reference: string;
  title: string;
  group: { id: string; name: string };
  municipality: string;
  state: string;
  requestedAmount: string;
  maxAward: string;
  answers: { id: string; question: Localised; required: boolean; answer: boolean | null }[];
  composition: Proposal['composition'];
  check: EligibilityCheck;
  /** The questions of the last REQUEST_INFO and the group's answers. */
  questions: string[];
  answersToQuestions: string[];
}

export interface BatchOutcome {
  applicationId: string;
  ok: boolean;
  state?: string;
  previousState?: string;
  error?: { status: number; code: string; message: string };
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
  /** Every email about the application, to every member, with how its delivery went; `to` only for the group and managers. */
  emails: { message: string; to?: string; subject: string | null; status: string; queuedAt: string; sentAt: string | null }[];
}

export interface ApplicationSummary {
  id: string;
  reference: string;
  callId: string;
  group: { id: string; name: string };
  title: string;
  municipality: string;
  state: string;
  requestedAmount: string;
  currency: string;
  createdAt: string;
}

export interface ApplicationPage {
  items: ApplicationSummary[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
}

export { LIST_SORTS, type ListSort } from './list-cursor';

export interface ListFilters {
  callId?: string;
  states?: string[];
  municipality?: string;
  /** Words of the title. */
  q?: string;
  sort?: ListSort;
  order?: 'asc' | 'desc';
  limit?: number;
  cursor?: string;
}

// The column each sort reads, and the type a cursor's value is read as: the value is bound as text.
const SORT_COLUMNS: Record<ListSort, { column: string; type: string }> = {
  created: { column: 'a.created_at', type: 'timestamptz' },
  title: { column: 'a.title', type: 'text' },
  requested: { column: 'a.requested_minor', type: 'bigint' },
  reference: { column: 'a.reference', type: 'text' },
};

// States in which a group's application no longer counts towards its limit under a call.
const GIVEN_UP = ['withdrawn', 'cancelled'];


@Injectable()
export class ApplicationsService {
  private readonly timeZone: string;

  constructor(
    @Inject(AppConfig) config: AppConfig,
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
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
      if (callInstance.state !== 'open') throw new DomainError(ErrorCode.Conflict, `the call is ${callInstance.state}, not open for proposals`);
      const [group] = await sqlRows<{ municipality: string }>(em, 'select municipality from applicant_group where id = ? for update', [groupId]);
      const existing = await sqlRows<{ reference: string }>(
        em,
        `select a.reference from application a
           join workflow_instance i on i.subject_type = 'application' and i.subject_id = a.id
          where a.call_id = ? and a.group_id = ? and i.state not in (?)
          order by a.created_at`,
        [callId, groupId, GIVEN_UP],
      );
      if (existing.length >= call.applicationsPerGroup) {
        throw new DomainError(
          ErrorCode.Conflict,
          `your group already has ${existing.length === 1 ? 'an application' : `${existing.length} applications`} under this call (${existing.map((e) => e.reference).join(', ')}); ` +
            `the call allows ${call.applicationsPerGroup} per group: edit it, or withdraw it first`,
          { applications: existing.map((e) => e.reference) },
        );
      }
      const { title, groupId: _named, ...fields } = dto;
      const proposal: Proposal = { ...EMPTY_PROPOSAL, municipality: group.municipality, ...proposalChanges(fields, call.currency) };
      const input: ApplicationInput = { callId, groupId, title, currency: call.currency, maxAwardMinor: call.maxAwardMinor, proposal };
      const requestedMinor = budgetTotalMinor(proposal.budget);
      if (requestedMinor > call.maxAwardMinor) {
        throw validationFailed([{ field: 'budget', problems: [`the budget totals ${amountInWords(requestedMinor, call.currency)}, above the maximum award of ${amountInWords(call.maxAwardMinor, call.currency)}`] }]);
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
      this.engine.start(em, { machineId: 'application', subjectType: 'application', subjectId: application.id, parentId: callInstance.id, input: { ...input }, actor });
      return application.id;
    });
  }

  /**
   * The applications the caller may see: their groups' own; their programme's, for its staff; their
   * calls' minus those they declared a conflict on, for committee members. Filtered, sorted (newest
   * first by default) and paged by a cursor that holds the last row's sort value and id.
   */
  async list(user: AuthenticatedUser, filters: ListFilters = {}): Promise<ApplicationPage> {
    const scope: Record<Role, [string, unknown[]]> = {
      applicant: ['a.group_id in (select m.group_id from group_member m where m.user_id = ?)', [user.id]],
      manager: ['a.programme_id = ?', [user.programmeId]],
      finance: ['a.programme_id = ?', [user.programmeId]],
      // A committee member reads an application once they have declared no conflict with it; the
      // list to declare on is GET /calls/{id}/review.
      committee: [
        `a.call_id in (select k.call_id from committee_member k where k.user_id = ?)
         and exists (select 1 from conflict_declaration d where d.application_id = a.id and d.user_id = ? and not d.conflicted)`,
        [user.id, user.id],
      ],
    };
    const sortBy = filters.sort ?? 'created';
    const sort = SORT_COLUMNS[sortBy];
    const order = filters.order ?? (filters.sort === undefined || filters.sort === 'created' ? 'desc' : 'asc');
    const limit = filters.limit ?? 50;
    const where: [string, unknown[]][] = [scope[user.role]];
    if (filters.callId) where.push(['a.call_id = ?', [filters.callId]]);
    if (filters.states?.length) where.push(['i.state in (?)', [filters.states]]);
    if (filters.municipality) where.push(['a.municipality = ?', [filters.municipality]]);
    // Case folded by ICU's root locale, not the database's: a server made with the C locale folds only ASCII.
    if (filters.q) where.push([`(a.title collate "und-x-icu") ilike ? escape '\\'`, [`%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`]]);
    if (filters.cursor) {
      const { value, id } = decodeCursor(sortBy, filters.cursor);
      where.push([`(${sort.column}, a.id) ${order === 'desc' ? '<' : '>'} (?::${sort.type}, ?::uuid)`, [value, id]]);
    }
    const rows = await sqlRows<{ id: string; reference: string; call_id: string; group_id: string; group_name: string; title: string; municipality: string; requested_minor: string; currency: string; state: string; created_at: Date }>(
      this.orm.em.fork(),
      `select a.id, a.reference, a.call_id, a.group_id, g.name as group_name, a.title, a.municipality, a.requested_minor, a.currency, i.state, a.created_at
         from application a
         join workflow_instance i on i.subject_type = 'application' and i.subject_id = a.id
         join applicant_group g on g.id = a.group_id
        where ${where.map(([sql]) => `(${sql})`).join(' and ')}
        order by ${sort.column} ${order}, a.id ${order}
        limit ?`,
      [...where.flatMap(([, params]) => params), limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const sortValue = (r: (typeof rows)[number]) =>
      ({ created: new Date(r.created_at).toISOString(), title: r.title, requested: String(r.requested_minor), reference: r.reference })[sortBy];
    return {
      items: page.map((r) => ({
        id: r.id,
        reference: r.reference,
        callId: r.call_id,
        group: { id: r.group_id, name: r.group_name },
        title: r.title,
        municipality: r.municipality,
        state: r.state,
        requestedAmount: formatAmount(Number(r.requested_minor), r.currency),
        currency: r.currency,
        createdAt: new Date(r.created_at).toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor(sortBy, { value: sortValue(last), id: last.id }) : null,
    };
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
      createdAt: application.createdAt.toISOString(),
      ...this.resources.viewOf('applications', id, loaded, role),
    };
  }

  /**
   * The call's applications waiting to be screened (submitted, or asked for more information), each
   * with its answers and the computed eligibility check, oldest first.
   */
  async screeningList(callId: string): Promise<ScreeningView[]> {
    const em = this.orm.em.fork();
    const applications = await em.find(Application, { callId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return this.screeningViews(em, applications, ['submitted', 'more_info']);
  }

  /** One application as the manager screens it. */
  async screening(id: string): Promise<ScreeningView> {
    const em = this.orm.em.fork();
    const [view] = await this.screeningViews(em, [await em.findOneOrFail(Application, { id })]);
    return view;
  }

  /**
   * Screening views of applications of one call, in the order given, of those in `states` if named:
   * the call, the instances and the groups are each loaded once for all of them.
   */
  private async screeningViews(em: EntityManager, applications: Application[], states?: string[]): Promise<ScreeningView[]> {
    if (applications.length === 0) return [];
    const call = await em.findOneOrFail(Call, { id: applications[0].callId });
    const instances = await em.find(WorkflowInstance, {
      subjectType: 'application',
      subjectId: { $in: applications.map((a) => a.id) },
      ...(states && { state: { $in: states } }),
    });
    const instanceOf = new Map(instances.map((i) => [i.subjectId, i]));
    const groups = new Map((await em.find(ApplicantGroup, { id: { $in: [...new Set(applications.map((a) => a.groupId))] } })).map((g) => [g.id, g]));
    const views: ScreeningView[] = [];
    for (const application of applications) {
      const instance = instanceOf.get(application.id);
      if (!instance) continue;
      const context = (await this.engine.load(em, { id: instance.id }, false, instance)).snapshot.context as ApplicationContext;
      const group = groups.get(application.groupId) as ApplicantGroup;
      const answers = context.proposal.eligibilityAnswers;
      views.push({
        id: application.id,
        reference: application.reference,
        title: context.title,
        group: { id: group.id, name: group.name },
        municipality: context.proposal.municipality,
        state: instance.state,
        requestedAmount: formatAmount(context.requestedMinor, call.currency),
        maxAward: formatAmount(call.maxAwardMinor, call.currency),
        answers: call.questions.map((q) => ({ id: q.id, question: q.text, required: q.required, answer: typeof answers[q.id] === 'boolean' ? answers[q.id] : null })),
        composition: context.proposal.composition,
        check: eligibilityCheck(context.proposal, context.requestedMinor, call),
        questions: context.questions,
        answersToQuestions: context.answers,
      });
    }
    return views;
  }

  /**
   * Several screening decisions in one request, each its own transition: one refused leaves the
   * others done, and the outcome of each says what happened. An application outside the call is
   * refused as not found.
   */
  async sendBatch(callId: string, items: (ScreeningItemDto | DecisionItemDto)[], user: AuthenticatedUser, contract: EventContract): Promise<BatchOutcome[]> {
    const em = this.orm.em.fork();
    const inCall = new Set((await em.find(Application, { id: { $in: items.map((i) => i.applicationId) }, callId }, { fields: ['id'] })).map((a) => a.id));
    const outcomes: BatchOutcome[] = [];
    for (const item of items) {
      const { applicationId, ...fields } = item;
      // Only the fields given: an absent one is not sent as undefined to the event's own validation.
      const event = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
      try {
        if (!inCall.has(applicationId)) throw DomainError.notFound('application', applicationId);
        const view = await this.resources.send(contract, applicationId, event, user);
        outcomes.push({ applicationId, ok: true, state: view.state, previousState: view.previousState });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        outcomes.push({ applicationId, ok: false, error: { status: statusOf(error.code), code: error.code, message: error.message } });
      }
    }
    return outcomes;
  }

  /** Amounts in AWARD and the proposal fields of UPDATE_DRAFT become the machine's minor units. */
  async toEvent(type: string, dto: object, em: EntityManager, id: string): Promise<EventInput> {
    if (type !== 'AWARD' && type !== 'UPDATE_DRAFT') return { ...dto, type };
    const application = await em.findOne(Application, { id });
    if (!application) throw DomainError.notFound('application', id);
    if (type === 'AWARD') {
      const { amount, reason } = dto as AwardEventDto;
      return { type, amountMinor: amountField('amount', amount, application.currency), ...(reason !== undefined && { reason }) };
    }
    const { type: _type, title, ...fields } = dto as UpdateDraftEventDto;
    return { type, changes: { ...(title !== undefined && { title }), ...proposalChanges(fields, application.currency) } };
  }

  async facts(em: EntityManager, instance: WorkflowInstance, event: EventInput): Promise<Record<string, unknown> | undefined> {
    const context = (instance.snapshot as { context: ApplicationContext }).context;
    if (event.type === 'SUBMIT') {
      const call = await em.findOneOrFail(Call, { id: context.callId });
      const callInstance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'call', subjectId: context.callId });
      return { callState: callInstance.state, callClosesAt: call.closesAt.toISOString(), questions: call.questions };
    }
    if (event.type === 'AWARD') {
      const [call] = await sqlRows<{ budget_minor: string }>(em, 'select budget_minor from call where id = ? for update', [context.callId]);
      return { budgetLeftMinor: Number(call.budget_minor) - (await awardedTotalMinor(em, instance.parentId as string)) };
    }
    if (event.type === 'REVIEW_SUBMITTED') {
      const [row] = await sqlRows<{ outstanding: string }>(em, `select count(*) as outstanding from review where application_id = ? and state = 'draft'`, [instance.subjectId]);
      return { outstandingReviews: Number(row.outstanding) };
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

  async project(em: EntityManager, instance: WorkflowInstance, context: ApplicationContext): Promise<void> {
    const application = await em.findOne(Application, { id: instance.subjectId });
    if (application) {
      Object.assign(application, { title: context.title, requestedMinor: context.requestedMinor, municipality: context.proposal.municipality, proposal: context.proposal });
    }
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
    coFunding: fields.coFunding?.map((c, i) => ({ source: c.source, amountMinor: amountField(`coFunding.${i}.amount`, c.amount, currency), inKind: c.inKind ?? false })),
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
    coFunding: p.coFunding.map((c) => ({ source: c.source, amount: formatAmount(c.amountMinor, currency), inKind: c.inKind })),
    eligibilityAnswers: p.eligibilityAnswers,
  };
}
