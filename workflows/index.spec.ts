import { initialTransition, type AnyStateMachine } from 'xstate';
import { APPLICATION_INPUT, CALL_INPUT, DISBURSEMENT_INPUT, REPORT_INPUT } from './fixtures';
import { WORKFLOWS, applicationWorkflow, workflowById } from './index';
import { leafStates } from './inspect';
import { ROLES, type StateMeta } from './kit';
import { eventTypesOf } from './testing';

// Events only the scheduler or a cascade sends: no role may send them over HTTP.
const SYSTEM_ONLY: Record<string, string[]> = {
  call: [],
  application: ['CALL_CANCELLED', 'DECISIONS_CONFIRMED', 'REVIEW_STARTED'],
  disbursement: [],
  report: ['DUE', 'MARK_OVERDUE'],
};

const INPUTS: Record<string, unknown> = {
  call: CALL_INPUT,
  application: APPLICATION_INPUT,
  disbursement: DISBURSEMENT_INPUT,
  report: REPORT_INPUT,
};

function metaOf(machine: AnyStateMachine, state: string): StateMeta {
  return machine.root.states[state]?.meta ?? {};
}

describe('workflow registry', () => {
  it('lists the four machines at version 1, found by id', () => {
    expect(WORKFLOWS.map((w) => [w.id, w.machine.id, w.version])).toEqual([
      ['call', 'call', 1],
      ['application', 'application', 1],
      ['disbursement', 'disbursement', 1],
      ['report', 'report', 1],
    ]);
    expect(workflowById('application')).toBe(applicationWorkflow);
    expect(workflowById('grant')).toBeUndefined();
  });

  describe.each(WORKFLOWS.map((w) => [w.id, w] as const))('%s', (id, workflow) => {
    const machine: AnyStateMachine = workflow.machine;

    it('names the senders of every event but the system-only ones, with known roles', () => {
      const external = eventTypesOf(machine).filter((e) => !SYSTEM_ONLY[id]?.includes(e));
      expect(Object.keys(workflow.senders).sort()).toEqual(external);
      for (const roles of Object.values(workflow.senders)) {
        expect(roles.length).toBeGreaterThan(0);
        expect(roles.every((role) => ROLES.includes(role))).toBe(true);
      }
    });

    it('gives every state a public name', () => {
      for (const state of leafStates(machine)) expect(metaOf(machine, state).publicName).toMatch(/^[a-z][a-z ]+$/);
    });

    it('declares timers for its own events, due at context fields holding ISO times', () => {
      const [snapshot] = initialTransition(machine, INPUTS[id]);
      const context: Record<string, unknown> = snapshot.context;
      for (const state of leafStates(machine)) {
        for (const timer of metaOf(machine, state).timers ?? []) {
          expect(eventTypesOf(machine)).toContain(timer.event);
          expect(Number.isNaN(Date.parse(String(context[timer.at])))).toBe(false);
        }
      }
    });

  });
});
