import { applicationWorkflow } from './application.machine';
import { callWorkflow } from './call.machine';
import { disbursementWorkflow } from './disbursement.machine';
import { reportWorkflow } from './report.machine';
import { reviewWorkflow } from './review.machine';

export * from './kit';
export * from './inspect';
export * from './currencies';
export * from './call.machine';
export * from './application.machine';
export * from './disbursement.machine';
export * from './report.machine';
export * from './review.machine';

export const WORKFLOWS = [
  callWorkflow,
  applicationWorkflow,
  disbursementWorkflow,
  reportWorkflow,
  reviewWorkflow,
] as const;

export type AnyWorkflow = (typeof WORKFLOWS)[number];
export type WorkflowId = AnyWorkflow['id'];

export function workflowById(id: string): AnyWorkflow | undefined {
  return WORKFLOWS.find((w) => w.id === id);
}
