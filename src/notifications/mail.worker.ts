import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
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

/**
 * Runs the mail loop in this process: hand committed outbox rows on as emails, then send what is
 * due, then wait `MAIL_POLL_MS`. Every process may run one; the claims keep them out of each other's way.
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
   * Hands on and sends everything due at `now`, a batch of each in turn, so that mail flows while
   * a long backlog is still being addressed; returns what happened.
   */
  async drain(now: Date = new Date()): Promise<DrainResult> {
    const total: DrainResult = { handedOn: 0, sent: 0, failed: 0, dead: 0, unrecorded: 0 };
    for (let busy = true; busy && !this.loop.stopped; ) {
      const taken = await this.relay.runOnce(now);
      const batch = await this.dispatcher.runOnce(now);
      total.handedOn += taken;
      total.sent += batch.sent;
      total.failed += batch.failed;
      total.dead += batch.dead;
      total.unrecorded += batch.unrecorded;
      busy = taken > 0 || batch.claimed > 0;
    }
    return total;
  }
}
