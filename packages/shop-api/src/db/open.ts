import type { PoolSettings } from './pg/connection.js';
import { migratePg, openPgStore } from './pg/store.js';
import { migrateSqlite, openSqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/** Which database a command works on; config.ts decides, the commands only pass it here. */
export type DatabaseTarget =
  { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string; pool: PoolSettings };

/** Open (creating and migrating as needed) the target database as a Store. */
export function openStore(target: DatabaseTarget): Promise<Store> {
  if (target.dialect === 'postgres') return openPgStore(target);
  return Promise.resolve(openSqliteStore({ file: target.file }));
}

/** Apply pending migrations and report how many ran, with any notices for the entry point. */
export async function migrateDatabase(target: DatabaseTarget): Promise<{ applied: number; warnings: string[] }> {
  if (target.dialect === 'postgres') return { applied: await migratePg(target), warnings: [] };
  return migrateSqlite(target.file);
}

/** The file, or the URL without its password, for messages. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.dialect === 'sqlite') return target.file;
  const url = new URL(target.url);
  if (url.password) url.password = '***';
  return url.href;
}
