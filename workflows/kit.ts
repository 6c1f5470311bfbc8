import type { AnyStateMachine, EventObject } from 'xstate';
import { isCurrency, minorUnitDigits } from './currencies';

// The shared vocabulary of every machine in this folder. Nothing here does I/O.
//
// Guards: each guarded transition has exactly one guard, referenced by name, named after what must
// hold (`budgetPositive`, `beforeClosingTime`). An event with several conditions has one guard made
// with `rule()`, named after the rule (`submissionComplete`); its conditions are named too, and
// `failedConditions` / `explainRefusal` (inspect.ts) list the ones that failed. Where one event
// picks between targets, each branch's guard is a `rule()` whose `when` selects the branch, or a
// `branch()` that only selects: a branch that was not selected is never reported as a failure.
// Whatever a guard needs beyond context comes in the event's `facts`, filled by the server.

export const ROLES = ['manager', 'committee', 'finance', 'applicant'] as const;
export type Role = (typeof ROLES)[number];

/** Who sent an event. `system` is the scheduler (timers) or a cascade from another instance. */
export interface Actor {
  id: string;
  role: Role | 'system';
}

/** Stamped by the engine on every event before the machine sees it. */
export interface Stamp {
  actor: Actor;
  /** ISO 8601 time at which the event is applied: guards read "now" from here, never from a clock. */
  at: string;
}

/**
 * Side effects a machine asks for. Each is a named action in `setup()` whose params describe the
 * effect; the action bodies do nothing, the engine reads `type` and `params` from `transition()`.
 *  - cascade: events sent, in the same database transaction, to related instances.
 *  - start: new instances of another machine, children of this one, started in the same transaction.
 * Messages are not effects: which transition sends which message is the table in messages.ts.
 */
export interface CascadeParams {
  /** `children`: instances whose parent is this one; `parent`: the instance this one belongs to. */
  target: 'children' | 'parent';
  machine: string;
  /** Only instances in one of these states receive the event; others are skipped, not refused. */
  inStates?: string[];
  event: { type: string } & Record<string, unknown>;
}

/** Instances of `machine` to start as this instance's children, one for each input. */
export interface StartParams {
  machine: string;
  /** What each new instance is the machine of (`tranche`...): its feature makes the record. */
  subjectType: string;
  inputs: Record<string, unknown>[];
}

export const EFFECTS = {
  cascade: (_: unknown, _params: CascadeParams) => undefined,
  start: (_: unknown, _params: StartParams) => undefined,
};

/**
 * A durable timer a state needs while it is active: `event` is sent when the ISO time held in
 * context field `at` is reached. Declared in a state's `meta: { timers: [...] }`.
 */
export interface TimerSpec {
  event: string;
  at: string;
}

export interface StateMeta {
  timers?: TimerSpec[];
  /** Plain-words name of the state for applicants ("received", "being checked"...). */
  publicName?: string;
}

/** A migration turns a persisted snapshot of version N into one the version N+1 machine loads. */
export type SnapshotMigration = (snapshot: Record<string, unknown>) => Record<string, unknown>;

export interface WorkflowDefinition<M extends AnyStateMachine = AnyStateMachine> {
  id: string;
  version: number;
  machine: M;
  /**
   * Which roles may send each event type from outside (HTTP). Events left out are system-only.
   * A role sends only through its relation to the record (src/access/access.policy.ts): an
   * applicant as a member of the owning group, a manager or finance officer as staff of the call's
   * programme, a committee member as a member of the call's committee without a conflict. Rules
   * that depend on the event itself (a finance officer never approves their own request) are guards.
   */
  senders: Record<string, readonly Role[]>;
  /** Keyed by the version they migrate from. */
  migrations: Record<number, SnapshotMigration>;
  /**
   * What a refusal says for each named condition (a `rule()`'s conditions, a `check()` or `branch()`
   * guard's own name): the parameters of the message `<id>.<condition>` of the catalogue
   * (src/i18n/catalogue), from the context and event the guard saw. Every condition has one.
   */
  explanations: Record<string, Explanation>;
}

/**
 * A value a refusal's sentence needs. Words are the reader's: an amount, a date or a catalogue term
 * is written in the reader's language when the sentence is rendered; the machine only names it.
 */
export type ExplanationParam =
  | string
  | number
  | { money: number; currency: string }
  | { date: string }
  | { list: string[] }
  | { term: string }
  | { terms: string[] };

export type ExplanationParams = Record<string, ExplanationParam>;

/** The parameters of a failed condition's message, from the context and event the guard saw. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Explanation = (context: any, event: any) => ExplanationParams;

/** For a condition whose message needs nothing but its name. */
export const NO_PARAMS: Explanation = () => ({});

/** An amount of integer minor units, as a refusal's parameter. */
export const money = (minor: number, currency: string): ExplanationParam => ({ money: minor, currency });

/** An ISO time, as a refusal's parameter. */
export const date = (iso: string | null | undefined): ExplanationParam => ({ date: iso ?? '' });

export function defineWorkflow<M extends AnyStateMachine>(definition: WorkflowDefinition<M>): WorkflowDefinition<M> {
  return definition;
}

/** A named condition: a pure function of context and event. */
export type Check<C, E> = (context: C, event: E) => boolean;

export interface RuleSpec<C, E> {
  /** Selects the branch this guard belongs to; a refusal never names it. */
  when?: Check<C, E>;
  /** Every condition must hold; each failing one is reported by its key. */
  require: Record<string, Check<C, E>>;
}

export interface GuardFn<C, E> {
  (args: { context: C; event: E }): boolean;
}

/** A guard made by `rule()` or `branch()`: it carries its conditions for `failedConditions`. */
export interface RuleGuard<C, E> extends GuardFn<C, E> {
  readonly rule: RuleSpec<C, E>;
}

export function isRuleGuard(guard: unknown): guard is RuleGuard<unknown, unknown> {
  return typeof guard === 'function' && 'rule' in guard;
}

/** Names of the conditions of a rule guard that do not hold (empty when its branch is not selected). */
export function failedConditions<C, E>(guard: Pick<RuleGuard<C, E>, 'rule'>, context: C, event: E): string[] {
  const { when, require } = guard.rule;
  if (when && !when(context, event)) return [];
  return Object.entries(require)
    .filter(([, check]) => !check(context, event))
    .map(([name]) => name);
}

type OfType<E extends EventObject, T extends E['type']> = Extract<E, { type: T }>;

/**
 * Guard builders typed for one machine. Each narrows the event to the types it is written for
 * (and is false for any other), so checks read the payload without casts.
 */
export function guardsFor<C, E extends EventObject>() {
  function narrow<T extends E['type']>(types: T | readonly T[], check: Check<C, OfType<E, T>>) {
    const list: readonly string[] = Array.isArray(types) ? types : [types];
    const isType = (event: E): event is OfType<E, T> => list.includes(event.type);
    return (context: C, event: E): boolean => isType(event) && check(context, event);
  }

  /** A single-condition guard. */
  function check<T extends E['type']>(types: T | readonly T[], fn: Check<C, OfType<E, T>>): GuardFn<C, E> {
    const narrowed = narrow(types, fn);
    return ({ context, event }) => narrowed(context, event);
  }

  /** A guard over several named conditions, all of which must hold. */
  function rule<T extends E['type']>(types: T | readonly T[], spec: RuleSpec<C, OfType<E, T>>): RuleGuard<C, E> {
    const when = spec.when ? narrow(types, spec.when) : undefined;
    const require = Object.fromEntries(Object.entries(spec.require).map(([name, fn]) => [name, narrow(types, fn)]));
    const resolved: RuleSpec<C, E> = { when, require };
    const guard = ({ context, event }: { context: C; event: E }) =>
      (!when || when(context, event)) && failedConditions({ rule: resolved }, context, event).length === 0;
    return Object.assign(guard, { rule: resolved });
  }

  /** A guard that only picks the branch of an event with several targets. */
  function branch<T extends E['type']>(types: T | readonly T[], when: Check<C, OfType<E, T>>) {
    return rule(types, { when, require: {} });
  }

  return { check, rule, branch };
}

/** True when the ISO time `a` is strictly before `b`; false if either is not a valid time. */
export function isoBefore(a: string, b: string): boolean {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return Number.isFinite(x) && Number.isFinite(y) && x < y;
}

/** True when the ISO time `a` is at or after `b`; false if either is not a valid time. */
export function isoAtOrAfter(a: string, b: string): boolean {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return Number.isFinite(x) && Number.isFinite(y) && x >= y;
}

/** An amount of integer minor units as a decimal with its currency code: `2500.00 EUR`. */
export function amountInWords(minor: number, currency: string): string {
  const digits = isCurrency(currency) ? minorUnitDigits(currency) : 2;
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
}

/** A string with something other than white space in it. */
export function filled(text: string | undefined | null): boolean {
  return typeof text === 'string' && text.trim().length > 0;
}
