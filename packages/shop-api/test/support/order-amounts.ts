import Database from 'better-sqlite3';
import type { Store } from '../../src/db/store.js';
import { admin, pgSchemas } from './pg.js';
import { sqliteFiles } from './sqlite.js';

export interface OrderAmounts {
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
}

/**
 * Set an order's money directly in its database (a discount without going through coupons), on a
 * store made by sqliteStore or pgStoreFactory.
 */
export async function setOrderAmounts(store: Store, orderId: string, amounts: OrderAmounts): Promise<void> {
  const values = [amounts.subtotalCents, amounts.discountCents, amounts.totalCents, orderId];
  const schema = pgSchemas.get(store);
  if (schema !== undefined) {
    await admin(
      `UPDATE ${schema}.orders SET subtotal_cents = $1, discount_cents = $2, total_cents = $3 WHERE id = $4`,
      values,
    );
    return;
  }
  const file = sqliteFiles.get(store);
  if (file === undefined) throw new Error('setOrderAmounts: a store from sqliteStore or pgStoreFactory only');
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('UPDATE orders SET subtotal_cents = ?, discount_cents = ?, total_cents = ? WHERE id = ?').run(values);
  } finally {
    db.close();
  }
}
