import type { EntityManager } from '@mikro-orm/core';
import { TransitionLog } from './engine.entities';
import { chainHash, GENESIS_HASH } from './hash-chain';

export interface ChainBreak {
  instanceId: string;
  seq: number;
  logId: string;
  problem: string;
}

export interface VerifyReport {
  instances: number;
  rows: number;
  breaks: ChainBreak[];
}

const PAGE = 1000;

/** Recomputes every instance's hash chain, oldest row first, and names the first broken row of each. */
export async function verifyLog(em: EntityManager): Promise<VerifyReport> {
  const report: VerifyReport = { instances: 0, rows: 0, breaks: [] };
  let current: { instanceId: string; prevHash: string; expectedSeq: number; broken: boolean } | undefined;
  for (let offset = 0; ; offset += PAGE) {
    const rows = await em.find(TransitionLog, {}, { orderBy: { instanceId: 'asc', seq: 'asc' }, limit: PAGE, offset });
    for (const row of rows) {
      report.rows++;
      if (current?.instanceId !== row.instanceId) {
        report.instances++;
        current = { instanceId: row.instanceId, prevHash: GENESIS_HASH, expectedSeq: 1, broken: false };
      }
      if (current.broken) continue;
      const problem =
        row.seq !== current.expectedSeq
          ? `sequence ${row.seq} where ${current.expectedSeq} was expected`
          : row.prevHash !== current.prevHash
            ? 'prev_hash does not match the previous row'
            : chainHash(row.prevHash, row) !== row.hash
              ? 'hash does not match the row’s contents'
              : undefined;
      if (problem) {
        current.broken = true;
        report.breaks.push({ instanceId: row.instanceId, seq: row.seq, logId: String(row.id), problem });
      }
      current.prevHash = row.hash;
      current.expectedSeq++;
    }
    em.clear();
    if (rows.length < PAGE) return report;
  }
}
