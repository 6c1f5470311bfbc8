import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { Actor, CascadeParams, StartParams } from '../../workflows/kit';
import { ledgerEntriesFor, type LedgerEntry } from '../../workflows/ledger';
import { DomainError, ErrorCode } from '../common/domain-error';
import { OutboxMessage, TransitionLog, WorkflowInstance, WorkflowTimer } from './engine.entities';
import { GENESIS_HASH } from './hash-chain';
import {
  effectsOf,
  migrateSnapshot,
  persist,
  restore,
  stateKey,
  timersWanted,
  type PersistedSnapshot,
} from './machine-runtime';
import { WorkflowRegistry } from './registry';
import { refusalOf } from './refusal';
import { logRow, outboxRows } from './transition-records';
import { writeTransition } from './transition-writer';
import { InstanceCache, type InstanceRef } from './instance-cache';

import {
  DuplicateBindingError,
  type EventInput,
  type EventMapper,
  type FactsProvider,
  type Projection,
  type WorkflowBinding,
} from './binding';

export type { EventInput, FactsProvider, Projection, WorkflowBinding };

export type { InstanceRef };

export interface StartInput {
  machineId: string;
  subjectType: string;
  subjectId: string;
  parentId?: string;
  input: Record<string, unknown>;
  actor: Actor;
}

export interface TransitionOutcome {
  instance: WorkflowInstance;
  snapshot: AnyMachineSnapshot;
  from: string;
  to: string;
}

interface QueuedEvent {
  target: InstanceRef;
  event: EventInput;
  actor: Actor;
  expectedVersion?: number;
  /** When the event happens; now unless the scheduler fires a timer for a given moment. */
  at?: Date;
}

/** A computed transition, ready to be written. */
interface Prepared {
  result: TransitionOutcome;
  before: AnyMachineSnapshot;
  readVersion: number;
  log: TransitionLog;
  outbox: OutboxMessage[];
  /** The money the transition moves (workflows/ledger.ts), written with it. */
  ledger: LedgerEntry[];
  cascades: CascadeParams[];
  starts: StartParams[];
}

// A cascade that keeps going past this many steps is a cycle between machines: refuse it whole.
const MAX_CASCADE_STEPS = 10_000;

/** The one bridge between machines and the database: load, transition, persist, in one transaction. */
@Injectable()
export class WorkflowEngine {
  private readonly bound = new Map<string, WorkflowBinding>();
  private readonly facts = new Map<string, FactsProvider>();
  private readonly projections = new Map<
    string,
    { fields: readonly string[]; apply: Projection; onStateChange: boolean }
  >();
  private readonly serialised = new Map<string, Set<string>>();
  /** Every serialised event type, whatever its machine: most sends are told apart by this alone. */
  private readonly serialisedTypes = new Set<string>();
  private readonly cache = new InstanceCache();

  constructor(
    private readonly orm: MikroORM,
    private readonly registry: WorkflowRegistry,
  ) {}

  /** Takes a feature's binding (its `<feature>.workflow.ts`); a machine bound twice is an error at start. */
  bind(binding: WorkflowBinding): void {
    const { machineId } = binding;
    this.registry.get(machineId);
    if (this.bound.has(machineId))
      throw new DuplicateBindingError(`the ${machineId} workflow is bound twice: one <feature>.workflow.ts binds it`);
    this.bound.set(machineId, binding);
    if (binding.facts) this.facts.set(machineId, binding.facts);
    if (binding.serialised?.length) {
      this.serialised.set(machineId, new Set(binding.serialised));
      for (const type of binding.serialised) this.serialisedTypes.add(type);
    }
    const { projection } = binding;
    if (projection)
      this.projections.set(machineId, {
        fields: projection.fields,
        apply: projection.apply,
        onStateChange: projection.onStateChange ?? false,
      });
  }

  /** How an API body becomes an event of `machineId`, if its feature says. */
  eventMapper(machineId: string): EventMapper | undefined {
    return this.bound.get(machineId)?.toEvent;
  }

  /** Creates the instance for a new subject in the caller's transaction; logged as its first row. */
  start(em: EntityManager, input: StartInput): WorkflowInstance {
    const definition = this.registry.get(input.machineId);
    const [snapshot] = initialTransition(definition.machine, input.input);
    const at = new Date();
    const instance = em.create(WorkflowInstance, {
      machineId: definition.id,
      machineVersion: definition.version,
      state: stateKey(snapshot.value),
      snapshot: persist(snapshot) as unknown as Record<string, unknown>,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      parentId: input.parentId ?? null,
      lastHash: GENESIS_HASH,
      createdAt: at,
      updatedAt: at,
    });
    const log = logRow(instance, GENESIS_HASH, {
      eventType: 'START',
      payload: input.input,
      actor: input.actor,
      fromState: null,
      at,
      reason: null,
    });
    instance.lastHash = log.hash;
    em.persist(log);
    em.persist(outboxRows(instance, log, snapshot.context));
    for (const timer of timersWanted(snapshot)) em.create(WorkflowTimer, { instanceId: instance.id, ...timer });
    return instance;
  }

  /**
   * Sends one event from outside. A transition that touches nothing but its own instance, log and
   * outbox is one version-checked statement; any other runs whole in a transaction of its own.
   * (The bench measures the one statement and the kept copies at about twice the transitions a
   * second of a transaction for every event; see the README.)
   */
  async send(
    target: InstanceRef,
    event: EventInput,
    actor: Actor,
    expectedVersion?: number,
  ): Promise<TransitionOutcome> {
    const queued: QueuedEvent = { target, event, actor, expectedVersion };
    const em = this.orm.em.fork();
    try {
      if (await this.isSerialised(em, target, event.type)) return await this.sendInTransaction(em, queued);
      return (await this.sendAlone(em, queued)) ?? (await this.sendInTransaction(em, queued));
    } catch (error) {
      throw asLockConflict(error);
    }
  }

  /**
   * The transition as one statement, computed first on the copy of the instance this process last
   * wrote, then, if that copy was stale, on the database's; null when it needs a transaction.
   */
  private async sendAlone(em: EntityManager, queued: QueuedEvent): Promise<TransitionOutcome | null> {
    const cached = this.cache.get(queued.target);
    if (cached) {
      try {
        const outcome = await this.sendSimple(em, queued, cached);
        if (outcome) return outcome;
        this.cache.forget(cached.id);
        return null;
      } catch (error) {
        // Whatever a cached copy decided, refusal included, holds only if the database agrees.
        if (!(error instanceof DomainError)) throw error;
        this.cache.forget(cached.id);
      }
    }
    return this.sendSimple(em, queued);
  }

  private async isSerialised(em: EntityManager, target: InstanceRef, eventType: string): Promise<boolean> {
    if (!this.serialisedTypes.has(eventType)) return false;
    const machineId =
      this.cache.get(target)?.machineId ??
      (await em.findOne(WorkflowInstance, target, { fields: ['machineId'], disableIdentityMap: true }))?.machineId;
    return machineId !== undefined && (this.serialised.get(machineId)?.has(eventType) ?? false);
  }

  /** The transition as one statement; null when it needs a transaction (cascades, timers, projections). */
  private async sendSimple(
    em: EntityManager,
    queued: QueuedEvent,
    cached?: WorkflowInstance,
  ): Promise<TransitionOutcome | null> {
    const prepared = await this.prepare(em, queued, cached);
    if (prepared.cascades.length > 0 || prepared.starts.length > 0 || this.needsMore(prepared)) return null;
    await this.write(em, prepared);
    this.cache.remember(prepared.result.instance);
    return prepared.result;
  }

  private sendInTransaction(em: EntityManager, queued: QueuedEvent): Promise<TransitionOutcome> {
    return em.transactional((tx) => this.apply(tx, queued));
  }

  /** Applies an event and every cascade it causes in the caller's transaction; all of it or none. */
  async apply(em: EntityManager, first: QueuedEvent): Promise<TransitionOutcome> {
    const queue: QueuedEvent[] = [first];
    let outcome: TransitionOutcome | undefined;
    for (let steps = 0; queue.length > 0; steps++) {
      if (steps >= MAX_CASCADE_STEPS) throw new DomainError(ErrorCode.Conflict, 'cascade did not come to rest');
      const next = queue.shift() as QueuedEvent;
      const { result, cascades } = await this.step(em, next);
      // Written inside a transaction that may still roll back: drop the copy rather than keep a guess.
      this.cache.forget(result.instance.id);
      outcome ??= result;
      const caused = await this.resolveCascades(em, result.instance, cascades);
      queue.push(...caused.map((c) => ({ ...c, at: next.at })));
    }
    return outcome as TransitionOutcome;
  }

  /**
   * Loads an instance with its snapshot migrated to the running machine version. `detached` leaves
   * it out of the unit of work, for the write path, which updates it with its own version check.
   */
  async load(
    em: EntityManager,
    target: InstanceRef,
    detached = false,
    cached?: WorkflowInstance,
  ): Promise<{ instance: WorkflowInstance; snapshot: AnyMachineSnapshot }> {
    const instance = cached ?? (await em.findOne(WorkflowInstance, target, { disableIdentityMap: detached }));
    if (!instance)
      throw 'id' in target
        ? DomainError.notFound('workflow instance', target.id)
        : DomainError.notFound(target.subjectType, target.subjectId);
    const definition = this.registry.get(instance.machineId);
    let persisted = instance.snapshot as unknown as PersistedSnapshot;
    if (instance.machineVersion !== definition.version) {
      persisted = migrateSnapshot(definition, instance.machineVersion, persisted);
    }
    return { instance, snapshot: restore(definition.machine, persisted) };
  }

  private async step(
    em: EntityManager,
    queued: QueuedEvent,
  ): Promise<{ result: TransitionOutcome; cascades: CascadeParams[] }> {
    const prepared = await this.prepare(em, queued);
    await this.write(em, prepared);
    await this.startChildren(em, prepared.result.instance, prepared.starts, queued.actor);
    await this.syncTimers(em, prepared.result.instance, prepared.before, prepared.result.snapshot);
    await this.projectContext(em, prepared.result.instance, prepared.before, prepared.result.snapshot);
    await em.flush();
    return prepared;
  }

  /** Loads, checks and computes a transition; writes nothing. */
  private async prepare(em: EntityManager, queued: QueuedEvent, cached?: WorkflowInstance): Promise<Prepared> {
    const { instance, snapshot } = await this.load(em, queued.target, true, cached);
    if (queued.expectedVersion !== undefined && queued.expectedVersion !== instance.version) {
      const params = { version: instance.version, expected: queued.expectedVersion };
      throw DomainError.because(ErrorCode.LockConflict, [{ key: 'workflow.versionChanged', params }], {
        state: instance.state,
        version: instance.version,
      });
    }
    const definition = this.registry.get(instance.machineId);
    const facts = await this.facts.get(instance.machineId)?.(em, instance, queued.event);
    const at = queued.at ?? new Date();
    const event = { ...queued.event, ...(facts ? { facts } : {}), actor: queued.actor, at: at.toISOString() };
    if (!snapshot.can(event)) throw refusalOf(this.registry, instance, snapshot, event, queued.actor);

    const [next, actions] = transition(definition.machine, snapshot, event);
    const from = instance.state;
    const { type, actor: _actor, at: _at, ...payload } = event as EventInput & { actor: Actor; at: string };
    const reason = typeof payload.reason === 'string' ? payload.reason : null;
    const readVersion = instance.version;
    Object.assign(instance, {
      state: stateKey(next.value),
      snapshot: persist(next),
      machineVersion: definition.version,
      updatedAt: at,
    });
    const log = logRow(instance, instance.lastHash, {
      eventType: type,
      payload,
      actor: queued.actor,
      fromState: from,
      at,
      reason,
    });
    const effects = effectsOf(actions);
    return {
      result: { instance, snapshot: next, from, to: instance.state },
      before: snapshot,
      readVersion,
      log,
      outbox: outboxRows(instance, log, next.context),
      ledger: ledgerEntriesFor(instance.machineId, {
        event,
        from,
        to: instance.state,
        before: snapshot.context,
        after: next.context,
      }),
      cascades: effects.flatMap((e) => (e.type === 'cascade' ? [e.params] : [])),
      starts: effects.flatMap((e) => (e.type === 'start' ? [e.params] : [])),
    };
  }

  /** Only the request holding the version it read may write: a concurrent one finds no row. */
  private async write(em: EntityManager, prepared: Prepared): Promise<void> {
    const { instance } = prepared.result;
    if (!(await writeTransition(em, instance, prepared.readVersion, prepared.log, prepared.outbox, prepared.ledger))) {
      throw lockConflict();
    }
    Object.assign(instance, { version: prepared.readVersion + 1, lastHash: prepared.log.hash });
  }

  /** Whether a transition also has timers to arrange or a feature's table to update. */
  private needsMore({ before, result }: Prepared): boolean {
    return (
      timersWanted(before).length > 0 ||
      timersWanted(result.snapshot).length > 0 ||
      this.projectionDue(result.instance.machineId, before, result.snapshot)
    );
  }

  private projectionDue(machineId: string, before: AnyMachineSnapshot, after: AnyMachineSnapshot): boolean {
    const projection = this.projections.get(machineId);
    if (!projection) return false;
    if (projection.onStateChange && !isDeepStrictEqual(before.value, after.value)) return true;
    const [was, is] = [before.context as Record<string, unknown>, after.context as Record<string, unknown>];
    return projection.fields.some((f) => !isDeepStrictEqual(was[f], is[f]));
  }

  private async projectContext(
    em: EntityManager,
    instance: WorkflowInstance,
    before: AnyMachineSnapshot,
    after: AnyMachineSnapshot,
  ): Promise<void> {
    if (this.projectionDue(instance.machineId, before, after))
      await this.projections.get(instance.machineId)?.apply(em, instance, after.context);
  }

  /** The instances a transition starts as its own children, each with the record its feature makes for it. */
  private async startChildren(
    em: EntityManager,
    parent: WorkflowInstance,
    starts: StartParams[],
    actor: Actor,
  ): Promise<void> {
    for (const { machine, subjectType, inputs } of starts) {
      const subjectFor = this.bound.get(machine)?.subjectFor;
      if (!subjectFor) throw new Error(`the ${machine} workflow starts no instances: its binding makes no records`);
      for (const [index, input] of inputs.entries()) {
        const subjectId = await subjectFor(em, input, index);
        this.start(em, { machineId: machine, subjectType, subjectId, parentId: parent.id, input, actor });
      }
    }
  }

  /** Cancels pending timers the new state no longer declares and schedules the ones it adds. */
  private async syncTimers(
    em: EntityManager,
    instance: WorkflowInstance,
    before: AnyMachineSnapshot,
    after: AnyMachineSnapshot,
  ): Promise<void> {
    const wanted = timersWanted(after);
    if (wanted.length === 0 && timersWanted(before).length === 0) return;
    const pending = await em.find(WorkflowTimer, { instanceId: instance.id, firedAt: null, cancelledAt: null });
    const same = (a: { event: string; dueAt: Date }, b: { event: string; dueAt: Date }) =>
      a.event === b.event && a.dueAt.getTime() === b.dueAt.getTime();
    for (const timer of pending) {
      if (!wanted.some((w) => same(w, timer))) timer.cancelledAt = new Date();
    }
    for (const timer of wanted) {
      if (!pending.some((p) => same(p, timer))) em.create(WorkflowTimer, { instanceId: instance.id, ...timer });
    }
  }

  private async resolveCascades(
    em: EntityManager,
    source: WorkflowInstance,
    cascades: CascadeParams[],
  ): Promise<QueuedEvent[]> {
    const queued: QueuedEvent[] = [];
    const actor: Actor = { id: `cascade:${source.machineId}:${source.id}`, role: 'system' };
    for (const cascade of cascades) {
      if (cascade.target === 'parent' && !source.parentId) continue;
      const related = cascade.target === 'parent' ? { id: source.parentId as string } : { parentId: source.id };
      // Instances in other states are skipped, not refused: the cascade concerns only those it names.
      const targets = await em.find(
        WorkflowInstance,
        { ...related, machineId: cascade.machine, ...(cascade.inStates ? { state: { $in: cascade.inStates } } : {}) },
        { fields: ['id'], orderBy: { createdAt: 'asc', id: 'asc' } },
      );
      for (const target of targets) queued.push({ target: { id: target.id }, event: cascade.event, actor });
    }
    return queued;
  }
}

const lockConflict = () =>
  DomainError.because(ErrorCode.LockConflict, [{ key: 'workflow.changedMeanwhile', params: {} }]);

function asLockConflict(error: unknown): unknown {
  if (error instanceof OptimisticLockError || error instanceof UniqueConstraintViolationException) {
    return lockConflict();
  }
  return error;
}
