import type { EntityManager } from '@mikro-orm/core';
import type { WorkflowInstance } from './engine.entities';

export type EventInput = { type: string } & Record<string, unknown>;

/**
 * Facts a machine's guards need that live outside its context (the call's deadline, the awards
 * total...), loaded by the feature that owns them, inside the transition's transaction.
 */
export type FactsProvider = (
  em: EntityManager,
  instance: WorkflowInstance,
  event: EventInput,
) => Promise<Record<string, unknown> | undefined>;

/** Keeps a feature's own table in step with the machine's context, inside the transition's transaction. */
export type Projection = (
  em: EntityManager,
  instance: WorkflowInstance,
  context: Record<string, unknown>,
) => Promise<void> | void;

/** Turns a validated API body into the machine's event (amounts to minor units, times to ISO...). */
export type EventMapper = (type: string, dto: object, em: EntityManager, subjectId: string) => Promise<EventInput>;

/**
 * Everything the engine needs from the feature that owns a machine, declared in one place: the
 * feature's `<feature>.workflow.ts`. Each machine is bound once; a second binding stops the start.
 */
export interface WorkflowBinding {
  machineId: string;
  /** The facts its guards read. */
  facts?: FactsProvider;
  /** How an API body becomes an event; without it the body's fields are the event's. */
  toEvent?: EventMapper;
  /**
   * Events that always run in a transaction of their own, so the rows their facts provider locks
   * (a call's budget, say) stay locked until the transition commits.
   */
  serialised?: readonly string[];
  /**
   * The feature's own columns mirrored from the context: `apply` runs after any transition that
   * changes one of `fields`, and, with `onStateChange`, after any that changes the state.
   */
  projection?: { fields: readonly string[]; apply: Projection; onStateChange?: boolean };
  /**
   * The feature's record for an instance another machine starts (the `start` effect): made from
   * the instance's input in the transition's transaction; its id is the instance's subject.
   */
  subjectFor?: SubjectMaker;
}

/** Makes the feature's record for a new instance from its input, returning the record's id. */
export type SubjectMaker = (
  em: EntityManager,
  input: Record<string, unknown>,
  /** The input's place among those one effect starts, from 0: their order, as the machine gave it. */
  index: number,
) => Promise<string> | string;

export class DuplicateBindingError extends Error {}
