import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';
import { PgConnection } from '../src/db/pg/connection.js';
import { databaseFor, onPostgres } from './test-database.js';

/** Straight SQL on a test's bank, as another program (or someone with the file) could: `?` placeholders on both. */
export interface RawDatabase {
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T | undefined;
  run(sql: string, ...params: unknown[]): void;
  /** Several statements as one transaction. */
  transaction(fn: () => void): void;
  close(): void;
}

/** A second connection to the bank a test made at `file` (its PostgreSQL database in the bank-pg run); closed after the test. */
export function rawDatabase(file: string): RawDatabase {
  const db = onPostgres ? pgRaw(databaseFor(file)) : sqliteRaw(file);
  onTestFinished(() => db.close());
  return db;
}

function sqliteRaw(file: string): RawDatabase {
  const db = new Database(file);
  let open = true;
  return {
    all: <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    get: <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T | undefined,
    run: (sql, ...params) => void db.prepare(sql).run(...params),
    transaction: (fn) => db.transaction(fn)(),
    close: () => {
      if (open) db.close();
      open = false;
    },
  };
}

function pgRaw(url: string): RawDatabase {
  const pg = PgConnection.open(url, 'bank tests');
  let open = true;
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    all: <T>(sql: string, ...params: unknown[]) => pg.query<T>(numbered(sql), params),
    get: <T>(sql: string, ...params: unknown[]) => pg.query<T>(numbered(sql), params)[0],
    run: (sql, ...params) => void pg.query(numbered(sql), params),
    transaction: (fn) => pg.transaction(fn, { synced: true }),
    close: () => {
      if (open) pg.close();
      open = false;
    },
  };
}
