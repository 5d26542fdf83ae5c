/**
 * PostgreSQL for the quartet tools that offer it beside SQLite (shop-api, bank): a pool that survives
 * a server going away, the line between "the database is not answering" (exit 6, HTTP 503) and every
 * other failure, transactions that are retried when PostgreSQL picks them as a deadlock victim, and
 * drizzle's migrator run once even when several processes start together.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { isUnavailable, RETRYABLE, sqlState, translateError } from './pg-errors.js';

export { isUnavailable, isUniqueViolation, RETRYABLE, sqlState, translateError } from './pg-errors.js';

export interface PoolSettings {
  /** Connections per process. */
  size: number;
  /** How long to wait for a connection (new, or a free one from a busy pool) before failing. */
  connectTimeoutMs: number;
  /** Longest a statement may run, enforced by the server and, in case the server is gone, by the client. */
  statementTimeoutMs: number;
}

/**
 * A pool whose connections time out rather than hang, named `applicationName` in pg_stat_activity
 * (a URL's own `?application_name=` wins: pg reads the URL last).
 */
export function createPool(url: string, settings: PoolSettings, applicationName: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: settings.size,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    // The client-side ceiling catches a server that stopped answering without closing the socket.
    query_timeout: settings.statementTimeoutMs + 1000,
    idle_in_transaction_session_timeout: settings.statementTimeoutMs * 2,
    keepAlive: true,
    application_name: applicationName,
  });
  // A connection the server closes (restart, pg_terminate_backend) emits 'error': on the pool when
  // it was idle, on the client when it was checked out between two queries. Unheard, either would
  // crash the process. The failure itself reaches whoever queries next on that connection, and the
  // pool drops a broken connection when it comes back, so the next request opens a new one.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * Run `fn` in a transaction on one connection of the pool (`begin` opens it: `BEGIN`, or
 * `BEGIN ISOLATION LEVEL SERIALIZABLE`), retried up to `attempts` times in all when PostgreSQL
 * aborts it as a deadlock victim or a serialization failure. `fn` must be safe to run again: it
 * reads and decides inside the transaction.
 *
 * Written out rather than drizzle's db.transaction() for one reason: a connection that failed
 * (terminated, timed out mid-query) must be destroyed, not handed back to the pool for the next
 * caller to trip over; only release(error) does that.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { begin?: string; attempts?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      await client.query(options.begin ?? 'BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (isUnavailable(error)) broken = error as Error;
      else await client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback as Error));
      const code = sqlState(error);
      if (attempt >= attempts || code === undefined || !RETRYABLE.has(code)) throw error;
    } finally {
      client.release(broken);
    }
  }
}

export interface MigrateOptions {
  url: string;
  /** The folder of drizzle-kit's PostgreSQL migrations (SQL files and meta/_journal.json). */
  migrationsFolder: string;
  connectTimeoutMs: number;
  /** The name of the session in pg_stat_activity, and of the advisory lock the migration holds. */
  applicationName: string;
}

/**
 * Apply pending migrations and report how many ran: drizzle's migrator in one transaction, under an
 * advisory lock, since processes starting together on a new database would otherwise all try to
 * create the tables. It runs on a connection of its own without a pool's timeouts (building an
 * index on a large table may take a while), and keeps its bookkeeping table in the schema the
 * connection works in (the first of its search_path), so that schemas stay independent.
 * Connection trouble is thrown as UnavailableError.
 */
export async function migratePg(options: MigrateOptions): Promise<number> {
  const client = new pg.Client({
    connectionString: options.url,
    connectionTimeoutMillis: options.connectTimeoutMs,
    keepAlive: true,
    application_name: options.applicationName,
  });
  client.on('error', () => {}); // a failure reaches the query in progress; unheard, it would crash the process
  try {
    await client.connect();
    const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const migrationsSchema = rows[0]?.schema ?? 'public';
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`${options.applicationName} migrations`]);
    const applied = async () => {
      const { rows: found } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = '__drizzle_migrations'`,
        [migrationsSchema],
      );
      if (found[0]?.n === 0) return 0;
      const { rows: done } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${migrationsSchema}"."__drizzle_migrations"`,
      );
      return done[0]?.n ?? 0;
    };
    const before = await applied();
    await migrate(drizzle(client), { migrationsFolder: options.migrationsFolder, migrationsSchema });
    // Ending the session releases the advisory lock.
    return (await applied()) - before;
  } catch (error) {
    throw translateError(error);
  } finally {
    await client.end().catch(() => {});
  }
}
