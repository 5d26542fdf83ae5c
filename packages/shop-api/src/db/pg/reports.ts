import { sql, type SQL } from 'drizzle-orm';
import type { Grouping, TimeRange } from '../../domain/reports.js';
import type { ReportRepository } from '../store.js';
import type { Db } from './connection.js';

/**
 * The same queries as sqlite/reports.ts, so that both dialects answer alike. created_at is ISO-8601
 * UTC text here too: the range is a text comparison (orders_created_idx serves it), a day or month is
 * a prefix, and the Monday of the ISO week is the day minus (ISO day of week - 1), in date arithmetic
 * that no session time zone can shift.
 */
const BUCKETS: Record<Grouping, SQL> = {
  day: sql`left(o.created_at, 10)`,
  month: sql`left(o.created_at, 7)`,
  week: sql`to_char(left(o.created_at, 10)::date - (extract(isodow FROM left(o.created_at, 10)::date)::int - 1), 'YYYY-MM-DD')`,
};

const inRange = ({ start, end }: TimeRange) =>
  sql`o.created_at >= ${start} AND o.created_at < ${end} AND o.status <> 'cancelled'`;

/** count() is bigint and sum() numeric: node-postgres hands both over as text. */
const int = (value: unknown) => Number(value ?? 0);

export function createReportRepository(db: Db): ReportRepository {
  const rows = async (query: SQL) => (await db.execute<Record<string, unknown>>(query)).rows;
  return {
    async sales(range, grouping) {
      const found = await rows(sql`
        SELECT ${BUCKETS[grouping]} AS period, count(*) AS orders,
          coalesce(sum((SELECT sum(i.quantity) FROM order_items i WHERE i.order_id = o.id)), 0) AS items,
          sum(o.subtotal_cents) AS gross, sum(o.discount_cents) AS discount, sum(o.total_cents) AS net
        FROM orders o WHERE ${inRange(range)} GROUP BY 1 ORDER BY 1`);
      return found.map((row) => ({
        period: String(row['period']),
        orders: int(row['orders']),
        itemsSold: int(row['items']),
        grossCents: int(row['gross']),
        discountCents: int(row['discount']),
        netCents: int(row['net']),
      }));
    },

    async topProducts(range, limit) {
      const found = await rows(sql`
        SELECT i.product_id AS id, p.name, sum(i.quantity) AS quantity,
          sum(i.quantity * i.price_at_purchase_cents) AS revenue
        FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
        WHERE ${inRange(range)}
        GROUP BY i.product_id, p.name
        ORDER BY quantity DESC, revenue DESC, i.product_id COLLATE "C" LIMIT ${limit}`);
      return found.map((row) => ({
        productId: String(row['id']),
        name: String(row['name']),
        quantity: int(row['quantity']),
        revenueCents: int(row['revenue']),
      }));
    },

    async customers(range) {
      // One statement: one snapshot, so that the figures agree with each other.
      const [row = {}] = await rows(sql`
        WITH buyers AS (SELECT DISTINCT o.user_id FROM orders o WHERE ${inRange(range)})
        SELECT
          (SELECT count(*) FROM users WHERE role = 'customer' AND created_at >= ${range.start}
            AND created_at < ${range.end}) AS new,
          (SELECT count(*) FROM buyers) AS ordered,
          (SELECT count(*) FROM buyers b WHERE (SELECT count(*) FROM orders o WHERE o.user_id = b.user_id
             AND o.created_at < ${range.end} AND o.status <> 'cancelled') >= 2) AS repeat,
          (SELECT count(*) FROM orders o WHERE ${inRange(range)}) AS orders,
          (SELECT coalesce(sum(o.total_cents), 0) FROM orders o WHERE ${inRange(range)}) AS net`);
      return {
        newCustomers: int(row['new']),
        customersWhoOrdered: int(row['ordered']),
        repeatCustomers: int(row['repeat']),
        orders: int(row['orders']),
        netCents: int(row['net']),
      };
    },
  };
}
