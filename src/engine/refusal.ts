import type { AnyMachineSnapshot } from 'xstate';
import { explainRefusal } from '../../workflows/inspect';
import type { Actor, Explanation, ExplanationParams } from '../../workflows/kit';
import { DomainError, ErrorCode } from '../common/domain-error';
import type { EventInput } from './binding';
import type { WorkflowInstance } from './engine.entities';
import { acceptedEvents } from './machine-runtime';
import type { WorkflowRegistry } from './registry';

/** An event's refusal in words of the catalogue: the key and parameters of each reason, for any language. */
export function refusalOf(
  registry: WorkflowRegistry,
  instance: WorkflowInstance,
  snapshot: AnyMachineSnapshot,
  event: EventInput,
  actor: Actor,
): DomainError {
  const { machineId, state } = instance;
  const allowedEvents = registry.allowedEvents(machineId, snapshot, actor.role);
  if (!acceptedEvents(snapshot).includes(event.type)) {
    const params = {
      event: { term: `${machineId}.event.${event.type}` },
      record: { term: `${machineId}.record` },
      state: { term: `${machineId}.state.${state}` },
    };
    return DomainError.because(ErrorCode.EventNotAllowed, [{ key: 'refusal.eventNotAllowed', params }], {
      state,
      allowedEvents,
    });
  }
  const verdict = explainRefusal(snapshot, event);
  const failed = verdict.kind === 'guard_failed' ? verdict.failed : [];
  const conditions = failed.flatMap((f) => f.conditions);
  const explain = registry.get(machineId).explanations;
  const reasons = conditions.map((c) => ({
    key: `${machineId}.${c}`,
    params: explained(explain[c], snapshot.context, event),
  }));
  return DomainError.because(
    ErrorCode.GuardFailed,
    reasons.length ? reasons : [{ key: 'refusal.guardFailed', params: {} }],
    {
      state,
      allowedEvents,
      failedGuards: failed.map((f) => f.guard),
      failedConditions: conditions,
    },
  );
}

/** The parameters of a failed condition's message: none, rather than a 500, if its explanation throws. */
function explained(explanation: Explanation | undefined, context: unknown, event: EventInput): ExplanationParams {
  try {
    return explanation?.(context, event) ?? {};
  } catch {
    return {};
  }
}
