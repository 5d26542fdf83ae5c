import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { ensurePrivateDir, ensurePrivateFile, tightenModes } from './private-files.js';

export type SqliteConnection = Database.Database;
export type Synchronous = 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';

export interface OpenSqliteOptions<TSchema extends Record<string, unknown>> {
  /**
   * A file path, or ':memory:'. Missing parent directories are created 0700 and
   * the file 0600; an existing file (and its -wal/-shm) that others can read is
   * changed to 0600, with a line in `warnings`.
   */
  file: string;
  schema?: TSchema;
  /** FULL makes a committed transaction survive a power cut; NORMAL is ~10x faster in WAL. Default FULL. */
  synchronous?: Synchronous;
  /** How long a writer waits for another process's lock before SQLITE_BUSY. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** A drizzle-kit migrations folder, applied before the database is returned. */
  migrationsFolder?: string;
}

export interface SqliteDatabase<TSchema extends Record<string, unknown>> {
  sqlite: SqliteConnection;
  db: BetterSQLite3Database<TSchema>;
  close: () => void;
  /** One-line notices for the entry point to print (a file's mode was tightened). */
  warnings: string[];
}

/**
 * Open a SQLite file the way every quartet tool wants it: WAL, foreign keys
 * on, a busy timeout and an explicit synchronous level, migrations applied.
 *
 * Trap: drizzle's better-sqlite3 transactions must be synchronous. With
 * `db.transaction(async (tx) => { ...; await x; ... })` the callback returns a
 * promise, better-sqlite3 throws "Transaction function cannot return a
 * promise", and every statement after the first `await` runs later in
 * autocommit mode and persists. Use `immediateTransaction` below, whose type
 * refuses an async callback.
 */
export function openSqlite<TSchema extends Record<string, unknown> = Record<string, never>>(
  options: OpenSqliteOptions<TSchema>,
): SqliteDatabase<TSchema> {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const warnings = options.file === ':memory:' ? [] : preparePrivateFile(options.file);
  // The timeout is set at open so that switching to WAL also waits for other processes.
  const sqlite = new Database(options.file, { timeout: busyTimeoutMs });
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (options.migrationsFolder) applyMigrations(sqlite, options.migrationsFolder);
  } catch (error) {
    sqlite.close();
    throw error;
  }
  const db = options.schema ? drizzle(sqlite, { schema: options.schema }) : drizzle(sqlite);
  return { sqlite, db: db as BetterSQLite3Database<TSchema>, close: () => sqlite.close(), warnings };
}

/**
 * The database holds password hashes and secrets. SQLite gives its -wal and
 * -shm files the main file's mode, so creating the main file 0600 first keeps
 * all three private under any umask.
 */
function preparePrivateFile(file: string): string[] {
  ensurePrivateDir(dirname(file));
  const warning = ensurePrivateFile(file);
  return [...(warning ? [warning] : []), ...tightenModes([`${file}-wal`, `${file}-shm`])];
}

/**
 * Apply drizzle-kit migrations inside one BEGIN IMMEDIATE transaction.
 *
 * drizzle's own migrator reads the last applied migration before it begins
 * its transaction, so two processes opening a new database at once both try
 * to create the tables and one fails. Taking the write lock first makes the
 * second process wait and then find nothing left to do. The bookkeeping table
 * is drizzle's, so drizzle-kit still recognises the database.
 */
export function applyMigrations(sqlite: SqliteConnection, migrationsFolder: string): number {
  if (isUpToDate(sqlite, migrationsFolder)) return 0;
  const migrations = readMigrationFiles({ migrationsFolder });
  const apply = sqlite.transaction(() => {
    sqlite.exec(
      'CREATE TABLE IF NOT EXISTS "__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
    );
    const last = sqlite
      .prepare('SELECT created_at FROM "__drizzle_migrations" ORDER BY created_at DESC LIMIT 1')
      .get() as { created_at: number | string } | undefined;
    const insert = sqlite.prepare('INSERT INTO "__drizzle_migrations" ("hash", "created_at") VALUES (?, ?)');
    let applied = 0;
    for (const migration of migrations) {
      if (last && Number(last.created_at) >= migration.folderMillis) continue;
      for (const statement of migration.sql) if (statement.trim()) sqlite.exec(statement);
      insert.run(migration.hash, migration.folderMillis);
      applied += 1;
    }
    return applied;
  });
  return apply.immediate();
}

/**
 * Every start of a command opens the database, so the common case (nothing to apply) must be cheap: compare
 * the journal's newest entry with the newest applied one, without reading and hashing every SQL file and
 * without taking the write lock. Anything else (no table yet, a newer journal, an unreadable journal) goes
 * the full way, where drizzle's reader reports a missing file.
 */
function isUpToDate(sqlite: SqliteConnection, migrationsFolder: string): boolean {
  let newest: number;
  try {
    const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
      entries?: { when?: unknown }[];
    };
    newest = Math.max(...(journal.entries ?? []).map((entry) => Number(entry.when)));
  } catch {
    return false;
  }
  if (!Number.isFinite(newest)) return false;
  const table = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  if (!table) return false;
  const last = sqlite.prepare('SELECT max(created_at) AS at FROM "__drizzle_migrations"').get() as { at: unknown };
  return last.at !== null && Number(last.at) >= newest;
}

type SyncOnly<T> = T extends PromiseLike<unknown> ? never : T;
type Runner = Database.Transaction<(fn: () => unknown) => unknown>;

// One better-sqlite3 transaction function per connection: creating one per call (as drizzle's
// `db.transaction` does) cost a few microseconds on every write, a tenth of a small transfer.
const runners = new WeakMap<object, Runner>();

/**
 * Run `fn` in BEGIN IMMEDIATE: the write lock is taken up front, so a
 * read-then-write (check a balance, then debit it) never meets SQLITE_BUSY
 * halfway, and concurrent processes queue on the busy timeout instead.
 * Nested calls become savepoints. `fn` gets the same database back to run its
 * statements on (one connection, so they are inside the transaction). An
 * async `fn` is a type error (see the trap above), and better-sqlite3 throws
 * on a returned promise at run time.
 */
export function immediateTransaction<TSchema extends Record<string, unknown>, T>(
  db: BetterSQLite3Database<TSchema>,
  fn: (tx: BetterSQLite3Database<TSchema>) => SyncOnly<T>,
): T {
  // drizzle() puts the connection on `$client`; the declared type leaves it off.
  const client = (db as unknown as { $client: Database.Database }).$client;
  let run = runners.get(client);
  if (run === undefined) {
    run = client.transaction((inner: () => unknown) => inner());
    runners.set(client, run);
  }
  return run.immediate(() => fn(db)) as T;
}

/**
 * immediateTransaction for records that move nothing of value (login attempts, a last-login time): in WAL mode
 * the commit is written without fsync (synchronous NORMAL), consistent but durable only at the next synced
 * commit or checkpoint. A killed process loses nothing; a power cut or an OS crash may forget the last few.
 * The connection's own level is back in place afterwards, whatever `fn` does.
 */
export function unsyncedTransaction<TSchema extends Record<string, unknown>, T>(
  db: BetterSQLite3Database<TSchema>,
  fn: (tx: BetterSQLite3Database<TSchema>) => SyncOnly<T>,
): T {
  const client = (db as unknown as { $client: Database.Database }).$client;
  if (client.inTransaction) return immediateTransaction(db, fn); // the outer commit decides
  const level = client.pragma('synchronous', { simple: true }) as number;
  client.pragma('synchronous = NORMAL');
  try {
    return immediateTransaction(db, fn);
  } finally {
    client.pragma(`synchronous = ${level}`);
  }
}
