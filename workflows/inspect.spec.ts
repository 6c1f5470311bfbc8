import { setup } from 'xstate';
import { callMachine, type CallContext, type CallEvent } from './call.machine';
import { CALL_CONTEXT, CALL_SAMPLES } from './fixtures';
import { explainRefusal, finalStates, leafStates, namedConditions, stateChangingEdges } from './inspect';
import { EFFECTS, guardsFor, type Stamp } from './kit';
import { Fixture, PEOPLE, by } from './testing';

const calls = new Fixture<CallContext, CallEvent>(callMachine, CALL_CONTEXT);

// A machine whose only event has two branches, neither of which may match.
type PickEvent = { type: 'PICK'; side: string } & Stamp;
const { branch } = guardsFor<object, PickEvent>();
const picker = setup({
  types: { events: {} as PickEvent },
  guards: {
    pickedLeft: branch('PICK', (_, e) => e.side === 'left'),
    pickedRight: branch('PICK', (_, e) => e.side === 'right'),
  },
  actions: EFFECTS,
}).createMachine({
  id: 'picker',
  initial: 'idle',
  states: {
    idle: {
      on: {
        PICK: [
          { guard: 'pickedLeft', target: 'left' },
          { guard: 'pickedRight', target: 'done.right' },
        ],
      },
    },
    left: { type: 'final' },
    done: { initial: 'right', states: { right: { type: 'final' } } },
  },
});

describe('explainRefusal', () => {
  it('says when the state has no transition for the event', () => {
    expect(explainRefusal(calls.at('draft'), CALL_SAMPLES.CLOSE)).toEqual({ kind: 'not_allowed' });
    expect(explainRefusal(calls.at('archived'), CALL_SAMPLES.CANCEL)).toEqual({ kind: 'not_allowed' });
  });

  it('says when a transition is enabled, guarded or not', () => {
    expect(explainRefusal(calls.at('draft'), CALL_SAMPLES.PUBLISH)).toEqual({ kind: 'enabled' });
    expect(explainRefusal(calls.at('draft'), CALL_SAMPLES.UPDATE)).toEqual({ kind: 'enabled' });
  });

  it('names the failing guard and each failing condition of a rule', () => {
    expect(explainRefusal(calls.at('draft', { budgetMinor: 0, currency: 'XXX' }), CALL_SAMPLES.PUBLISH)).toEqual({
      kind: 'guard_failed',
      failed: [{ guard: 'publishable', conditions: ['budgetPositive', 'maxAwardWithinBudget', 'currencyKnown'] }],
    });
  });

  it('leaves out branches not selected, unless none was', () => {
    const idle = picker.resolveState({ value: 'idle', context: {} });
    const pick = (side: string): PickEvent => ({ type: 'PICK', side, ...by(PEOPLE.manager) });
    expect(explainRefusal(idle, pick('left'))).toEqual({ kind: 'enabled' });
    expect(explainRefusal(idle, pick('up'))).toEqual({
      kind: 'guard_failed',
      failed: [
        { guard: 'pickedLeft', conditions: ['pickedLeft'] },
        { guard: 'pickedRight', conditions: ['pickedRight'] },
      ],
    });
  });
});

describe('machine inspection', () => {
  it('lists leaf and final states by path, and the transitions between states', () => {
    expect(leafStates(picker)).toEqual(['idle', 'left', 'done.right']);
    expect(finalStates(picker)).toEqual(['left', 'done.right']);
    expect(stateChangingEdges(picker)).toEqual([
      { from: 'idle', event: 'PICK', to: 'left' },
      { from: 'idle', event: 'PICK', to: 'done.right' },
    ]);
  });
});

describe('namedConditions', () => {
  it("lists a rule's conditions, a check's own name and a branch's name, never a rule that only gathers conditions", () => {
    const names = namedConditions(callMachine);
    expect(names).toEqual(
      expect.arrayContaining([
        'weightsSumTo100',
        'described',
        'openingTimeReached',
        'closedEarlyByManager',
        'allApplicationsScreened',
        'publishable',
      ]),
    );
    expect(names).not.toContain('reviewStartable');
    expect(new Set(names).size).toBe(names.length);
  });
});
