import type { EntityManager } from '@mikro-orm/core';
import type { ApplicationContext } from '../../workflows/application.machine';
import type { DisbursementContext } from '../../workflows/disbursement.machine';
import type { Recipients } from '../../workflows/messages';
import type { ReportContext } from '../../workflows/report.machine';
import { Application } from '../applications/application.entity';
import { Call } from '../calls/call.entity';
import { WorkflowInstance } from '../engine/engine.entities';
import { User } from '../identity/identity.entities';
import type { ApplicationFacts, MessageModel } from './model';

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
}

export interface Site {
  baseUrl: string;
  programme: MessageModel['programme'];
}

/**
 * Turns one outbox row into the emails it stands for: who receives it, and the data its template
 * reads. What the transition decided (amounts, reasons, questions) comes from the context saved with
 * the row; names and titles come from the records as they are now.
 */
export async function addressMessage(em: EntityManager, payload: NotifyPayload, site: Site): Promise<Addressed[]> {
  const facts = await subjectFacts(em, payload);
  const recipients = await recipientsOf(em, payload.recipients, facts.groupId, payload);
  const link =
    payload.recipients === 'applicant_group' && facts.application
      ? `${site.baseUrl}/applications/${facts.applicationId}/status`
      : `${site.baseUrl}/${collectionOf(payload.subjectType)}/${payload.subjectId}`;
  return recipients.map((recipient) => ({
    recipient,
    data: {
      programme: site.programme,
      recipient: { name: recipient.name },
      at: payload.at,
      link,
      call: { title: facts.call.title, closesAt: facts.call.closesAt.toISOString() },
      application: facts.application,
      tranche:
        payload.subjectType === 'tranche'
          ? trancheFacts(payload.context as unknown as DisbursementContext)
          : null,
      report: payload.subjectType === 'report' ? reportFacts(payload.context as unknown as ReportContext) : null,
    },
  }));
}

interface SubjectFacts {
  call: Call;
  application: ApplicationFacts | null;
  applicationId: string | null;
  groupId: string | null;
}

async function subjectFacts(em: EntityManager, payload: NotifyPayload): Promise<SubjectFacts> {
  if (payload.subjectType === 'call') {
    return { call: await em.findOneOrFail(Call, { id: payload.subjectId }), application: null, applicationId: null, groupId: null };
  }
  const applicationId =
    payload.subjectType === 'application' ? payload.subjectId : String((payload.context as { applicationId: string }).applicationId);
  const application = await em.findOneOrFail(Application, { id: applicationId });
  const context =
    payload.subjectType === 'application'
      ? (payload.context as unknown as ApplicationContext)
      : await applicationContext(em, applicationId);
  return {
    call: await em.findOneOrFail(Call, { id: application.callId }),
    application: applicationFacts(application.reference, context),
    applicationId,
    groupId: context.groupId,
  };
}

async function applicationContext(em: EntityManager, applicationId: string): Promise<ApplicationContext> {
  const instance = await em.findOneOrFail(WorkflowInstance, { subjectType: 'application', subjectId: applicationId });
  return (instance.snapshot as { context: ApplicationContext }).context;
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
  return { amount: { minor: c.amountMinor, currency: c.currency }, paidOn: c.paidOn };
}

function reportFacts(c: ReportContext): MessageModel['report'] {
  return { kind: c.kind, dueAt: c.dueAt, overdueAt: c.overdueAt, comments: c.comments };
}

function collectionOf(subjectType: string): string {
  return subjectType === 'call' ? 'calls' : subjectType === 'tranche' ? 'tranches' : `${subjectType}s`;
}

/**
 * The people a message goes to. An applicant group is, for now, the member who created the
 * application. Finance officers never include the one who asked for the payment, nor one who has
 * already approved it: they are told of work only they can do.
 */
async function recipientsOf(
  em: EntityManager,
  recipients: Recipients,
  groupId: string | null,
  payload: NotifyPayload,
): Promise<User[]> {
  const order = { orderBy: { createdAt: 'asc', id: 'asc' } } as const;
  switch (recipients) {
    case 'applicant_group':
      return groupId ? em.find(User, { id: groupId }, order) : [];
    case 'programme_managers':
      return em.find(User, { role: 'manager' }, order);
    case 'call_committee':
      return em.find(User, { role: 'committee' }, order);
    case 'finance_officers': {
      const c = payload.context as unknown as DisbursementContext;
      const excluded = [c.requestedBy, ...c.approvedBy].filter((id): id is string => typeof id === 'string');
      return em.find(User, { role: 'finance', ...(excluded.length > 0 ? { id: { $nin: excluded } } : {}) }, order);
    }
  }
}
