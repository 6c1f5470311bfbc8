import { type EntityManager, OptionalProps } from '@mikro-orm/core';
import { SqlEntityManager, type SnakeCase } from '@mikro-orm/sql';
import { sql, type Expression, type Generated, type Kysely, type RawBuilder } from 'kysely';

/**
 * Every table, by its name in the database, with its columns: src/entities.ts fills it in from the
 * entities (the features own them, and this layer may not import them), so a renamed property or
 * table fails to compile wherever a query names it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging fills it in
export interface Database {}

// The drivers differ below the ORM: PGlite reads a timestamp as a Date and a bigint as a number,
// the server's driver reads both as text. A row says so, and its reader converts.
type Raw<V> = V extends Date ? Date | string : V;

// The properties an entity fills in itself (its `[OptionalProps]`): the database has a default for them.
type Defaulted<E> = E extends { [OptionalProps]?: infer K } ? K : never;

/** One entity's row as the database holds it: each property under its underscored column name. */
export type Columns<E> = {
  -readonly [K in keyof E as K extends string ? SnakeCase<K> : never]-?: K extends Defaulted<E>
    ? Generated<Raw<Exclude<E[K], undefined>>>
    : Raw<Exclude<E[K], undefined>>;
};

/** A row whose bigint columns `K` arrive as text or a number: the entities read them as numbers only once hydrated. */
export type Int8<T, K extends keyof T> = Omit<T, K> & {
  [P in K]: T[P] extends Generated<unknown> ? Generated<number | string> : number | string;
};

/** The typed query builder bound to `em`, and so to its transaction when it has one. */
export function db(em: EntityManager): Kysely<Database> {
  if (!(em instanceof SqlEntityManager)) throw new TypeError('Kysely needs an SQL entity manager');
  return em.getKysely<Database>();
}

/** A text a machine keeps in its persisted snapshot's context, read by SQL: `snapshot->'context'->>key`. */
export function contextText<Context>(
  snapshot: Expression<unknown>,
  key: keyof Context & string,
): RawBuilder<string | null> {
  return sql<string | null>`${snapshot}->'context'->>${sql.lit(key)}`;
}

/**
 * A whole number a machine keeps in its persisted snapshot's context, read by SQL:
 * `(snapshot->'context'->>key)::bigint`, the key typed by the machine's context.
 */
export function contextBigint<Context>(
  snapshot: Expression<unknown>,
  key: keyof Context & string,
): RawBuilder<number | string> {
  return sql<number | string>`(${contextText<Context>(snapshot, key)})::bigint`;
}

/** A value a machine keeps in its persisted snapshot's context, read by SQL as JSON: `snapshot->'context'->key`. */
export function contextJson<Context, K extends keyof Context & string>(
  snapshot: Expression<unknown>,
  key: K,
): RawBuilder<Context[K]> {
  return sql<Context[K]>`${snapshot}->'context'->${sql.lit(key)}`;
}
