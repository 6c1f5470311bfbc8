import type { Logger } from '@nestjs/common';

/**
 * Runs `run` again and again, `intervalMs` after each run ends (never two at once), until stopped.
 * `stop()` waits for the run in progress, so a shutdown never cuts one off half-way.
 */
export class PollingLoop {
  private handle: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private halted = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  get stopped(): boolean {
    return this.halted;
  }

  /** Starts at once; an interval of 0 means the loop does not run in this process. */
  start(): void {
    if (this.intervalMs > 0) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.halted = true;
    clearTimeout(this.handle);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.halted) return;
    this.handle = setTimeout(() => {
      this.running = this.run()
        .catch((error: unknown) => this.logger.error({ err: error }, 'run failed'))
        .finally(() => this.schedule(this.intervalMs));
    }, delay);
  }
}
