/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import type { SqliteConnection } from '@quartet/core';
import type { Grouping, SalesRow, TopProduct } from '../../domain/reports.js';
import type { ReportRepository } from '../store.js';

/**
 * The range is a text comparison on created_at (ISO-8601 UTC text), so orders_created_idx serves it.
 * A day or month is a prefix of the timestamp; the Monday of a day's ISO week is six days back, then
 * forward to the next Monday ('weekday 1' stays put on a Monday).
 */
const BUCKETS: Record<Grouping, string> = {
  day: 'substr(o.created_at, 1, 10)',
  month: 'substr(o.created_at, 1, 7)',
  week: "date(substr(o.created_at, 1, 10), '-6 days', 'weekday 1')",
};

const IN_RANGE = "o.created_at >= @start AND o.created_at < @end AND o.status <> 'cancelled'";

export function createReportRepository(sqlite: SqliteConnection): ReportRepository {
  const sales = Object.fromEntries(
    Object.entries(BUCKETS).map(([grouping, bucket]) => [
      grouping,
      sqlite.prepare<[{ start: string; end: string }], SalesRow>(
        `SELECT ${bucket} AS period, count(*) AS orders,
           coalesce(sum((SELECT sum(i.quantity) FROM order_items i WHERE i.order_id = o.id)), 0) AS itemsSold,
           sum(o.subtotal_cents) AS grossCents, sum(o.discount_cents) AS discountCents, sum(o.total_cents) AS netCents
         FROM orders o WHERE ${IN_RANGE} GROUP BY period ORDER BY period`,
      ),
    ]),
  ) as Record<Grouping, ReturnType<typeof sqlite.prepare<[{ start: string; end: string }], SalesRow>>>;
  const top = sqlite.prepare<[{ start: string; end: string; limit: number }], TopProduct>(
    `SELECT i.product_id AS productId, p.name AS name, sum(i.quantity) AS quantity,
       sum(i.quantity * i.price_at_purchase_cents) AS revenueCents
     FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id
     WHERE ${IN_RANGE}
     GROUP BY i.product_id ORDER BY quantity DESC, revenueCents DESC, productId LIMIT @limit`,
  );
  const customers = sqlite.prepare<
    [{ start: string; end: string }],
    { newCustomers: number; customersWhoOrdered: number; repeatCustomers: number; orders: number; netCents: number }
  >(
    `WITH buyers AS (SELECT DISTINCT o.user_id FROM orders o WHERE ${IN_RANGE})
     SELECT
       (SELECT count(*) FROM users WHERE role = 'customer' AND created_at >= @start AND created_at < @end)
         AS newCustomers,
       (SELECT count(*) FROM buyers) AS customersWhoOrdered,
       (SELECT count(*) FROM buyers b WHERE (SELECT count(*) FROM orders o WHERE o.user_id = b.user_id
          AND o.created_at < @end AND o.status <> 'cancelled') >= 2) AS repeatCustomers,
       (SELECT count(*) FROM orders o WHERE ${IN_RANGE}) AS orders,
       (SELECT coalesce(sum(o.total_cents), 0) FROM orders o WHERE ${IN_RANGE}) AS netCents`,
  );
  return {
    async sales(range, grouping) {
      return sales[grouping].all({ start: range.start, end: range.end });
    },
    async topProducts(range, limit) {
      return top.all({ start: range.start, end: range.end, limit });
    },
    async customers(range) {
      // One statement: one snapshot, so that the figures agree with each other.
      return customers.get({ start: range.start, end: range.end })!;
    },
  };
}
