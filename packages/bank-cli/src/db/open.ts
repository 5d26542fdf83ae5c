import { openPgStore } from './pg/store.js';
import { openSqliteStore } from './sqlite/store.js';
import type { OpenedStore, OpenStoreOptions } from './store-options.js';

/** The bank's storage: PostgreSQL when a URL is given, else the SQLite file. */
export function openStore(options: OpenStoreOptions): OpenedStore {
  return options.databaseUrl === undefined ? openSqliteStore(options) : openPgStore(options.databaseUrl, options);
}
