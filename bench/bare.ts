import { createHash, randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';
import { runLoad, type LoadResult } from './load';

// The same writes the engine makes for one transition, as hand-written SQL in one transaction:
// read the instance, update its snapshot and chain head under the version check, append a log row,
// add an outbox row.

type Query = (sql: string, params: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

async function transitionOnce(q: Query, instanceId: string): Promise<void> {
  const { rows } = await q('select snapshot, version from workflow_instance where id = $1', [instanceId]);
  const version = Number(rows[0].version);
  const snapshot = { value: version % 2 ? 'more_info' : 'submitted', context: { round: version } };
  const hash = createHash('sha256').update(`${instanceId}:${version}`).digest('hex');
  const updated = await q(
    'update workflow_instance set snapshot = $2, state = $3, last_hash = $5, version = version + 1, updated_at = now() where id = $1 and version = $4 returning id',
    [instanceId, JSON.stringify(snapshot), snapshot.value, version, hash],
  );
  if (updated.rows.length !== 1) throw new Error('lock conflict');
  await q(
    `insert into transition_log (instance_id, seq, event_type, payload, actor_id, actor_role, from_state, to_state, at, prev_hash, hash)
     values ($1, $2, 'BENCH', '{}', 'bench', 'manager', 'a', 'b', now(), $3, $3)`,
    [instanceId, version + 1, hash],
  );
  await q(`insert into outbox (id, instance_id, type, payload) values ($1, $2, 'notify', '{"message":"bench"}')`, [
    randomUUID(),
    instanceId,
  ]);
}

async function seedInstances(q: Query, clients: number): Promise<string[]> {
  const ids = Array.from({ length: clients }, () => randomUUID());
  for (const id of ids) {
    await q(
      `insert into workflow_instance (id, machine_id, machine_version, state, snapshot, subject_type, subject_id, last_hash)
       values ($1, 'bench', 1, 'submitted', '{}', 'bench', $2, '')`,
      [id, randomUUID()],
    );
  }
  return ids;
}

const TABLES = ['workflow_instance', 'transition_log', 'outbox'];

/**
 * On the server the bare run works in a schema of its own, copied from the migrated tables (with
 * their indexes, defaults and foreign keys), and dropped afterwards: the service's data is untouched.
 */
export async function bareOnServer(
  url: string,
  clients: number,
  seconds: number,
  poolSize: number,
): Promise<LoadResult> {
  const schema = `bench_bare_${process.pid}`;
  const admin = new Pool({ connectionString: url, max: 1 });
  await admin.query(`create schema ${schema}`);
  for (const table of TABLES) await admin.query(`create table ${schema}.${table} (like public.${table} including all)`);
  await admin.query(
    `alter table ${schema}.transition_log add foreign key (instance_id) references ${schema}.workflow_instance (id) deferrable initially deferred`,
  );
  await admin.query(
    `alter table ${schema}.outbox add foreign key (instance_id) references ${schema}.workflow_instance (id) deferrable initially deferred`,
  );
  const pool = new Pool({ connectionString: url, max: poolSize, options: `-c search_path=${schema}` });
  try {
    const ids = await seedInstances((sql, params) => pool.query(sql, params), clients);
    return await runLoad(clients, seconds, async (client) => {
      const conn = await pool.connect();
      try {
        await conn.query('begin');
        await transitionOnce((sql, params) => conn.query(sql, params), ids[client]);
        await conn.query('commit');
      } catch (error) {
        await conn.query('rollback');
        throw error;
      } finally {
        conn.release();
      }
    });
  } finally {
    await pool.end();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  }
}

export async function bareOnEmbedded(pglite: PGlite, clients: number, seconds: number): Promise<LoadResult> {
  const ids = await seedInstances((sql, params) => pglite.query(sql, params), clients);
  return runLoad(clients, seconds, (client) =>
    pglite.transaction((tx) => transitionOnce((sql, params) => tx.query(sql, params), ids[client])),
  );
}
