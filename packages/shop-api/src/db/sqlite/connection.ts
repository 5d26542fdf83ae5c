import { sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Page, PageRequest } from '../../domain/types.js';
import { offsetOf } from '../rows.js';
import type { Schema } from './schema.js';

export type Db = BetterSQLite3Database<Schema>;

/** SQLite reports constraint violations by code; drizzle may wrap the driver's error in `cause`. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      return e.message.includes(column);
    }
  }
  return false;
}

/** A prepared page of rows and the prepared count of all rows, both under the same filters. */
export interface PagedQuery<T> {
  rows: { all(params: Record<string, unknown>): T[] };
  total: { get(params: Record<string, unknown>): { n: number } | undefined };
}

export function readPage<T>(query: PagedQuery<T>, params: Record<string, unknown>, page: PageRequest): Page<T> {
  return {
    items: query.rows.all({ ...params, limit: page.limit, offset: offsetOf(page) }),
    total: query.total.get(params)?.n ?? 0,
    page: page.page,
    limit: page.limit,
  };
}

/** Build a prepared statement once per query shape (filters present, sort), then reuse it. */
export function statementCache<T>(): (key: string, build: () => T) => T {
  const cache = new Map<string, T>();
  return (key, build) => {
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = build();
      cache.set(key, hit);
    }
    return hit;
  };
}

/**
 * An INSERT of one row with exactly `columns`, prepared once. Drizzle builds an unprepared statement's
 * SQL again on every call, which on checkout's path cost as much as the statement itself.
 */
export function preparedInsert<T extends SQLiteTable, K extends keyof T['$inferInsert'] & string>(
  db: Db,
  table: T,
  columns: readonly K[],
): (row: Pick<T['$inferInsert'], K>) => void {
  const values = Object.fromEntries(columns.map((column) => [column, sql.placeholder(column)]));
  const statement = db
    .insert(table)
    .values(values as T['$inferInsert'])
    .prepare();
  return (row) => {
    statement.run(row);
  };
}
