import { UnavailableError } from '@quartet/core';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Schema } from './schema.js';

export type Db = NodePgDatabase<Schema>;
/** A transaction: drizzle hands its callback one with the same query builders as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

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
    application_name: 'shop-api',
  });
  // An idle connection the server closed (restart, pg_terminate_backend) emits here; the pool has
  // already dropped it and the next request opens a new one. Without a listener it would crash the process.
  pool.on('error', () => {});
  return pool;
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

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Run `fn` in a READ COMMITTED transaction, retried (a few times) when PostgreSQL
 * aborts it as a deadlock victim or serialization failure. Callers lock the rows
 * they decide on with SELECT ... FOR UPDATE, always in the same order.
 */
export async function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      const code =
        (error as { code?: unknown; cause?: { code?: unknown } }).code ??
        (error as { cause?: { code?: unknown } }).cause?.code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}
