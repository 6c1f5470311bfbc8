import type { CallContext } from '../../workflows/call.machine';
import type { WorkflowBinding } from '../engine/binding';
import { CALL_FACT_EVENTS, CALL_PROJECTED_FIELDS, type CallsService } from './calls.service';

/** What the engine needs from calls: the deadline and counts its guards read, the body to event, the call's columns. */
export function callWorkflow(calls: CallsService): WorkflowBinding {
  return {
    machineId: 'call',
    facts: (em, instance, event) =>
      CALL_FACT_EVENTS.has(event.type) ? calls.facts(em, instance) : Promise.resolve(undefined),
    toEvent: (type, dto, em, id) => calls.toEvent(type, dto, em, id),
    projection: {
      fields: CALL_PROJECTED_FIELDS,
      apply: (em, instance, context) => calls.projectCall(em, instance, context as unknown as CallContext),
    },
  };
}
