import { randomBytes } from 'node:crypto';
import { serviceForTests, serviceUrl } from '@quartet/core';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPgStore } from '../../src/db/pg/store.js';
import type { Store } from '../../src/db/store.js';
import type { StoreFactory } from './context.js';

/**
 * PostgreSQL for tests: $DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), or a
 * skip with the printed reason when it is not reachable (a failure under QUARTET_REQUIRE_SERVICES=1).
 */
export const postgres = await serviceForTests('postgres');
if (!postgres.available) console.warn(`shop-api PostgreSQL tests ${postgres.reason}`);

export const PG_POOL = { size: 4, connectTimeoutMs: 5000, statementTimeoutMs: 15_000 };

/** The URL of `schema`: connections made with it work in that schema only. */
export function schemaUrl(schema: string): string {
  const url = new URL(serviceUrl('postgres'));
  url.searchParams.set('options', `-c search_path=${schema}`);
  // Lets a test find (and terminate) exactly the connections of its own servers in pg_stat_activity.
  url.searchParams.set('application_name', schema);
  return url.href;
}

/** Run SQL on the server's default schema (creating and dropping test schemas, terminating backends). */
export async function admin<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: serviceUrl('postgres') });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A new schema `quartet_<random>`, so that parallel files and runs never see each other's rows. */
export async function createSchema(): Promise<string> {
  const schema = `quartet_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  return schema;
}

export const dropSchema = (schema: string) => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);

/** The schema of each store pgStoreFactory handed out, for tests that write rows directly (see order-amounts.ts). */
export const pgSchemas = new WeakMap<Store, string>();

/** Child tables first, so that every DELETE satisfies the foreign keys. */
const TABLES = [
  'sent_emails',
  'outbox',
  'coupon_redemptions',
  'cart_coupons',
  'coupons',
  'activity',
  'idempotency_keys',
  'order_status_history',
  'order_items',
  'orders',
  'cart_items',
  'refresh_tokens',
  'products',
  'users',
];

/**
 * A store factory for one test file: the file gets its own schema (dropped after it), migrated
 * and opened once; every test starts from empty tables. Call it inside a describe that runs only
 * when `postgres.available`.
 */
export function pgStoreFactory(): StoreFactory {
  let schema = '';
  let store: Store | undefined;
  beforeAll(async () => {
    schema = await createSchema();
    store = await openPgStore({ url: schemaUrl(schema), pool: PG_POOL });
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
  });
  return async () => {
    if (!store) throw new Error('pgStoreFactory() must be called at the top of a describe block');
    // DELETE beats TRUNCATE on tables this small; a few rows per test.
    await admin(TABLES.map((table) => `DELETE FROM ${schema}.${table};`).join(' '));
    // The apps of a file share the one pool; closing an app must not close it.
    const handedOut = { ...store, close: () => Promise.resolve() };
    pgSchemas.set(handedOut, schema);
    return handedOut;
  };
}
