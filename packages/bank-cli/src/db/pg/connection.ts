import { createRequire } from 'node:module';
import { ConflictError, UnavailableError } from '@quartet/core/errors';
import { isUnavailable, RETRYABLE, sqlState } from '@quartet/core/pg-errors';
import type Client from 'pg-native';

/** A prepared statement: named and prepared on the server the first time it runs. */
export interface PgStatement<Row> {
  all(params?: readonly unknown[]): Row[];
  get(params?: readonly unknown[]): Row | undefined;
  run(params?: readonly unknown[]): void;
}

/** How long a transaction is run again while PostgreSQL keeps aborting it, unless the caller says (BANK_BUSY_TIMEOUT_MS). */
const DEFAULT_BUSY_TIMEOUT_MS = 5000;

const INT8 = 20;
const closedClients: Client[] = [];
/** lock_timeout ran out. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * One PostgreSQL session, used synchronously through libpq (pg-native, node-postgres's own binding), so that
 * bank's use cases read, decide and write inside one transaction exactly as they do on SQLite. A `bank` process
 * serves one person at a time, so waiting on the socket costs nothing a callback would save.
 */
export class PgConnection {
  private statements = 0;
  private depth = 0;

  private constructor(
    private readonly client: Client,
    private readonly busyTimeoutMs: number,
  ) {}

  /** Connects (failure: UnavailableError, exit 6) and sets the session up. */
  static open(url: string, applicationName = 'bank', busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS): PgConnection {
    // pg-native is CommonJS and loads libpq's compiled addon; only a PostgreSQL bank pays for it.
    const require = createRequire(import.meta.url);
    const NativeClient = loadNative(require);
    // pg-types comes with pg-native: its parsers for everything but int8.
    const types = createRequire(require.resolve('pg-native'))('pg-types') as {
      getTypeParser(oid: number, format?: string): (value: string) => unknown;
    };
    const client = new NativeClient({
      types: {
        // Money in minor units, ids and millisecond times are bigint columns; every one of them is a safe integer
        // (the domain keeps balances under 2^53). Sums that may be larger are read as text and parsed as BigInt.
        getTypeParser: (oid, format) => (oid === INT8 ? parseSafeInteger : types.getTypeParser(oid, format)),
      },
    });
    try {
      client.connectSync(withDefaults(url, applicationName));
    } catch (error) {
      throw new UnavailableError(`cannot connect to PostgreSQL: ${firstLine(error)}`, 'DATABASE_UNAVAILABLE', {
        cause: error,
      });
    }
    const connection = new PgConnection(client, busyTimeoutMs);
    // libpq prints the server's notices and warnings to stderr; bank's stderr is for its own one-line messages.
    connection.query('SET client_min_messages = error');
    // A row another session keeps locked is waited for as long as SQLite waits for its lock, not forever.
    connection.query(`SET lock_timeout = ${Math.max(1, Math.floor(busyTimeoutMs))}`);
    return connection;
  }

  query<Row = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Row[] {
    try {
      return (
        params.length === 0 ? this.client.querySync(text) : this.client.querySync(text, params.map(toParam))
      ) as Row[];
    } catch (error) {
      throw this.translate(error);
    }
  }

  /** A statement prepared once per session, on first use. Parameters are $1, $2, … */
  statement<Row = Record<string, unknown>>(text: string): PgStatement<Row> {
    let name: string | undefined;
    const execute = (params: readonly unknown[] = []): Row[] => {
      try {
        if (name === undefined) {
          const next = `bank_${++this.statements}`;
          this.client.prepareSync(next, text, params.length);
          name = next;
        }
        return this.client.executeSync(name, params.map(toParam)) as Row[];
      } catch (error) {
        throw this.translate(error);
      }
    };
    return {
      all: (params) => execute(params),
      get: (params) => execute(params)[0],
      run: (params) => void execute(params),
    };
  }

  /**
   * Runs `fn` in a SERIALIZABLE transaction, and again from the start when PostgreSQL aborts it because a
   * concurrent one won (so `fn` must only read and write through this connection). `synced: false` lets the
   * commit return before the WAL reaches the disk (login bookkeeping, as SQLite's unsynced transactions).
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => T, options: { synced: boolean }): T {
    if (this.depth > 0) return fn();
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      this.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      if (!options.synced) this.query('SET LOCAL synchronous_commit = off');
      this.depth++;
      let ended = false;
      try {
        const result = fn();
        // As better-sqlite3: statements after an await would run outside the transaction.
        if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
        // A COMMIT that fails (a serialization failure found at commit) has ended the transaction all the same.
        ended = true;
        this.query('COMMIT');
        return result;
      } catch (error) {
        if (!ended && !isUnavailable(error)) this.rollbackQuietly();
        const code = sqlState(error);
        if (code === LOCK_NOT_AVAILABLE) throw new ConflictError('the database is busy; try again', 'DATABASE_BUSY');
        if (code === undefined || !RETRYABLE.has(code)) throw error;
        // Other sessions keep winning, or PostgreSQL keeps aborting on a guess (it summarises old conflicts while
        // some long SERIALIZABLE transaction, anyone's, stays open): what SQLite says when its lock stays taken.
        if (Date.now() - started >= this.busyTimeoutMs) {
          throw new ConflictError('the database is busy; try again', 'DATABASE_BUSY');
        }
        backoff(attempt);
      } finally {
        this.depth--;
      }
    }
  }

  close(): void {
    this.client.end();
    // libpq's addon closes its socket watcher with uv_close, which finishes on a later turn of the event loop, and
    // at the same time lets the client be garbage-collected, freeing the watcher's memory first; Node 24's libuv
    // then aborts (uv__finish_close). Closed clients stay referenced, so that memory lives as long as the process.
    closedClients.push(this.client);
  }

  private rollbackQuietly(): void {
    try {
      this.client.querySync('ROLLBACK');
    } catch {
      // The session is gone; the server rolled back already.
    }
  }

  /** libpq's error as an Error with `code` (SQLSTATE) and `constraint`, which core's pg helpers read. */
  private translate(error: unknown): Error {
    const fields = this.client.pq.resultErrorFields();
    const message = fields?.['messagePrimary'] ?? firstLine(error);
    const translated = Object.assign(new Error(message, { cause: error }), {
      code: fields?.['sqlState'],
      constraint: fields?.['constraintName'],
      detail: fields?.['messageDetail'],
    });
    if (fields?.['sqlState'] === undefined && /server closed|connection|no connection|terminat/i.test(message)) {
      return new UnavailableError(`PostgreSQL went away: ${message}`, 'DATABASE_UNAVAILABLE', { cause: error });
    }
    if (isUnavailable(translated)) {
      return new UnavailableError(`PostgreSQL is not answering: ${message}`, 'DATABASE_UNAVAILABLE', {
        cause: translated,
      });
    }
    return translated;
  }
}

/** libpq takes text: an array becomes an array literal (pg-native would send `1,2`), undefined is NULL. */
function toParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (!Array.isArray(value)) return value;
  return `{${value.map((item) => (typeof item === 'string' ? `"${item.replace(/["\\]/g, '\\$&')}"` : String(item))).join(',')}}`;
}

/**
 * pg-native is an optional dependency: it compiles against libpq, and an install without libpq's headers goes on
 * without it (SQLite banks need none of it).
 */
function loadNative(require: NodeJS.Require): typeof Client {
  try {
    return require('pg-native') as typeof Client;
  } catch (error) {
    throw new UnavailableError(
      'PostgreSQL support is not installed: pg-native did not build (it needs libpq: apt install libpq-dev, or ' +
        "your system's PostgreSQL client headers, then pnpm install)",
      'DATABASE_UNAVAILABLE',
      { cause: error },
    );
  }
}

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`bigint ${text} is beyond 2^53; read it as text`);
  return value;
}

/** A connect timeout unless the URL sets one, and the session's name in pg_stat_activity. */
function withDefaults(url: string, applicationName: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('connect_timeout')) parsed.searchParams.set('connect_timeout', '5');
  if (!parsed.searchParams.has('application_name')) parsed.searchParams.set('application_name', applicationName);
  return parsed.toString();
}

/** libpq's first line, without its doubled spaces ("FATAL:  database …"). */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim().replace(/\s+/g, ' ');
}

/** A random pause, growing to at most 100 ms, before trying again, so that two losers do not collide again in step. */
function backoff(attempt: number): void {
  const ms = Math.min(100, 2 ** attempt) * Math.random();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
