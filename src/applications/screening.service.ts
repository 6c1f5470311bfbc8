import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/core';
import type { ApplicationContext, ApplicationState } from '../../workflows/application.machine';
import { eligibilityCheck } from '../../workflows/proposal';
import { ApplicantGroup } from '../organisations/organisation.entities';
import type { EventContract } from '../workflow-http/workflow-resource';
import { DomainError, statusOf } from '../common/domain-error';
import { formatAmount } from '../common/money';
import { AppConfig } from '../config/config';
import { Call } from '../calls/call.entity';
import { WorkflowInstance } from '../engine/engine.entities';
import { WorkflowEngine } from '../engine/engine.service';
import { WorkflowResources } from '../workflow-http/workflow-resource';
import { Application } from './application.entity';
import type { DecisionItemDto, ScreeningItemDto } from './dto/application.dto';
import type { AuthenticatedUser } from '../common/authenticated-user';
import type { BatchOutcome, ScreeningView } from './application.views';

/** Screening: the call's applications waiting for it, each with its eligibility check, and decisions sent in batches. */
@Injectable()
export class ScreeningService {
  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    private readonly resources: WorkflowResources,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * The call's applications waiting to be screened (submitted, or asked for more information), each
   * with its answers and the computed eligibility check, oldest first.
   */
  async screeningList(callId: string): Promise<ScreeningView[]> {
    const em = this.orm.em.fork();
    const applications = await em.find(Application, { callId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return this.screeningViews(em, applications, ['submitted', 'more_info'] satisfies ApplicationState[]);
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
  private async screeningViews(
    em: EntityManager,
    applications: Application[],
    states?: string[],
  ): Promise<ScreeningView[]> {
    if (applications.length === 0) return [];
    const call = await em.findOneOrFail(Call, { id: applications[0].callId });
    const instances = await em.find(WorkflowInstance, {
      subjectType: 'application',
      subjectId: { $in: applications.map((a) => a.id) },
      ...(states && { state: { $in: states } }),
    });
    const instanceOf = new Map(instances.map((i) => [i.subjectId, i]));
    const groups = new Map(
      (await em.find(ApplicantGroup, { id: { $in: [...new Set(applications.map((a) => a.groupId))] } })).map((g) => [
        g.id,
        g,
      ]),
    );
    const views: ScreeningView[] = [];
    for (const application of applications) {
      const instance = instanceOf.get(application.id);
      if (!instance) continue;
      const context = (await this.engine.load(em, { id: instance.id }, false, instance)).snapshot
        .context as ApplicationContext;
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
        answers: call.questions.map((q) => ({
          id: q.id,
          question: q.text,
          required: q.required,
          answer: typeof answers[q.id] === 'boolean' ? answers[q.id] : null,
        })),
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
  async sendBatch(
    callId: string,
    items: (ScreeningItemDto | DecisionItemDto)[],
    user: AuthenticatedUser,
    contract: EventContract,
  ): Promise<BatchOutcome[]> {
    const em = this.orm.em.fork();
    const inCall = new Set(
      (await em.find(Application, { id: { $in: items.map((i) => i.applicationId) }, callId }, { fields: ['id'] })).map(
        (a) => a.id,
      ),
    );
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
        // Worded as the filter words a refusal of one request: in the sender's language.
        const { message } = error.inLocale(user.locale, this.config.PROGRAMME_TIME_ZONE);
        outcomes.push({ applicationId, ok: false, error: { status: statusOf(error.code), code: error.code, message } });
      }
    }
    return outcomes;
  }
}
