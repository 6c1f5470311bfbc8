import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/config';

/** The service's secret: `SESSION_SECRET`, or one made once and kept in the data folder (mode 600). */
export class ServiceSecret {
  readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = config.SESSION_SECRET
      ? Buffer.from(config.SESSION_SECRET, 'utf8')
      : ServiceSecret.fromFile(config.dataDir);
  }

  private static fromFile(dir: string): Buffer {
    const file = join(dir, 'session-secret');
    try {
      return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
    } catch {
      mkdirSync(dir, { recursive: true });
      const secret = randomBytes(32).toString('hex');
      // `wx`: of two processes starting together, one writes; the other reads what it wrote.
      try {
        writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      } catch {
        return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
      }
      return Buffer.from(secret, 'hex');
    }
  }
}
