import { getShortestPaths } from '@xstate/graph';
import {
  getNextTransitions,
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
} from 'xstate';
import { applicationMachine, type ApplicationEvent } from './application.machine';
import { callMachine } from './call.machine';
import { disbursementMachine, type DisbursementEvent } from './disbursement.machine';
import {
  APPLICATION_INPUT,
  APPLICATION_SAMPLES,
  CALL_INPUT,
  CALL_SAMPLES,
  DISBURSEMENT_INPUT,
  DISBURSEMENT_SAMPLES,
  REPORT_INPUT,
  REPORT_SAMPLES,
} from './fixtures';
import { finalStates, leafStates } from './inspect';
import { reportMachine } from './report.machine';
import { PEOPLE, by, daysAfterT0 } from './testing';

// Model-based: explore each machine from its initial state with sample events that satisfy the
// guards, then check every leaf state was reached and every final state lets nothing out.

interface Model {
  machine: AnyStateMachine;
  inputs: unknown[];
  events: EventObject[];
}

const screenOut: ApplicationEvent = {
  type: 'SCREEN',
  decision: 'ineligible',
  reason: 'The group is outside the four municipalities',
  ...by(PEOPLE.manager),
};

// An amount at the threshold, and a second officer, reach the two-approval path.
const amendToThreshold: DisbursementEvent = {
  type: 'AMEND_AND_REQUEST',
  amountMinor: 200_000,
  facts: { awardLeftMinor: 240_000 },
  ...by(PEOPLE.manager),
};
const approveByFirstOfficer: DisbursementEvent = { type: 'APPROVE', ...by(PEOPLE.finance) };

const MODELS: Record<string, Model> = {
  // A call published ahead of its opening time waits in scheduled until OPEN.
  call: {
    machine: callMachine,
    inputs: [CALL_INPUT, { ...CALL_INPUT, opensAt: daysAfterT0(1) }],
    events: [...Object.values(CALL_SAMPLES), { type: 'OPEN', ...by(PEOPLE.system, daysAfterT0(1)) }],
  },
  application: {
    machine: applicationMachine,
    inputs: [APPLICATION_INPUT],
    events: [...Object.values(APPLICATION_SAMPLES), screenOut],
  },
  disbursement: {
    machine: disbursementMachine,
    inputs: [DISBURSEMENT_INPUT],
    events: [...Object.values(DISBURSEMENT_SAMPLES), amendToThreshold, approveByFirstOfficer],
  },
  report: {
    machine: reportMachine,
    inputs: [REPORT_INPUT, { ...REPORT_INPUT, kind: 'final' }],
    events: Object.values(REPORT_SAMPLES),
  },
};

/** The shortest path to every distinct snapshot reachable with the model's events. */
function explore({ machine, inputs, events }: Model): AnyMachineSnapshot[] {
  return inputs.flatMap((input) => getShortestPaths(machine, { input, events }).map((path) => path.state));
}

describe.each(Object.entries(MODELS))('%s machine paths', (_, model) => {
  const reached = explore(model);

  it('reaches every leaf state from the initial state', () => {
    const values = new Set(reached.map((snapshot) => String(snapshot.value)));
    expect([...values].sort()).toEqual(leafStates(model.machine).sort());
  });

  it('has final states from which no event leads out', () => {
    const finals = finalStates(model.machine);
    expect(finals.length).toBeGreaterThan(0);
    const ends = reached.filter((snapshot) => finals.includes(String(snapshot.value)));
    expect(new Set(ends.map((s) => String(s.value))).size).toBe(finals.length);
    for (const end of ends) {
      expect(end.status).toBe('done');
      expect(getNextTransitions(end)).toEqual([]);
      for (const event of model.events) {
        const [next, actions] = transition(model.machine, end, event);
        expect({ value: next.value, context: next.context, actions }).toEqual({
          value: end.value,
          context: end.context,
          actions: [],
        });
      }
    }
  });
});
