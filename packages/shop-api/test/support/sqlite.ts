import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite/store.js';
import type { Store } from '../../src/db/store.js';
import type { StoreFactory } from './context.js';

/** The file of each store sqliteStore made, for tests that write rows directly (see order-amounts.ts). */
export const sqliteFiles = new WeakMap<Store, string>();

/** A new SQLite file per test, removed afterwards. */
export const sqliteStore: StoreFactory = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-api-'));
  const store = openSqliteStore({ file: join(dir, 'shop.db') });
  sqliteFiles.set(store, join(dir, 'shop.db'));
  onTestFinished(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return Promise.resolve(store);
};
