import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../db/store.js';
import { ORDER_STATUSES } from '../domain/types.js';
import type { Telemetry } from '../services/telemetry.js';

/** One app's Prometheus registry, the Telemetry that feeds it, and the request histogram the HTTP hook fills. */
export interface Metrics {
  registry: Registry;
  telemetry: Telemetry;
  requestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/**
 * Label values known in advance start at 0, so that a series exists from the first scrape: rate()
 * and increase() over a counter need a sample before its first event, and dashboards show 0, not "no data".
 */
const CHECKOUT_FAILURES = ['empty', 'short', 'mixed_currency', 'too_large', 'coupon_not_applicable'];
const CACHE_RESOURCES = ['products', 'product', 'categories'];
const EMAIL_OUTCOMES = ['sent', 'duplicate', 'retry', 'dead'] as const;

/**
 * A registry of its own per app, never prom-client's global one: several apps in one process (tests,
 * an embedding host) would otherwise register the same names twice and throw, or mix their counts.
 * The pool gauge is there only when the store has a pool to report (PostgreSQL).
 */
export function createMetrics(store: Pick<Store, 'poolStats'> = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers,
  });
  const orders = new Counter({
    name: 'shop_orders_total',
    help: 'Orders entering a status: placed orders count under pending, each transition under its new status',
    labelNames: ['status'] as const,
    registers,
  });
  const checkoutFailures = new Counter({
    name: 'shop_checkout_failures_total',
    help: 'Checkouts that placed no order, by reason',
    labelNames: ['reason'] as const,
    registers,
  });
  const couponRedemptions = new Counter({
    name: 'shop_coupon_redemptions_total',
    help: 'Orders placed with a coupon',
    registers,
  });
  const cacheLookups = new Counter({
    name: 'shop_cache_lookups_total',
    help: 'Cached catalog reads, by resource and result (hit or miss)',
    labelNames: ['resource', 'result'] as const,
    registers,
  });
  const outboxPending = new Gauge({
    name: 'shop_outbox_pending',
    help: 'Outbox events waiting to be published, as the relay last counted them',
    registers,
  });
  const emailDeliveries = new Counter({
    name: 'shop_email_deliveries_total',
    help: 'E-mail delivery attempts, by outcome (sent, duplicate, retry, dead)',
    labelNames: ['outcome'] as const,
    registers,
  });
  if (store.poolStats) {
    new Gauge({
      name: 'shop_db_pool_connections',
      help: 'PostgreSQL pool connections: total open, idle, and requests waiting for one',
      labelNames: ['state'] as const,
      registers,
      // Read at scrape time: the pool's own counts, never a copy that could drift.
      async collect() {
        const stats = await store.poolStats!();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
  }

  for (const status of ORDER_STATUSES) orders.inc({ status }, 0);
  for (const reason of CHECKOUT_FAILURES) checkoutFailures.inc({ reason }, 0);
  for (const resource of CACHE_RESOURCES) {
    for (const result of ['hit', 'miss']) cacheLookups.inc({ resource, result }, 0);
  }
  for (const outcome of EMAIL_OUTCOMES) emailDeliveries.inc({ outcome }, 0);

  const telemetry: Telemetry = {
    orderStatus: (status) => orders.inc({ status }),
    checkoutFailed: (reason) => checkoutFailures.inc({ reason }),
    couponRedeemed: () => couponRedemptions.inc(),
    cacheLookup: (resource, hit) => cacheLookups.inc({ resource, result: hit ? 'hit' : 'miss' }),
    emailDelivery: (outcome) => emailDeliveries.inc({ outcome }),
    outboxPending: (count) => outboxPending.set(count),
  };
  return { registry, telemetry, requestDuration };
}
