import type { ApplicationContext } from '../../workflows/application.machine';
import type { WorkflowBinding } from '../engine/binding';
import type { ApplicationsService } from './applications.service';

/** What the engine needs from applications: the call's facts, the body to event, the application's columns. */
export function applicationWorkflow(applications: ApplicationsService): WorkflowBinding {
  return {
    machineId: 'application',
    facts: (em, instance, event) => applications.facts(em, instance, event),
    toEvent: (type, dto, em, id) => applications.toEvent(type, dto, em, id),
    // An award's facts lock the call's row: concurrent awards are counted one after another.
    serialised: ['AWARD'],
    projection: {
      fields: ['title', 'requestedMinor', 'proposal'],
      apply: (em, instance, context) => applications.project(em, instance, context as unknown as ApplicationContext),
    },
  };
}
