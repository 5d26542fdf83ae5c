/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import type { SqliteConnection } from '@quartet/core';
import type { Grouping, SalesRow, TopProduct } from '../../domain/reports.js';
import type { ReportRepository } from '../store.js';

/**
 * The range is a text comparison on created_at (ISO-8601 UTC text), so orders_created_idx serves it.
 * Orders are grouped by day, a prefix of the timestamp; a week or month is made of those few day rows:
 * a month is a prefix of the day, and the Monday of a day's ISO week is six days back, then forward to
 * the next Monday ('weekday 1' stays put on a Monday; 'weekday 0' would give Sundays).
 */
const BUCKETS: Record<Grouping, string> = {
  day: 'day',
  month: 'substr(day, 1, 7)',
  week: "date(day, '-6 days', 'weekday 1')",
};

const IN_RANGE = "o.created_at >= @start AND o.created_at < @end AND o.status <> 'cancelled'";

type Range = [{ start: string; end: string }];
interface CustomerCounts {
  newCustomers: number;
  customersWhoOrdered: number;
  repeatCustomers: number;
  orders: number;
  netCents: number;
}

export function createReportRepository(sqlite: SqliteConnection): ReportRepository {
  // A line's quantity is looked up by the order's key, once per order of the range.
  const sales = (grouping: Grouping) =>
    sqlite.prepare<Range, SalesRow>(
      `SELECT ${BUCKETS[grouping]} AS period, sum(orders) AS orders, sum(items) AS itemsSold,
         sum(gross) AS grossCents, sum(discount) AS discountCents, sum(net) AS netCents
       FROM (
         SELECT substr(o.created_at, 1, 10) AS day, count(*) AS orders,
           coalesce(sum((SELECT sum(i.quantity) FROM order_items i WHERE i.order_id = o.id)), 0) AS items,
           sum(o.subtotal_cents) AS gross, sum(o.discount_cents) AS discount, sum(o.total_cents) AS net
         FROM orders o WHERE ${IN_RANGE} GROUP BY day
       ) GROUP BY period ORDER BY period`,
    );
  const byGrouping = { day: sales('day'), week: sales('week'), month: sales('month') };
  // Names are joined to the few grouped rows, not to every line.
  const top = sqlite.prepare<[{ start: string; end: string; limit: number }], TopProduct>(
    `SELECT t.productId, p.name, t.quantity, t.revenueCents
     FROM (
       SELECT i.product_id AS productId, sum(i.quantity) AS quantity,
         sum(i.quantity * i.price_at_purchase_cents) AS revenueCents
       FROM orders o JOIN order_items i ON i.order_id = o.id WHERE ${IN_RANGE} GROUP BY i.product_id
     ) t JOIN products p ON p.id = t.productId
     ORDER BY t.quantity DESC, t.revenueCents DESC, t.productId LIMIT @limit`,
  );
  // One pass over the range's orders, per buyer; only a buyer with a single order there is looked up
  // again, for a non-cancelled order before the range. One statement: one snapshot.
  const customers = sqlite.prepare<Range, CustomerCounts>(
    `WITH buyers AS (
       SELECT o.user_id, count(*) AS orders, sum(o.total_cents) AS net FROM orders o WHERE ${IN_RANGE}
       GROUP BY o.user_id
     )
     SELECT
       (SELECT count(*) FROM users WHERE role = 'customer' AND created_at >= @start AND created_at < @end)
         AS newCustomers,
       count(*) AS customersWhoOrdered,
       coalesce(sum(b.orders >= 2 OR EXISTS (SELECT 1 FROM orders p WHERE p.user_id = b.user_id
         AND p.created_at < @start AND p.status <> 'cancelled')), 0) AS repeatCustomers,
       coalesce(sum(b.orders), 0) AS orders, coalesce(sum(b.net), 0) AS netCents
     FROM buyers b`,
  );
  return {
    async sales(range, grouping) {
      return byGrouping[grouping].all({ start: range.start, end: range.end });
    },
    async topProducts(range, limit) {
      return top.all({ start: range.start, end: range.end, limit });
    },
    async customers(range) {
      return customers.get({ start: range.start, end: range.end })!;
    },
  };
}
