import { initialTransition, type AnyStateMachine } from 'xstate';
import {
  APPLICATION_INPUT,
  CALL_INPUT,
  CALL_SAMPLES,
  DISBURSEMENT_INPUT,
  REPORT_INPUT,
  REVIEW_INPUT,
} from './fixtures';
import { callMachine, callWorkflow } from './call.machine';
import { WORKFLOWS, applicationWorkflow, workflowById } from './index';
import { leafStates } from './inspect';
import { ROLES, type StateMeta } from './kit';
import { eventTypesOf } from './testing';

// Events only the scheduler or a cascade sends: no role may send them over HTTP.
const SYSTEM_ONLY: Record<string, string[]> = {
  call: ['OPEN', 'REMIND_REVIEWERS', 'REVIEW_DEADLINE'],
  // New bank details are given with PUT /applications/{id}/bank-details, which sends CHANGE_BANK_DETAILS.
  application: [
    'CALL_CANCELLED',
    'CHANGE_BANK_DETAILS',
    'DECISIONS_CONFIRMED',
    'REVIEW_PENDING',
    'REVIEW_STARTED',
    'REVIEW_SUBMITTED',
  ],
  disbursement: ['BANK_DETAILS_CHANGED'],
  report: ['DUE', 'MARK_OVERDUE'],
  // The chair reopens and the manager reassigns through routes of their own.
  review: ['APPLICATION_WITHDRAWN', 'REOPEN', 'UNASSIGN'],
};

const INPUTS: Record<string, unknown> = {
  call: CALL_INPUT,
  application: APPLICATION_INPUT,
  disbursement: DISBURSEMENT_INPUT,
  report: REPORT_INPUT,
  review: REVIEW_INPUT,
};

function metaOf(machine: AnyStateMachine, state: string): StateMeta {
  return machine.root.states[state]?.meta ?? {};
}

describe('snapshot migrations', () => {
  it('gives a version 1 call the terms of a new call, its title in English', () => {
    const v1 = {
      status: 'active',
      value: 'open',
      context: {
        title: 'Round one',
        maxAwardMinor: 300_000,
        criteria: [{ name: 'Need', weight: 100 }],
        closesAt: CALL_INPUT.closesAt,
      },
    };
    const v2 = callWorkflow.migrations[1](v1) as { value: string; context: Record<string, unknown> };
    expect(v2.value).toBe('open');
    expect(v2.context).toMatchObject({
      title: { en: 'Round one' },
      criteria: [{ name: 'Need', description: '', weight: 100 }],
      questions: [],
      composition: null,
      financeThresholdMinor: 300_000,
      applicationsPerGroup: 1,
    });
    expect(
      callMachine.resolveState({ value: 'open', context: v2.context as never }).can(CALL_SAMPLES.EXTEND_DEADLINE),
    ).toBe(true);
  });

  it('gives a version 3 call the payment plan calls had before: one tranche of 100% on acceptance', () => {
    const { paymentPlan: _none, ...v3context } = CALL_INPUT;
    const v4 = callWorkflow.migrations[3]({ status: 'active', value: 'open', context: v3context }) as {
      context: Record<string, unknown>;
    };
    expect(v4.context.paymentPlan).toEqual([{ sharePercent: 100, release: 'on_acceptance' }]);
    expect(v4.context.currency).toBe(CALL_INPUT.currency);
  });

  it('turns a version 1 application’s amount into a one-line budget', () => {
    const v1 = {
      status: 'active',
      value: 'draft',
      context: { title: 'Playground', requestedMinor: 240_000, maxAwardMinor: null },
    };
    const v2 = applicationWorkflow.migrations[1](v1) as {
      context: { proposal: { budget: unknown[] }; maxAwardMinor: number };
    };
    expect(v2.context.proposal.budget).toEqual([
      { category: 'Total', description: 'Amount requested', quantity: 1, unitCostMinor: 240_000 },
    ]);
    expect(v2.context.maxAwardMinor).toBe(240_000);
    const empty = applicationWorkflow.migrations[1]({
      ...v1,
      context: { ...v1.context, requestedMinor: 0, maxAwardMinor: 300_000 },
    }) as typeof v2;
    expect(empty.context).toMatchObject({ maxAwardMinor: 300_000, proposal: { budget: [] } });
  });
});

describe('workflow registry', () => {
  it('lists the four machines at their versions, found by id', () => {
    expect(WORKFLOWS.map((w) => [w.id, w.machine.id, w.version])).toEqual([
      ['call', 'call', 4],
      ['application', 'application', 2],
      ['disbursement', 'disbursement', 2],
      ['report', 'report', 1],
      ['review', 'review', 1],
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

    it('declares timers for its own events, due at context fields holding ISO times (null: no timer)', () => {
      const [snapshot] = initialTransition(machine, INPUTS[id]);
      const context: Record<string, unknown> = snapshot.context;
      for (const state of leafStates(machine)) {
        for (const timer of metaOf(machine, state).timers ?? []) {
          expect(eventTypesOf(machine)).toContain(timer.event);
          expect(Object.keys(context)).toContain(timer.at);
          const at = context[timer.at];
          expect(at === null || !Number.isNaN(Date.parse(String(at)))).toBe(true);
        }
      }
    });
  });
});
