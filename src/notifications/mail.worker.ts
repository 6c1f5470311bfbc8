import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AppConfig } from '../config/config';
import { PollingLoop } from '../common/polling-loop';
import { MAIL_TRANSPORT, MailDispatcher } from './mail-dispatcher';
import type { MailTransport } from './mail-transport';
import { OutboxRelay } from './outbox-relay';

export interface DrainResult {
  handedOn: number;
  sent: number;
  failed: number;
  dead: number;
  unrecorded: number;
}

/** One drain's clock, running totals, and how the relay tells the dispatcher it handed on more. */
interface Drain {
  at: () => Date;
  total: DrainResult;
  relaying: boolean;
  batchesHandedOn: number;
  wake: () => void;
}

/**
 * Runs the mail loop in this process: hand committed outbox rows on as emails and send what is
 * due until neither has anything left, then wait `MAIL_POLL_MS`. Every process may run one; the claims keep them out of each other's way.
 */
@Injectable()
export class MailWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('mail');
  private readonly loop: PollingLoop;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly dispatcher: MailDispatcher,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.loop = new PollingLoop(config.MAIL_POLL_MS, () => this.drain(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.logger.log({ transport: this.transport.description }, 'mail goes to');
    this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.transport.close();
  }

  /**
   * Hands on and sends everything due; returns what happened. The relay and the dispatcher run
   * side by side, each a batch after another, the dispatcher taking what the relay has handed on so
   * far: mail flows while a long backlog is still being addressed, and neither waits for the other's
   * round trips. `now` is where the clock starts (a test passes a later one); it runs on from there,
   * so a batch claimed late in a long drain is leased from when it was claimed, and no second
   * dispatcher takes it while this one sends it.
   */
  async drain(now: Date = new Date()): Promise<DrainResult> {
    const offset = now.getTime() - this.clock();
    const run: Drain = {
      at: () => new Date(this.clock() + offset),
      total: { handedOn: 0, sent: 0, failed: 0, dead: 0, unrecorded: 0 },
      relaying: true,
      batchesHandedOn: 0,
      wake: () => undefined,
    };
    // Both settle before anything is thrown: a shutdown waits for the batch being sent.
    const [relayed, sent] = await Promise.allSettled([this.handOnAll(run), this.sendAll(run)]);
    if (relayed.status === 'rejected') throw relayed.reason;
    if (sent.status === 'rejected') throw sent.reason;
    return run.total;
  }

  private async handOnAll(run: Drain): Promise<void> {
    try {
      while (!this.loop.stopped) {
        const taken = await this.relay.runOnce(run.at());
        run.total.handedOn += taken;
        if (taken === 0) return;
        run.batchesHandedOn++;
        run.wake();
      }
    } finally {
      run.relaying = false;
      run.wake();
    }
  }

  /** Sends batch after batch; with nothing due, waits for the relay's next batch, and ends after its last. */
  private async sendAll(run: Drain): Promise<void> {
    while (!this.loop.stopped) {
      const handedOnBefore = run.batchesHandedOn;
      const batch = await this.dispatcher.runOnce(run.at());
      const { total } = run;
      total.sent += batch.sent;
      total.failed += batch.failed;
      total.dead += batch.dead;
      total.unrecorded += batch.unrecorded;
      if (batch.claimed > 0 || run.batchesHandedOn !== handedOnBefore) continue;
      if (!run.relaying) return;
      await new Promise<void>((resolve) => (run.wake = resolve));
    }
  }

  /** The time now, in milliseconds. */
  protected clock(): number {
    return Date.now();
  }
}
