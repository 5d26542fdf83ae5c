import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { guardStore } from '../guard.js';
import type { Store } from '../store.js';
import { createActivityRepository } from './activity.js';
import { createCartRepository } from './carts.js';
import { createCouponRepository } from './coupons.js';
import { createPool, poolStats, translateError, type PoolSettings } from './connection.js';
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

/**
 * Apply pending migrations and report how many ran: drizzle's migrator in one transaction, under an
 * advisory lock, since instances starting together on a new database would otherwise all try to
 * create the tables. It runs on a connection of its own without the pool's timeouts (building an
 * index on a large table may take a while), and keeps its bookkeeping table in the schema the
 * connection works in (the first of its search_path), so that schemas stay independent.
 */
export async function migratePg(options: PgStoreOptions): Promise<number> {
  const client = new pg.Client({
    connectionString: options.url,
    connectionTimeoutMillis: options.pool.connectTimeoutMs,
    keepAlive: true,
    application_name: 'shop-api',
  });
  client.on('error', () => {}); // a failure reaches the query in progress; unheard, it would crash the process
  try {
    await client.connect();
    const { rows } = await client.query<{ schema: string | null }>('SELECT current_schema() AS schema');
    const migrationsSchema = rows[0]?.schema ?? 'public';
    await client.query("SELECT pg_advisory_lock(hashtext('shop-api migrations'))");
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
    await migrate(drizzle(client), { migrationsFolder, migrationsSchema });
    // Ending the session releases the advisory lock.
    return (await applied()) - before;
  } catch (error) {
    throw translateError(error);
  } finally {
    await client.end().catch(() => {});
  }
}
