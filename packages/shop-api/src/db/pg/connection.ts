import { UnavailableError } from '@quartet/core';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Page, PageRequest } from '../../domain/types.js';
import type { PoolStats } from '../store.js';
import { schema, type Schema } from './schema.js';

/** The database on the pool. */
export type Db = NodePgDatabase<Schema> & { $client: pg.Pool };
/** A transaction: the same query builders, on the one connection the transaction holds. */
export type Tx = NodePgDatabase<Schema> & { $client: pg.PoolClient };

export interface PoolSettings {
  /** Connections per instance. */
  size: number;
  /** How long to wait for a connection (new, or a free one from a busy pool) before failing with 503. */
  connectTimeoutMs: number;
  /** Longest a statement may run, enforced by the server and, in case the server is gone, by the client. */
  statementTimeoutMs: number;
}

export function createPool(url: string, settings: PoolSettings): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.size,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    // The client-side ceiling catches a server that stopped answering without closing the socket.
    query_timeout: settings.statementTimeoutMs + 1000,
    idle_in_transaction_session_timeout: settings.statementTimeoutMs * 2,
    keepAlive: true,
    // A URL's own ?application_name=... wins (pg reads the URL last): name instances to tell them apart.
    application_name: 'shop-api',
  });
  // A connection the server closes (restart, pg_terminate_backend) emits 'error': on the pool when
  // it was idle, on the client when it was checked out between two queries. Unheard, either would
  // crash the process. The failure itself reaches whoever queries next on that connection, and the
  // pool drops a broken connection when it comes back, so the next request opens a new one.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** node-postgres's own counts, read when asked (a metrics scrape). */
export function poolStats(pool: pg.Pool): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

/** Errors that mean "the database is not reachable right now", as opposed to a bug or a refused statement. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01', // admin_shutdown: pg_terminate_backend, a server stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '57014', // query_canceled: statement_timeout
  '53300', // too_many_connections
]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|connection timeout/i;

export function isUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (UNAVAILABLE_MESSAGES.test(e.message)) return true;
  }
  return false;
}

/** Connection trouble becomes core's UnavailableError (503 in the API, exit 6 in the CLI); the rest passes. */
export function translateError(error: unknown): unknown {
  if (error instanceof UnavailableError || !isUnavailable(error)) return error;
  return new UnavailableError('the database is not answering', 'DATABASE_UNAVAILABLE', { cause: error });
}

/** The violated unique constraint's name, when that is what `error` is (drizzle wraps the driver's error). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const { code, constraint: name } = e as { code?: unknown; constraint?: unknown };
    if (code === '23505') return name === constraint;
  }
  return false;
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

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

function sqlState(error: unknown): unknown {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code !== undefined) return code;
  }
  return undefined;
}

/**
 * Run `fn` in a READ COMMITTED transaction on one connection of the pool, retried (a few times)
 * when PostgreSQL aborts it as a deadlock victim or serialization failure. Callers lock the rows
 * they decide on with SELECT ... FOR UPDATE, always in the same order.
 *
 * Written out rather than drizzle's db.transaction() for one reason: a connection that failed
 * (terminated, timed out mid-query) must be destroyed, not handed back to the pool for the next
 * request to trip over; only release(error) does that.
 */
export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const attempts = 3;
  for (let attempt = 1; ; attempt++) {
    const client = await db.$client.connect();
    let broken: Error | undefined;
    try {
      await client.query(begin);
      const result = await fn(drizzle(client, { schema }));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isUnavailable(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback as Error));
      const code = sqlState(error);
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    } finally {
      client.release(broken);
    }
  }
}
