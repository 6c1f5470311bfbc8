import type { WorkflowBinding } from '../engine/binding';

/** What the engine needs from reports. */
export const REPORT_WORKFLOW: WorkflowBinding = {
  machineId: 'report',
  // Report contents arrive with the reporting feature; until then a submitted report has no missing sections.
  facts: (_em, _instance, event) => Promise.resolve(event.type === 'SUBMIT' ? { missingSections: [] } : undefined),
};
