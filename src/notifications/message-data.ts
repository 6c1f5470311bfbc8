import type { EntityManager } from '@mikro-orm/core';
import type { ApplicationContext } from '../../workflows/application.machine';
import type { DisbursementContext } from '../../workflows/disbursement.machine';
import type { Recipients } from '../../workflows/messages';
import type { ReportContext } from '../../workflows/report.machine';
import type { ReviewContext, ReviewState } from '../../workflows/review.machine';
import { db } from '../common/kysely';
import { Application } from '../applications/application.entity';
import { Call } from '../calls/call.entity';
import { WorkflowInstance } from '../engine/engine.entities';
import { User } from '../identity/identity.entities';
import { CommitteeMember, GroupMember, Programme } from '../organisations/organisation.entities';
import { inLocale } from '../../workflows/localised';
import type { ApplicationFacts, MessageModel, ReviewFacts } from './model';

/** What the engine writes in a `notify` outbox row (see outboxRows in the engine). */
export interface NotifyPayload {
  message: string;
  template: string;
  recipients: Recipients;
  machineId: string;
  subjectType: string;
  subjectId: string;
  at: string;
  context: Record<string, unknown>;
}

export interface Addressed {
  recipient: User;
  data: Omit<MessageModel, 'locale'>;
  /** The programme running the call: its managers see the email. */
  programmeId: string;
}

export interface Site {
  baseUrl: string;
  programme: MessageModel['programme'];
}

/**
 * Turns outbox rows into the emails they stand for: who receives each, and the data its template
 * reads. What the transition decided (amounts, reasons, questions) comes from the context saved with
 * the row; names and titles come from the records as they are now. One addresser serves one batch:
 * it loads the records of the whole batch at once and remembers the lists of staff it looked up.
 */
export class Addresser {
  private readonly staff = new Map<string, Promise<User[]>>();
  private readonly outstanding = new Map<string, Promise<OutstandingRow[]>>();
  /** Application contexts of the batch's tranches and reports, by application id. */
  private readonly parentContexts = new Map<string, ApplicationContext>();

  constructor(
    private readonly em: EntityManager,
    private readonly site: Site,
  ) {}

  /** Loads the applications, calls and application instances a batch refers to, in three queries. */
  async preload(payloads: NotifyPayload[]): Promise<void> {
    const applicationIds = [
      ...new Set(payloads.flatMap((p) => (p.subjectType === 'call' ? [] : [applicationIdOf(p)]))),
    ];
    const applications = await this.em.find(Application, { id: { $in: applicationIds } });
    const callIds = new Set([
      ...applications.map((a) => a.callId),
      ...payloads.filter((p) => p.subjectType === 'call').map((p) => p.subjectId),
    ]);
    const calls = await this.em.find(Call, { id: { $in: [...callIds] } });
    await this.em.find(Programme, { id: { $in: [...new Set(calls.map((c) => c.programmeId))] } });
    const parents = payloads
      .filter((p) => p.subjectType !== 'call' && p.subjectType !== 'application')
      .map(applicationIdOf);
    if (parents.length === 0) return;
    for (const instance of await this.em.find(WorkflowInstance, {
      subjectType: 'application',
      subjectId: { $in: parents },
    })) {
      this.parentContexts.set(instance.subjectId, (instance.snapshot as { context: ApplicationContext }).context);
    }
  }

  async address(payload: NotifyPayload): Promise<Addressed[]> {
    const facts = await this.subjectFacts(payload);
    const recipients = await this.recipientsOf(payload, facts.groupId, facts.call);
    const { baseUrl } = this.site;
    // The call's programme speaks in its own name; the configured one signs the rest.
    const programme = {
      ...this.site.programme,
      name: (await this.em.findOne(Programme, { id: facts.call.programmeId }))?.name ?? this.site.programme.name,
    };
    const link =
      payload.recipients === 'applicant_group' && facts.application
        ? `${baseUrl}/my-applications/${facts.applicationId}`
        : `${baseUrl}/${collectionOf(payload.subjectType)}/${payload.subjectId}`;
    const review = await this.reviewFacts(payload, facts.call);
    return recipients.map((recipient) => ({
      recipient,
      programmeId: facts.call.programmeId,
      data: {
        programme,
        recipient: { name: recipient.name },
        at: payload.at,
        link,
        call: { title: inLocale(facts.call.title, recipient.locale), closesAt: facts.call.closesAt.toISOString() },
        application: facts.application,
        tranche:
          payload.subjectType === 'tranche' ? trancheFacts(payload.context as unknown as DisbursementContext) : null,
        report: payload.subjectType === 'report' ? reportFacts(payload.context as unknown as ReportContext) : null,
        review: review && {
          ...review,
          outstanding: review.outstanding
            .filter((o) => o.reviewerId === undefined || o.reviewerId === recipient.id)
            .map(({ reviewerId: _, ...o }) => o),
        },
        signIn: null,
      },
    }));
  }

  /**
   * What a review message says: the deadline, the chair's reason, and the reviews not yet in, as
   * they stand now. A reminder lists each recipient's own (`reviewerId` says whose); the notice to
   * managers lists all of them with their reviewers' names.
   */
  private async reviewFacts(
    payload: NotifyPayload,
    call: Call,
  ): Promise<(Omit<ReviewFacts, 'outstanding'> & { outstanding: Outstanding[] }) | null> {
    const dueAt = call.reviewDueAt?.toISOString() ?? null;
    if (payload.subjectType === 'review')
      return { dueAt, reason: (payload.context as unknown as ReviewContext).reason, outstanding: [] };
    if (
      payload.machineId !== 'call' ||
      (payload.message !== 'call.review_reminder' && payload.message !== 'call.review_deadline_passed')
    )
      return null;
    const rows = await this.outstandingReviews(call.id);
    const forManagers = payload.recipients === 'programme_managers';
    return {
      dueAt,
      reason: null,
      outstanding: rows.map((r) => ({
        reference: r.reference,
        title: r.title,
        reviewer: forManagers ? r.reviewer : null,
        ...(forManagers ? {} : { reviewerId: r.reviewer_id }),
      })),
    };
  }

  /** Reviews of a call still in draft, read once per batch: a reminder's recipients and its list both come from it. */
  private outstandingReviews(callId: string): Promise<OutstandingRow[]> {
    let rows = this.outstanding.get(callId);
    if (!rows) {
      rows = this.loadOutstanding(callId);
      this.outstanding.set(callId, rows);
    }
    return rows;
  }

  private loadOutstanding(callId: string): Promise<OutstandingRow[]> {
    return db(this.em)
      .selectFrom('review as r')
      .innerJoin('application as a', 'a.id', 'r.application_id')
      .innerJoin('app_user as u', 'u.id', 'r.reviewer_id')
      .select(['a.reference', 'a.title', 'u.name as reviewer', 'u.id as reviewer_id'])
      .where('r.call_id', '=', callId)
      .where('r.state', '=', 'draft' satisfies ReviewState)
      .orderBy('a.reference')
      .orderBy('u.name')
      .execute();
  }

  private async subjectFacts(payload: NotifyPayload): Promise<SubjectFacts> {
    const em = this.em;
    if (payload.subjectType === 'call') {
      return {
        call: await em.findOneOrFail(Call, { id: payload.subjectId }),
        application: null,
        applicationId: null,
        groupId: null,
      };
    }
    const applicationId = applicationIdOf(payload);
    const application = await em.findOneOrFail(Application, { id: applicationId });
    const context =
      payload.subjectType === 'application'
        ? (payload.context as unknown as ApplicationContext)
        : await this.applicationContext(applicationId);
    return {
      call: await em.findOneOrFail(Call, { id: application.callId }),
      application: applicationFacts(application.reference, context),
      applicationId,
      groupId: context.groupId,
    };
  }

  private async applicationContext(applicationId: string): Promise<ApplicationContext> {
    const preloaded = this.parentContexts.get(applicationId);
    if (preloaded) return preloaded;
    const instance = await this.em.findOneOrFail(WorkflowInstance, {
      subjectType: 'application',
      subjectId: applicationId,
    });
    return (instance.snapshot as { context: ApplicationContext }).context;
  }

  /**
   * The people a message goes to: every member of the applicant group; the staff of the call's
   * programme in a role; the call's committee. Finance officers never include the one who asked
   * for the payment, nor one who has already approved it: they are told of work only they can do.
   */
  private async recipientsOf(payload: NotifyPayload, groupId: string | null, call: Call): Promise<User[]> {
    switch (payload.recipients) {
      case 'applicant_group':
        return groupId ? this.cached(`group:${groupId}`, () => this.groupMembers(groupId)) : [];
      case 'programme_managers':
        return this.staffOf(call, 'manager', []);
      case 'call_committee':
        return this.cached(`committee:${call.id}`, () => this.committeeOf(call.id));
      case 'finance_officers': {
        const c = payload.context as unknown as DisbursementContext;
        return this.staffOf(
          call,
          'finance',
          [c.requestedBy, ...c.approvedBy].filter((id): id is string => typeof id === 'string'),
        );
      }
      case 'programme_finance':
        return this.staffOf(call, 'finance', []);
      case 'reviewer':
        return this.em.find(User, { id: (payload.context as unknown as ReviewContext).reviewerId });
      case 'reviewers_outstanding': {
        const ids = [...new Set((await this.outstandingReviews(call.id)).map((r) => r.reviewer_id))];
        return this.em.find(User, { id: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      }
    }
  }

  private async groupMembers(groupId: string): Promise<User[]> {
    const ids = (await this.em.find(GroupMember, { groupId })).map((m) => m.userId);
    return this.em.find(User, { id: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  private async committeeOf(callId: string): Promise<User[]> {
    const ids = (await this.em.find(CommitteeMember, { callId })).map((m) => m.userId);
    return this.em.find(User, { id: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  private staffOf(call: Call, role: User['role'], excluded: string[]): Promise<User[]> {
    return this.cached(`${call.programmeId}:${role}:${excluded.join(',')}`, () =>
      this.em.find(
        User,
        { role, programmeId: call.programmeId, ...(excluded.length > 0 ? { id: { $nin: excluded } } : {}) },
        { orderBy: { createdAt: 'asc', id: 'asc' } },
      ),
    );
  }

  private cached(key: string, load: () => Promise<User[]>): Promise<User[]> {
    let users = this.staff.get(key);
    if (!users) {
      users = load();
      this.staff.set(key, users);
    }
    return users;
  }
}

interface OutstandingRow {
  reference: string;
  title: string;
  reviewer: string;
  reviewer_id: string;
}

interface Outstanding {
  reference: string;
  title: string;
  reviewer: string | null;
  /** Whose review it is, when each recipient is to see only their own. */
  reviewerId?: string;
}

interface SubjectFacts {
  call: Call;
  application: ApplicationFacts | null;
  applicationId: string | null;
  groupId: string | null;
}

function applicationIdOf(payload: NotifyPayload): string {
  return payload.subjectType === 'application'
    ? payload.subjectId
    : String((payload.context as { applicationId: string }).applicationId);
}

function applicationFacts(reference: string, c: ApplicationContext): ApplicationFacts {
  return {
    reference,
    title: c.title,
    requested: { minor: c.requestedMinor, currency: c.currency },
    awarded: c.awardedMinor === null ? null : { minor: c.awardedMinor, currency: c.currency },
    reason: c.reason,
    questions: c.questions,
    answers: c.answers,
  };
}

function trancheFacts(c: DisbursementContext): MessageModel['tranche'] {
  return {
    amount: { minor: c.amountMinor, currency: c.currency },
    paidOn: c.paidOn,
    paymentReference: c.paymentReference,
    reason: c.reason,
  };
}

function reportFacts(c: ReportContext): MessageModel['report'] {
  return { kind: c.kind, dueAt: c.dueAt, overdueAt: c.overdueAt, comments: c.comments };
}

function collectionOf(subjectType: string): string {
  return subjectType === 'call' ? 'calls' : subjectType === 'tranche' ? 'tranches' : `${subjectType}s`;
}
