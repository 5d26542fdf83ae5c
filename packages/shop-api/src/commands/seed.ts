import { randomUUID } from 'node:crypto';
import type { ShopConfig } from '../config.js';
import { openStore } from '../db/open.js';
import { demoCatalog } from '../domain/demo-catalog.js';

/** Load the demo catalog. Idempotent: products whose sku exists are left as they are. */
export async function seed(
  config: ShopConfig,
): Promise<{ inserted: number; total: number; warnings: readonly string[] }> {
  const store = await openStore(config.database);
  try {
    const products = demoCatalog(new Date().toISOString(), randomUUID);
    const inserted = await store.products.insertMissing(products);
    return { inserted, total: products.length, warnings: store.warnings };
  } finally {
    await store.close();
  }
}
