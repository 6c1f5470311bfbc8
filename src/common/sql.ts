import type { EntityManager } from '@mikro-orm/core';

/** A raw query inside `em`'s transaction (on the embedded database any other connection would wait forever). */
export function sqlRows<T extends object>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());
}
