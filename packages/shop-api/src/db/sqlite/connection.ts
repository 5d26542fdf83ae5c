import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
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
