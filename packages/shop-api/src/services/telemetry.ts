import type { OrderStatus } from '../domain/types.js';

/**
 * What the app reports to monitoring, as events; the Prometheus implementation lives in
 * plugins/metrics.ts. Services and routes call these and never see a metrics library, and
 * without monitoring (tests, embedded use) the no-op below stands in.
 */
export interface Telemetry {
  /** An order entered `status`: placed (pending) or moved along the state machine. */
  orderStatus(status: OrderStatus): void;
  /** A checkout that placed no order, by reason (empty, short, mixed_currency, too_large, coupon_not_applicable, …). */
  checkoutFailed(reason: string): void;
  /** A checkout redeemed a coupon. */
  couponRedeemed(): void;
  /** A cached read: `resource` is products, product or categories. */
  cacheLookup(resource: string, hit: boolean): void;
  /** An e-mail delivery attempt's outcome: sent, duplicate (already sent), retry, dead. */
  emailDelivery(outcome: 'sent' | 'duplicate' | 'retry' | 'dead'): void;
  /** How many outbox events wait to be published, as the relay last counted them. */
  outboxPending(count: number): void;
}

export const noTelemetry: Telemetry = {
  orderStatus: () => {},
  checkoutFailed: () => {},
  couponRedeemed: () => {},
  cacheLookup: () => {},
  emailDelivery: () => {},
  outboxPending: () => {},
};
