import { sql, type SQL } from 'drizzle-orm';
import type { Grouping, TimeRange } from '../../domain/reports.js';
import type { ReportRepository } from '../store.js';
import { transaction, type Db } from './connection.js';

/**
 * The same queries as sqlite/reports.ts, so that both dialects answer alike. created_at is ISO-8601
 * UTC text here too: the range is a text comparison (orders_created_idx serves it), and orders are
 * grouped by day, a prefix of the timestamp; a week or month is then made of those few day rows: a
 * month is a prefix of the day, the Monday of an ISO week is the day minus (ISO day of week - 1), in
 * date arithmetic that no session time zone can shift.
 */
const BUCKETS: Record<Grouping, SQL> = {
  day: sql`day`,
  month: sql`left(day, 7)`,
  week: sql`to_char(day::date - (extract(isodow FROM day::date)::int - 1), 'YYYY-MM-DD')`,
};

const inRange = ({ start, end }: TimeRange) =>
  sql`o.created_at >= ${start} AND o.created_at < ${end} AND o.status <> 'cancelled'`;

/** count() is bigint and sum() numeric: node-postgres hands both over as text. */
const int = (value: unknown) => Number(value ?? 0);

export function createReportRepository(db: Db): ReportRepository {
  /**
   * Reports read tens of thousands of rows and group them into few: without JIT compilation (its
   * compile time alone exceeds such a query's run time), and with room to hash the groups in memory
   * (the planner cannot know that a year of timestamps makes only 365 days).
   */
  const rows = (query: SQL) =>
    transaction(
      db,
      async (tx) => {
        await tx.execute(sql`SET LOCAL jit = off; SET LOCAL work_mem = '64MB'`);
        return (await tx.execute<Record<string, unknown>>(query)).rows;
      },
      'BEGIN READ ONLY',
    );
  return {
    async sales(range, grouping) {
      const found = await rows(sql`
        WITH days AS (
          SELECT left(o.created_at, 10) AS day, count(*) AS orders, sum(o.subtotal_cents) AS gross,
            sum(o.discount_cents) AS discount, sum(o.total_cents) AS net
          FROM orders o WHERE ${inRange(range)} GROUP BY 1
        ), items AS (
          SELECT left(o.created_at, 10) AS day, sum(i.quantity) AS items
          FROM orders o JOIN order_items i ON i.order_id = o.id WHERE ${inRange(range)} GROUP BY 1
        )
        SELECT ${BUCKETS[grouping]} AS period, sum(orders) AS orders, coalesce(sum(items), 0) AS items,
          sum(gross) AS gross, sum(discount) AS discount, sum(net) AS net
        FROM days LEFT JOIN items USING (day) GROUP BY 1 ORDER BY 1`);
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
      // Names are joined to the few grouped rows, not to every line.
      const found = await rows(sql`
        SELECT t.product_id AS id, p.name, t.quantity, t.revenue
        FROM (
          SELECT i.product_id, sum(i.quantity) AS quantity, sum(i.quantity * i.price_at_purchase_cents) AS revenue
          FROM orders o JOIN order_items i ON i.order_id = o.id WHERE ${inRange(range)} GROUP BY i.product_id
        ) t JOIN products p ON p.id = t.product_id
        ORDER BY t.quantity DESC, t.revenue DESC, t.product_id COLLATE "C" LIMIT ${limit}`);
      return found.map((row) => ({
        productId: String(row['id']),
        name: String(row['name']),
        quantity: int(row['quantity']),
        revenueCents: int(row['revenue']),
      }));
    },

    async customers(range) {
      // One pass over the range's orders, per buyer; only a buyer with a single order there is looked
      // up again, for a non-cancelled order before the range. One statement: one snapshot.
      const [row = {}] = await rows(sql`
        WITH buyers AS (
          SELECT o.user_id, count(*) AS orders, sum(o.total_cents) AS net
          FROM orders o WHERE ${inRange(range)} GROUP BY o.user_id
        )
        SELECT
          (SELECT count(*) FROM users WHERE role = 'customer' AND created_at >= ${range.start}
            AND created_at < ${range.end}) AS new,
          count(*) AS ordered,
          count(*) FILTER (WHERE b.orders >= 2 OR EXISTS (SELECT 1 FROM orders p WHERE p.user_id = b.user_id
            AND p.created_at < ${range.start} AND p.status <> 'cancelled')) AS repeat,
          coalesce(sum(b.orders), 0) AS orders, coalesce(sum(b.net), 0) AS net
        FROM buyers b`);
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
