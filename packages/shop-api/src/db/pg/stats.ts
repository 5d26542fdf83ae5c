import { sql } from 'drizzle-orm';
import { ORDER_STATUSES, type OrderStatus, type Stats } from '../../domain/types.js';
import { transaction, type Db } from './connection.js';

const int = (value: unknown) => Number(value ?? 0);

/** The admin dashboard's figures, read in one REPEATABLE READ snapshot so that they agree with each other. */
export function createStatsQuery(db: Db): (lowStockThreshold: number) => Promise<Stats> {
  return (threshold) =>
    transaction(
      db,
      async (tx) => {
        const rows = async <T>(query: ReturnType<typeof sql>) => (await tx.execute(query)).rows as T[];
        const [users] = await rows<Record<string, unknown>>(
          sql`SELECT count(*) AS total, count(*) FILTER (WHERE active) AS active,
                count(*) FILTER (WHERE role = 'admin') AS admins FROM users`,
        );
        const [products] = await rows<Record<string, unknown>>(
          sql`SELECT count(*) AS total, count(*) FILTER (WHERE active) AS active,
                count(*) FILTER (WHERE NOT active) AS archived,
                count(*) FILTER (WHERE active AND stock = 0) AS "outOfStock" FROM products`,
        );
        const byStatus = await rows<{ status: OrderStatus; n: unknown }>(
          sql`SELECT status, count(*) AS n FROM orders GROUP BY status`,
        );
        const [revenue] = await rows<Record<string, unknown>>(
          sql`SELECT coalesce(sum(total_cents) FILTER (WHERE status = 'delivered'), 0) AS delivered,
                coalesce(sum(total_cents) FILTER (WHERE status <> 'cancelled'), 0) AS "nonCancelled" FROM orders`,
        );
        const lowStock = await rows<{ id: string; sku: string; name: string; stock: number }>(
          sql`SELECT id, sku, name, stock FROM products WHERE active AND stock <= ${threshold} ORDER BY stock, sku LIMIT 50`,
        );
        const ordersByStatus = Object.fromEntries(ORDER_STATUSES.map((s) => [s, 0])) as Record<OrderStatus, number>;
        for (const row of byStatus) ordersByStatus[row.status] = int(row.n);
        return {
          users: { total: int(users?.['total']), active: int(users?.['active']), admins: int(users?.['admins']) },
          products: {
            total: int(products?.['total']),
            active: int(products?.['active']),
            archived: int(products?.['archived']),
            outOfStock: int(products?.['outOfStock']),
          },
          ordersByStatus,
          revenue: { deliveredCents: int(revenue?.['delivered']), nonCancelledCents: int(revenue?.['nonCancelled']) },
          lowStock,
          lowStockThreshold: threshold,
        };
      },
      'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
    );
}
