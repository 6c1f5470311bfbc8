import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EntityManager, LockMode, MikroORM } from '@mikro-orm/core';
import { AppConfig } from '../config/config';
import { DomainError } from '../common/domain-error';
import { PollingLoop } from '../common/polling-loop';
import { WorkflowTimer } from './engine.entities';
import { WorkflowEngine } from './engine.service';

const BATCH = 20;

/**
 * Fires due durable timers. Each batch is claimed with FOR UPDATE SKIP LOCKED and marked fired in
 * the same transaction as the transition it causes, so every timer fires exactly once however many
 * processes share the database, and a timer missed while the service was down fires at the next start.
 */
@Injectable()
export class TimerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('timers');
  private readonly loop: PollingLoop;

  constructor(
    private readonly orm: MikroORM,
    private readonly engine: WorkflowEngine,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.loop = new PollingLoop(config.TIMER_POLL_MS, () => this.fireDue(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Fires every timer due at `now`, batch by batch; returns how many fired. */
  async fireDue(now: Date = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const fired = await this.fireBatch(now);
      total += fired;
      if (fired < BATCH || this.loop.stopped) return total;
    }
  }

  private fireBatch(now: Date): Promise<number> {
    return this.orm.em.fork().transactional(async (em) => {
      const due = await em.find(
        WorkflowTimer,
        { firedAt: null, cancelledAt: null, dueAt: { $lte: now } },
        { orderBy: { dueAt: 'asc', id: 'asc' }, limit: BATCH, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
      );
      for (const timer of due) {
        timer.outcome = await this.fire(em, timer, now);
        timer.firedAt = new Date();
        this.logger.log(
          { timer: timer.id, instance: timer.instanceId, event: timer.event, outcome: timer.outcome },
          'timer fired',
        );
      }
      return due.length;
    });
  }

  /** One timer's transition, in a savepoint: a refusal rolls back only that transition. */
  private async fire(em: EntityManager, timer: WorkflowTimer, now: Date): Promise<string> {
    try {
      const outcome = await em.transactional((inner) =>
        this.engine.apply(inner, {
          target: { id: timer.instanceId },
          event: { type: timer.event },
          actor: { id: `timer:${timer.id}`, role: 'system' },
          at: now,
        }),
      );
      return `${outcome.from} -> ${outcome.to}`;
    } catch (error) {
      if (error instanceof DomainError) return `refused: ${error.message}`;
      throw error;
    }
  }
}
