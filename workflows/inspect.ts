import {
  getNextTransitions,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type EventObject,
} from 'xstate';
import { failedConditions, isRuleGuard } from './kit';

// Read-only questions the engine asks about a machine or a snapshot. Pure, no I/O.

export interface FailedGuard {
  guard: string;
  /** The conditions that failed: the guard's own name for a single-condition guard. */
  conditions: string[];
}

export type Verdict =
  /** Some transition for the event is enabled (it may still change nothing). */
  | { kind: 'enabled' }
  /** The state has no transition for the event. */
  | { kind: 'not_allowed' }
  | { kind: 'guard_failed'; failed: FailedGuard[] };

interface GuardRef {
  type: string;
  params?: unknown;
}

function guardRef(guard: unknown): GuardRef | undefined {
  if (typeof guard === 'string') return { type: guard };
  if (guard && typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    return { type: guard.type, params: 'params' in guard ? guard.params : undefined };
  }
  return undefined;
}

/**
 * Why `event` would be refused in `snapshot`, naming each failing guard and condition.
 * A branch guard whose branch was not selected is left out: it is not a reason.
 */
export function explainRefusal(snapshot: AnyMachineSnapshot, event: EventObject): Verdict {
  const candidates =
    snapshot.status === 'active' ? getNextTransitions(snapshot).filter((t) => t.eventType === event.type) : [];
  if (candidates.length === 0) return { kind: 'not_allowed' };
  const { context } = snapshot;
  const failed: FailedGuard[] = [];
  const unselected: string[] = [];
  for (const transition of candidates) {
    const ref = guardRef(transition.guard);
    if (!ref) return { kind: 'enabled' };
    const impl: unknown = snapshot.machine.implementations.guards[ref.type];
    const params = typeof ref.params === 'function' ? ref.params({ context, event }) : ref.params;
    if (typeof impl !== 'function' || impl({ context, event }, params)) return { kind: 'enabled' };
    if (!isRuleGuard(impl)) {
      failed.push({ guard: ref.type, conditions: [ref.type] });
      continue;
    }
    const conditions = failedConditions(impl, context, event);
    if (conditions.length > 0) failed.push({ guard: ref.type, conditions });
    else unselected.push(ref.type);
  }
  // No branch matched the event at all: the branch guards themselves are the reason.
  return {
    kind: 'guard_failed',
    failed: failed.length ? failed : unselected.map((g) => ({ guard: g, conditions: [g] })),
  };
}

/**
 * Every name a refusal of this machine can give: the conditions of each `rule()` guard, the name of
 * a `check()` guard, and the name of a guard that selects a branch (reported when no branch matches).
 */
export function namedConditions(machine: AnyStateMachine): string[] {
  const names = Object.entries(machine.implementations.guards).flatMap(([name, impl]) => {
    if (!isRuleGuard(impl)) return [name];
    return [...Object.keys(impl.rule.require), ...(impl.rule.when ? [name] : [])];
  });
  return [...new Set(names)].sort();
}

/** A state node and every node below it, in document order. */
export function stateNodes(node: AnyStateNode): AnyStateNode[] {
  return [node, ...Object.values(node.states).flatMap(stateNodes)];
}

export interface Edge {
  from: string;
  event: string;
  to: string;
}

/** Every transition of a machine that moves it to another state, whatever its guard. */
export function stateChangingEdges(machine: AnyStateMachine): Edge[] {
  return stateNodes(machine.root).flatMap((node) =>
    [...node.transitions.entries()].flatMap(([event, candidates]) =>
      candidates.flatMap((candidate) =>
        (candidate.target ?? [])
          .filter((target) => target !== node)
          .map((target) => ({ from: node.path.join('.'), event, to: target.path.join('.') })),
      ),
    ),
  );
}

/** The leaf states of a machine, as their dotted paths. */
export function leafStates(machine: AnyStateMachine): string[] {
  return stateNodes(machine.root)
    .filter((node) => Object.keys(node.states).length === 0)
    .map((node) => node.path.join('.'));
}

/** The leaf states a machine cannot leave. */
export function finalStates(machine: AnyStateMachine): string[] {
  return stateNodes(machine.root)
    .filter((node) => node.type === 'final')
    .map((node) => node.path.join('.'));
}
