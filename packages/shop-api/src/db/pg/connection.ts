import { createPool as createCorePool, inTransaction, type PoolSettings } from '@quartet/core/pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type pg from 'pg';
import type { Page, PageRequest } from '../../domain/types.js';
import type { PoolStats } from '../store.js';
import { schema, type Schema } from './schema.js';

/** The database on the pool. */
export type Db = NodePgDatabase<Schema> & { $client: pg.Pool };
/** A transaction: the same query builders, on the one connection the transaction holds. */
export type Tx = NodePgDatabase<Schema> & { $client: pg.PoolClient };

export type { PoolSettings };

export function createPool(url: string, settings: PoolSettings): pg.Pool {
  return createCorePool(url, settings, 'shop-api');
}

/** node-postgres's own counts, read when asked (a metrics scrape). */
export function poolStats(pool: pg.Pool): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** A page of rows and the count of all rows under the same filters, queried side by side. */
export async function readPage<T>(
  rows: PromiseLike<T[]>,
  total: PromiseLike<{ n: number }[]>,
  page: PageRequest,
): Promise<Page<T>> {
  const [items, [count]] = await Promise.all([rows, total]);
  return { items, total: count?.n ?? 0, page: page.page, limit: page.limit };
}

/**
 * Run `fn` in a READ COMMITTED transaction (or as `begin` says) on one connection of the pool,
 * retried when PostgreSQL aborts it as a deadlock victim or serialization failure (core's
 * inTransaction). Callers lock the rows they decide on with SELECT ... FOR UPDATE, always in the
 * same order.
 */
export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  return inTransaction(db.$client, (client) => fn(drizzle(client, { schema })), { begin });
}
