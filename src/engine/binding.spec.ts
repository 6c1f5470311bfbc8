import type { MikroORM } from '@mikro-orm/core';
import { DuplicateBindingError } from './binding';
import { WorkflowEngine } from './engine.service';
import { WorkflowRegistry } from './registry';
import { REPORT_WORKFLOW } from '../reports/reports.workflow';

// Binding touches no database: the engine is built without one.
const engine = () => new WorkflowEngine(undefined as unknown as MikroORM, new WorkflowRegistry());

describe('binding a feature to the engine', () => {
  it('takes one binding per machine and refuses a second at start', () => {
    const subject = engine();
    subject.bind(REPORT_WORKFLOW);
    expect(() => subject.bind({ machineId: 'report' })).toThrow(DuplicateBindingError);
    expect(() => subject.bind({ machineId: 'report' })).toThrow('the report workflow is bound twice');
  });

  it('refuses a binding for a machine the registry does not have', () => {
    expect(() => engine().bind({ machineId: 'grant' })).toThrow('There is no workflow “grant”.');
  });

  it('hands the route the binding’s body-to-event mapper, and none for a machine bound without one', () => {
    const subject = engine();
    const toEvent = () => Promise.resolve({ type: 'SAVE' });
    subject.bind({ machineId: 'review', toEvent });
    subject.bind(REPORT_WORKFLOW);
    expect(subject.eventMapper('review')).toBe(toEvent);
    expect(subject.eventMapper('report')).toBeUndefined();
  });
});
