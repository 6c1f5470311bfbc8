import { isDeepStrictEqual } from 'node:util';
import {
  transition,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type EventObject,
  type ExecutableActionObject,
  type MachineContext,
} from 'xstate';
import { explainRefusal, finalStates, leafStates } from './inspect';
import { isRuleGuard, type Actor, type CascadeParams, type Stamp, type StartParams } from './kit';
import { messagesFor } from './messages';

// Helpers for the machine specs: plain functions returning data, so the specs do the asserting
// and this file still builds without jest's types.

export const T0 = '2020-03-02T09:00:00.000Z';

export const PEOPLE = {
  manager: { id: 'manager-aigul', role: 'manager' },
  manager2: { id: 'manager-timur', role: 'manager' },
  finance: { id: 'finance-nurlan', role: 'finance' },
  finance2: { id: 'finance-elena', role: 'finance' },
  applicant: { id: 'applicant-gulistan', role: 'applicant' },
  committee: { id: 'committee-bakyt', role: 'committee' },
  chair: { id: 'committee-aida', role: 'committee' },
  system: { id: 'scheduler', role: 'system' },
} as const satisfies Record<string, Actor>;

/** The engine's stamp on an event: who sent it and when. */
export function by(actor: Actor, at: string = T0): Stamp {
  return { actor, at };
}

/** An ISO time `days` after T0 (negative: before). */
export function daysAfterT0(days: number): string {
  return new Date(Date.parse(T0) + days * 86_400_000).toISOString();
}

/** What a transition causes beyond its new state: cascades the machine asks for, messages the table sends. */
export type Effect =
  | { type: 'notify'; params: { message: string } }
  | { type: 'cascade'; params: CascadeParams }
  | { type: 'start'; params: StartParams };

function isEffect(action: ExecutableActionObject): action is ExecutableActionObject & Effect {
  return action.type === 'cascade' || action.type === 'start';
}

export function effectsOf(actions: ExecutableActionObject[]): Effect[] {
  return actions.filter(isEffect).map(({ type, params }) => ({ type, params }) as Effect);
}

export function notifyEffect(message: string): Effect {
  return { type: 'notify', params: { message } };
}

/** One sample event per event type of a machine, valid in the fixture's contexts. */
export type Samples<E extends EventObject> = { [K in E['type']]: Extract<E, { type: K }> };

/** The expected transitions: state -> event type -> next state. Anything left out must be refused. */
export type Table<E extends EventObject> = Record<string, Partial<Record<E['type'], string>>>;

export interface Outcome {
  snapshot: AnyMachineSnapshot;
  value: string;
  changed: boolean;
  effects: Effect[];
}

/** Snapshots of one machine in any state, from a base context and per-state additions. */
export class Fixture<C extends MachineContext, E extends EventObject> {
  constructor(
    readonly machine: AnyStateMachine,
    private readonly base: C,
    private readonly inState: Record<string, Partial<C>> = {},
  ) {}

  at(state: string, extra: Partial<C> = {}): AnyMachineSnapshot {
    const context: C = { ...this.base, ...this.inState[state], ...extra };
    return this.machine.resolveState({ value: state, context });
  }

  send(snapshot: AnyMachineSnapshot, event: E): Outcome {
    const [next, actions] = transition(this.machine, snapshot, event);
    const changed =
      !isDeepStrictEqual(next.value, snapshot.value) || !isDeepStrictEqual(next.context, snapshot.context);
    const messages = changed
      ? messagesFor(this.machine.id, { event: event.type, from: String(snapshot.value), to: String(next.value) })
      : [];
    return {
      snapshot: next,
      value: String(next.value),
      changed,
      effects: [...effectsOf(actions), ...messages.map((m) => notifyEffect(m.key))],
    };
  }
}

export interface TableRow {
  state: string;
  event: string;
  /** The next state, or `refused`. */
  expected: string;
  actual: string;
}

/** Every state crossed with every event type: what the table says against what the machine does. */
export function tableRows<C extends MachineContext, E extends EventObject>(
  fixture: Fixture<C, E>,
  samples: Samples<E>,
  table: Table<E>,
): TableRow[] {
  const events: E[] = Object.values(samples);
  return leafStates(fixture.machine).flatMap((state) =>
    events.map((event) => {
      const outcome = fixture.send(fixture.at(state), event);
      const expected: string | undefined = table[state]?.[event.type as E['type']];
      return {
        state,
        event: event.type,
        expected: expected ?? 'refused',
        actual: outcome.changed ? outcome.value : 'refused',
      };
    }),
  );
}

/** Event types named anywhere in a machine's transitions. */
export function eventTypesOf(machine: AnyStateMachine): string[] {
  const types = leafStates(machine).flatMap((state) => {
    const node = machine.root.states[state];
    return node ? [...node.transitions.keys()] : [];
  });
  return [...new Set(types)].sort();
}

/** Mismatches between a table and its machine: states or event types on one side only. */
export function tableShapeProblems<E extends EventObject>(
  machine: AnyStateMachine,
  samples: Samples<E>,
  table: Table<E>,
): string[] {
  const states = leafStates(machine);
  const events = eventTypesOf(machine);
  const sampled = Object.keys(samples).sort();
  return [
    ...states.filter((s) => !(s in table)).map((s) => `state ${s} missing from the table`),
    ...Object.keys(table)
      .filter((s) => !states.includes(s))
      .map((s) => `table has unknown state ${s}`),
    ...events.filter((e) => !sampled.includes(e)).map((e) => `no sample event for ${e}`),
    ...sampled.filter((e) => !events.includes(e)).map((e) => `sample for unknown event ${e}`),
    ...finalStates(machine)
      .filter((s) => Object.keys(table[s] ?? {}).length > 0)
      .map((s) => `final state ${s} has exits`),
  ];
}

export interface GuardCase<C extends MachineContext, E extends EventObject> {
  guard: string;
  state: string;
  context?: Partial<C>;
  event: E;
  /** The guard passes: the state reached (the same state for a transition that only assigns). */
  to?: string;
  /** The guard fails: the condition names `explainRefusal` must report, in order. */
  refused?: string[];
  /** Effects expected when it passes, exactly. */
  effects?: Effect[];
}

export interface GuardVerdict {
  guardPasses: boolean;
  to: string | null;
  refused: string[];
  effects?: Effect[];
}

function evaluateGuard(machine: AnyStateMachine, name: string, snapshot: AnyMachineSnapshot, event: EventObject) {
  const impl: unknown = machine.implementations.guards[name];
  if (typeof impl !== 'function') throw new Error(`no guard named ${name}`);
  return Boolean(impl({ context: snapshot.context, event }, undefined));
}

/** What a guard case should produce, and what the machine does, in the same shape. */
export function guardVerdicts<C extends MachineContext, E extends EventObject>(
  fixture: Fixture<C, E>,
  c: GuardCase<C, E>,
) {
  const snapshot = fixture.at(c.state, c.context);
  const outcome = fixture.send(snapshot, c.event);
  const verdict = explainRefusal(snapshot, c.event);
  const actual: GuardVerdict = {
    guardPasses: evaluateGuard(fixture.machine, c.guard, snapshot, c.event),
    to: outcome.changed ? outcome.value : null,
    refused: verdict.kind === 'guard_failed' ? verdict.failed.flatMap((f) => f.conditions) : [],
    ...(c.effects ? { effects: outcome.effects } : {}),
  };
  const expected: GuardVerdict = {
    guardPasses: c.to !== undefined,
    to: c.to ?? null,
    refused: c.refused ?? [],
    ...(c.effects ? { effects: c.effects } : {}),
  };
  return { actual, expected };
}

/** Guards without both a passing and a failing case, and rule conditions never seen failing. */
export function guardCoverageGaps<C extends MachineContext, E extends EventObject>(
  machine: AnyStateMachine,
  cases: GuardCase<C, E>[],
): string[] {
  const guards = machine.implementations.guards;
  return Object.keys(guards).flatMap((name) => {
    const mine = cases.filter((c) => c.guard === name);
    const gaps: string[] = [];
    if (!mine.some((c) => c.to !== undefined)) gaps.push(`${name}: no passing case`);
    if (!mine.some((c) => c.to === undefined)) gaps.push(`${name}: no failing case`);
    const impl: unknown = guards[name];
    if (isRuleGuard(impl)) {
      const seen = new Set(mine.flatMap((c) => c.refused ?? []));
      for (const condition of Object.keys(impl.rule.require)) {
        if (!seen.has(condition)) gaps.push(`${name}.${condition}: never seen failing`);
      }
    }
    return gaps;
  });
}

/** `[title, case]` pairs for `it.each`: the guard, the state, the event and what should happen. */
export function titled<C extends MachineContext, E extends EventObject>(cases: GuardCase<C, E>[]) {
  return cases.map((c) => {
    const outcome = c.to ? `-> ${c.to}` : `refused: ${(c.refused ?? []).join(', ')}`;
    return [`${c.guard} in ${c.state}: ${c.event.type} ${outcome}`, c] as const;
  });
}

/** mulberry32: a small seeded generator, so random instances are the same on every run and a failing one can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
