import {
  __unsafe_getAllOwnEventDescriptors as ownEventDescriptors,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type ExecutableActionObject,
} from 'xstate';
import type { CascadeParams, StartParams, StateMeta, WorkflowDefinition } from '../../workflows/kit';

// Pure helpers between a machine and its persisted form. No database here.

export interface PersistedSnapshot {
  value: unknown;
  context: Record<string, unknown>;
  status: string;
}

export function persist(snapshot: AnyMachineSnapshot): PersistedSnapshot {
  return { value: snapshot.value, context: snapshot.context as Record<string, unknown>, status: snapshot.status };
}

export function restore(machine: AnyStateMachine, persisted: PersistedSnapshot): AnyMachineSnapshot {
  return machine.resolveState({ value: persisted.value as never, context: persisted.context });
}

/** The state as one indexed string: `draft`, or `parent.child` for nested states. */
export function stateKey(value: unknown): string {
  if (typeof value === 'string') return value;
  const [[key, inner]] = Object.entries(value as Record<string, unknown>);
  return `${key}.${stateKey(inner)}`;
}

/** Event types the current state has a transition for, ignoring guards (xstate.* internals left out). */
export function acceptedEvents(snapshot: AnyMachineSnapshot): string[] {
  return [...new Set(ownEventDescriptors(snapshot).filter((e) => !e.startsWith('xstate.') && e !== '*'))];
}

export type Effect = { type: 'cascade'; params: CascadeParams } | { type: 'start'; params: StartParams };

export function effectsOf(actions: ExecutableActionObject[]): Effect[] {
  return actions.filter((a): a is ExecutableActionObject & Effect => a.type === 'cascade' || a.type === 'start');
}

export interface WantedTimer {
  event: string;
  dueAt: Date;
}

/** The durable timers the active states declare, with due times read from context. */
export function timersWanted(snapshot: AnyMachineSnapshot): WantedTimer[] {
  const context = snapshot.context as Record<string, unknown>;
  const metas = Object.values(snapshot.getMeta() as Record<string, StateMeta | undefined>);
  return metas.flatMap((meta) =>
    (meta?.timers ?? []).flatMap((t) => {
      const raw = context[t.at];
      const dueAt = typeof raw === 'string' || raw instanceof Date ? new Date(raw) : undefined;
      return dueAt && !Number.isNaN(dueAt.getTime()) ? [{ event: t.event, dueAt }] : [];
    }),
  );
}

/** Whether a snapshot was written by an older machine version that can be migrated to the current one. */
export function canLoadVersion(definition: WorkflowDefinition, version: number): boolean {
  for (let v = version; v < definition.version; v++) {
    if (!definition.migrations[v]) return false;
  }
  return version <= definition.version;
}

export function migrateSnapshot(
  definition: WorkflowDefinition,
  version: number,
  snapshot: PersistedSnapshot,
): PersistedSnapshot {
  let current = snapshot as unknown as Record<string, unknown>;
  for (let v = version; v < definition.version; v++) current = definition.migrations[v](current);
  return current as unknown as PersistedSnapshot;
}
