import type { ShopConfig } from '../config.js';
import { migrateSqlite } from '../db/sqlite/store.js';

export function migrate(config: ShopConfig): { file: string; applied: number } {
  return { file: config.dbFile, applied: migrateSqlite(config.dbFile) };
}
