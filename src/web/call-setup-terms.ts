import type { AnyMachineSnapshot } from 'xstate';
import { callWorkflow, type CallContext } from '../../workflows/call.machine';
import { explainRefusal } from '../../workflows/inspect';
import type { Actor, ExplanationParams } from '../../workflows/kit';
import type { CallView } from '../calls/call.views';
import { parseAmount } from '../common/money';
import { SETUP_TASKS, datesUnset, type SetupTask } from './call-setup-forms';

// Which of a draft's terms are not ready to publish, read from the call machine's own PUBLISH
// guard (the machine stays the rule), and where each task of the task list stands because of it.

/** The task page that fixes each condition of PUBLISH. */
export const CONDITION_TASKS: Record<string, SetupTask> = {
  titled: 'texts',
  described: 'texts',
  budgetPositive: 'money',
  maxAwardWithinBudget: 'money',
  currencyKnown: 'money',
  opensBeforeCloses: 'dates',
  closesAfterPublishing: 'dates',
  questionsWorded: 'questions',
  compositionAttainable: 'composition',
  applicationsPerGroupPositive: 'composition',
  criteriaNamedAndWeighted: 'criteria',
  weightsSumTo100: 'criteria',
  scaleRising: 'scale',
  reviewersAssignable: 'reviewers',
  reviewTermsInRange: 'reviewers',
  financeThresholdWithinMaxAward: 'finance',
  paymentPlanValid: 'finance',
};

/** A task whose page needs another's terms first: the threshold is within the award, the reports after the dates. */
const NEEDS: Partial<Record<SetupTask, SetupTask>> = { finance: 'money', reports: 'dates' };

export type SetupStatus = 'completed' | 'incomplete' | 'cannotStart';

/** One term not ready: the catalogue key of the machine's reason, its parameters, and the task that fixes it. */
export interface NotReady {
  key: string;
  params: ExplanationParams;
  task: SetupTask;
}

/** The terms PUBLISH would refuse now, in the order of the task list. */
export function notReady(snapshot: AnyMachineSnapshot, actor: Actor, at: Date): NotReady[] {
  const event = { type: 'PUBLISH', actor, at: at.toISOString() };
  const verdict = explainRefusal(snapshot, event);
  if (verdict.kind !== 'guard_failed') return [];
  const conditions = [...new Set(verdict.failed.flatMap((f) => f.conditions))];
  const explanations = callWorkflow.explanations as Record<
    string,
    ((c: CallContext, e: typeof event) => ExplanationParams) | undefined
  >;
  return conditions
    .map((c) => ({
      key: `call.${c}`,
      params: explanations[c]?.(snapshot.context as CallContext, event) ?? {},
      task: CONDITION_TASKS[c] ?? 'texts',
    }))
    .sort((a, b) => SETUP_TASKS.indexOf(a.task) - SETUP_TASKS.indexOf(b.task));
}

/** Where each task stands: incomplete while PUBLISH names one of its terms, cannot start before the task it needs. */
export function taskStatuses(missing: readonly NotReady[]): Record<SetupTask, SetupStatus> {
  const incomplete = new Set(missing.map((m) => m.task));
  return Object.fromEntries(
    SETUP_TASKS.map((task) => {
      const needed = NEEDS[task];
      const status: SetupStatus =
        needed && incomplete.has(needed) ? 'cannotStart' : incomplete.has(task) ? 'incomplete' : 'completed';
      return [task, status];
    }),
  ) as Record<SetupTask, SetupStatus>;
}

/** The tasks whose terms are still as a call started from the new-call page has them: blank. */
export function unsetTasks(call: CallView): Set<SetupTask> {
  const none = (amount: string) => parseAmount(amount, call.currency) === 0;
  const unset: [SetupTask, boolean][] = [
    ['money', none(call.budget)],
    ['dates', datesUnset(call)],
    ['criteria', call.criteria.length === 0],
    ['finance', none(call.financeThreshold)],
  ];
  return new Set(unset.filter(([, blank]) => blank).map(([task]) => task));
}

/**
 * What the publish page lists: the machine's reasons, except that a task not filled in at all is
 * one line ("Money: not filled in yet") rather than each reason about its blank terms.
 */
export function notReadyLines(missing: readonly NotReady[], call: CallView): NotReady[] {
  const unset = unsetTasks(call);
  const blank = [...unset]
    .filter((task) => missing.some((m) => m.task === task))
    .map((task) => ({ task, key: 'web.setup.publish.notSet', params: { task: { term: `web.setup.task.${task}` } } }));
  return [...missing.filter((m) => !unset.has(m.task)), ...blank].sort(
    (a, b) => SETUP_TASKS.indexOf(a.task) - SETUP_TASKS.indexOf(b.task),
  );
}
