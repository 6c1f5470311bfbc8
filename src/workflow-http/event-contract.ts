import type { ClassConstructor } from 'class-transformer';

/** A body that passes an event's validation, and what sending it does: for the API's documentation. */
export interface EventExample {
  summary: string;
  /** The body without its `type`, which the documentation adds. */
  value: Record<string, unknown>;
}

/** One validated DTO class per event type a client may send, each with an example. */
export interface EventContract {
  machineId: string;
  subjectType: string;
  /** The resource's path: `calls` for /calls/{id}. */
  resource: string;
  dtos: Record<string, ClassConstructor<object>>;
  examples: Record<string, EventExample>;
}

/** An event contract whose every event type has its example (the compiler checks that none is missing). */
export function eventContract<const D extends Record<string, ClassConstructor<object>>>(contract: {
  machineId: string;
  subjectType: string;
  resource: string;
  dtos: D;
  examples: { [K in keyof D]: EventExample };
}): EventContract {
  return contract;
}
