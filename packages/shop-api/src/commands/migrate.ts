import type { ShopConfig } from '../config.js';
import { describeTarget, migrateDatabase } from '../db/open.js';

export async function migrate(config: ShopConfig): Promise<{ target: string; applied: number; warnings: string[] }> {
  return { target: describeTarget(config.database), ...(await migrateDatabase(config.database)) };
}
