import { randomUUID } from 'node:crypto';
import type { ShopConfig } from '../config.js';
import { openStore } from '../db/open.js';
import { demoCatalog } from '../domain/demo-catalog.js';

/** Load the demo catalog. Idempotent: products whose sku exists are left as they are. */
export async function seed(config: ShopConfig): Promise<{ inserted: number; total: number }> {
  const store = await openStore(config.database);
  try {
    const products = demoCatalog(new Date().toISOString(), randomUUID);
    return { inserted: await store.products.insertMissing(products), total: products.length };
  } finally {
    await store.close();
  }
}
