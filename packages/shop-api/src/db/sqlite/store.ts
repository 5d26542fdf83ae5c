/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { fileURLToPath } from 'node:url';
import { applyMigrations, openSqlite, type Synchronous } from '@quartet/core';
import type { Store } from '../store.js';
import { schema } from './schema.js';
import { createActivityRepository } from './activity.js';
import { createCartRepository } from './carts.js';
import { createCouponRepository } from './coupons.js';
import { createIdempotencyRepository } from './idempotency.js';
import { createOrderRepository } from './orders.js';
import { createOutboxRepository } from './outbox.js';
import { createProductRepository } from './products.js';
import { createReadCache } from './read-cache.js';
import { createReportRepository } from './reports.js';
import { createStatsQuery } from './stats.js';
import { createRefreshTokenRepository } from './tokens.js';
import { createUserRepository } from './users.js';
import { createWriteBatch } from './write-batch.js';

/** Resolved from this file, so that it works from src/ (tests) and dist/ (the bin) alike. */
export const migrationsFolder = fileURLToPath(new URL('../../../migrations/sqlite', import.meta.url));

export interface SqliteStoreOptions {
  /** A file path, or ':memory:'. */
  file: string;
  synchronous?: Synchronous;
  busyTimeoutMs?: number;
}

/** Open (creating and migrating as needed) a SQLite database as a Store. */
export function openSqliteStore(options: SqliteStoreOptions): Store {
  const { db, sqlite, close, warnings } = openSqlite({
    file: options.file,
    schema,
    migrationsFolder,
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    // Fifty checkouts queue on one write lock across processes; give them room.
    busyTimeoutMs: options.busyTimeoutMs ?? 15_000,
  });
  const stats = createStatsQuery(sqlite);
  const ping = sqlite.prepare('SELECT 1');
  // Checkouts and activity entries, the writes of the busiest path, share group commits.
  const batch = createWriteBatch(sqlite);
  const cache = createReadCache(sqlite);
  return {
    dialect: 'sqlite',
    warnings,
    users: createUserRepository(db),
    tokens: createRefreshTokenRepository(db),
    products: createProductRepository(db, sqlite, cache),
    carts: createCartRepository(db),
    coupons: createCouponRepository(db),
    orders: createOrderRepository(db, batch),
    idempotency: createIdempotencyRepository(db),
    activity: createActivityRepository(db, batch),
    reports: createReportRepository(sqlite),
    outbox: createOutboxRepository(db),
    memo: cache,
    async stats(threshold) {
      return stats(threshold);
    },
    async ping() {
      ping.get();
    },
    async close() {
      cache.close();
      if (sqlite.open) close();
    },
  };
}

/** Apply pending migrations and report how many ran, with the notices from opening the file. */
export function migrateSqlite(file: string): { applied: number; warnings: string[] } {
  const { sqlite, close, warnings } = openSqlite({ file });
  try {
    return { applied: applyMigrations(sqlite, migrationsFolder), warnings };
  } finally {
    close();
  }
}
