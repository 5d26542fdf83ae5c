import { fileURLToPath } from 'node:url';
import { migratePg as migrateCorePg, translateError } from '@quartet/core/pg';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { guardStore } from '../guard.js';
import type { Store } from '../store.js';
import { createActivityRepository } from './activity.js';
import { createCartRepository } from './carts.js';
import { createCouponRepository } from './coupons.js';
import { createPool, poolStats, type PoolSettings } from './connection.js';
import { createIdempotencyRepository } from './idempotency.js';
import { createOrderRepository } from './orders.js';
import { createOutboxRepository } from './outbox.js';
import { createProductRepository } from './products.js';
import { createReportRepository } from './reports.js';
import { schema } from './schema.js';
import { createStatsQuery } from './stats.js';
import { createRefreshTokenRepository } from './tokens.js';
import { createUserCache } from './user-cache.js';
import { createUserRepository } from './users.js';

/** Resolved from this file, so that it works from src/ (tests) and dist/ (the bin) alike. */
export const migrationsFolder = fileURLToPath(new URL('../../../migrations/pg', import.meta.url));

export interface PgStoreOptions {
  /** postgres://user:password@host:port/database; `?options=-c search_path=...` picks a schema. */
  url: string;
  pool: PoolSettings;
}

/** Open a connection pool on PostgreSQL (applying pending migrations first) as a Store. */
export async function openPgStore(options: PgStoreOptions): Promise<Store> {
  await migratePg(options);
  const pool = createPool(options.url, options.pool);
  const db = drizzle(pool, { schema });
  const stats = createStatsQuery(db);
  const userCache = createUserCache(options.url, { connectTimeoutMs: options.pool.connectTimeoutMs });
  const store: Store = {
    dialect: 'postgres',
    warnings: [],
    users: createUserRepository(db, userCache),
    tokens: createRefreshTokenRepository(db),
    products: createProductRepository(db),
    carts: createCartRepository(db),
    coupons: createCouponRepository(db),
    orders: createOrderRepository(db),
    idempotency: createIdempotencyRepository(db),
    activity: createActivityRepository(db),
    reports: createReportRepository(db),
    outbox: createOutboxRepository(db),
    stats,
    // Async only because guardStore expects every method to return a promise.
    poolStats: () => Promise.resolve(poolStats(pool)),
    async ping() {
      await db.execute(sql`SELECT 1`);
    },
    async close() {
      await userCache.close();
      if (!pool.ended && !pool.ending) await pool.end();
    },
  };
  return guardStore(store, translateError);
}

/** Apply pending migrations and report how many ran (core's migratePg: once, under an advisory lock). */
export function migratePg(options: PgStoreOptions): Promise<number> {
  return migrateCorePg({
    url: options.url,
    migrationsFolder,
    connectTimeoutMs: options.pool.connectTimeoutMs,
    applicationName: 'shop-api',
  });
}
