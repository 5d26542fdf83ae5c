import type { CheckoutPlan, CheckoutPrice } from '../domain/checkout.js';
import type { OrderEvent } from '../domain/order-events.js';
import type { ActivityEntry, CartLine, OrderStatus, PageRequest, StatusChange } from '../domain/types.js';

/*
 * Row shaping both dialects share: what goes into a row and what a row means
 * does not depend on the driver, only how the statements run does.
 */

export function offsetOf(page: PageRequest): number {
  return (page.page - 1) * page.limit;
}

/** The activity log keeps `detail` as JSON text in every dialect. */
export function encodeDetail(detail: ActivityEntry['detail']): string | null {
  return detail === null ? null : JSON.stringify(detail);
}

export function decodeActivity<T extends { detail: string | null }>(
  row: T,
): Omit<T, 'detail'> & Pick<ActivityEntry, 'detail'> {
  return { ...row, detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>) };
}

/** Status columns are plain text; the state machine guarantees their values. */
export function toStatusChange(row: {
  from: string | null;
  to: string;
  actorId: string | null;
  at: string;
}): StatusChange {
  return { ...row, from: row.from as OrderStatus | null, to: row.to as OrderStatus };
}

/** The orders row of a priced checkout: a new pending order. */
export function orderRow(
  input: { orderId: string; userId: string; note: string | null; now: string },
  currency: string,
  price: Extract<CheckoutPrice, { kind: 'ok' }>,
) {
  const { subtotalCents, discountCents, totalCents, couponCode } = price;
  return {
    id: input.orderId,
    userId: input.userId,
    status: 'pending' as const,
    currency,
    subtotalCents,
    discountCents,
    totalCents,
    couponCode,
    note: input.note,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/** The order_items rows of a planned checkout: the name and sku as they were at purchase. */
export function orderItemRows(
  orderId: string,
  plan: Extract<CheckoutPlan, { kind: 'ok' }>,
  lines: readonly CartLine[],
) {
  const byProduct = new Map(lines.map((line) => [line.productId, line]));
  return plan.lines.map((line) => ({
    orderId,
    productId: line.productId,
    sku: byProduct.get(line.productId)?.sku ?? '',
    name: byProduct.get(line.productId)?.name ?? '',
    quantity: line.quantity,
    priceAtPurchaseCents: line.unitPriceCents,
  }));
}

/** Words a shopper typed, as both full-text engines get them: letters and digits only, at most 16. */
export function searchWords(input: string): string[] {
  return (input.match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 16);
}

/** The outbox row of an order event: due at once, never tried. */
export function outboxRow(event: OrderEvent) {
  return {
    id: event.id,
    topic: event.topic,
    orderId: event.orderId,
    payload: JSON.stringify(event.payload),
    createdAt: event.createdAt,
    availableAt: event.createdAt,
  };
}
