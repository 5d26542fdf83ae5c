import type { SqliteConnection } from '@quartet/core';
import { ORDER_STATUSES, type OrderStatus, type Stats } from '../../domain/types.js';

/** The admin dashboard's figures, read in one transaction so that they agree with each other. */
export function createStatsQuery(sqlite: SqliteConnection): (lowStockThreshold: number) => Stats {
  const userCounts = sqlite.prepare<[], Stats['users']>(
    `SELECT count(*) AS total, coalesce(sum(active), 0) AS active,
       coalesce(sum(role = 'admin'), 0) AS admins FROM users`,
  );
  const productCounts = sqlite.prepare<[], Stats['products']>(
    `SELECT count(*) AS total, coalesce(sum(active), 0) AS active, coalesce(sum(active = 0), 0) AS archived,
       coalesce(sum(active = 1 AND stock = 0), 0) AS outOfStock FROM products`,
  );
  const byStatus = sqlite.prepare<[], { status: OrderStatus; n: number }>(
    'SELECT status, count(*) AS n FROM orders GROUP BY status',
  );
  const revenue = sqlite.prepare<[], Stats['revenue']>(
    `SELECT coalesce(sum(CASE WHEN status = 'delivered' THEN total_cents END), 0) AS deliveredCents,
       coalesce(sum(CASE WHEN status <> 'cancelled' THEN total_cents END), 0) AS nonCancelledCents FROM orders`,
  );
  const lowStock = sqlite.prepare<[number], Stats['lowStock'][number]>(
    `SELECT id, sku, name, stock FROM products WHERE active = 1 AND stock <= ? ORDER BY stock, sku LIMIT 50`,
  );
  const read = sqlite.transaction((threshold: number): Stats => {
    const ordersByStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
    for (const row of byStatus.all()) ordersByStatus[row.status] = row.n;
    return {
      users: userCounts.get()!,
      products: productCounts.get()!,
      ordersByStatus,
      revenue: revenue.get()!,
      lowStock: lowStock.all(threshold),
      lowStockThreshold: threshold,
    };
  });
  return (threshold) => read.deferred(threshold);
}
