import type { Order, OrderStatus } from './types.js';

/*
 * The events an order change writes into the outbox, in the same transaction as the change
 * (the transactional outbox): a process that dies after the commit loses none, and one that
 * dies before it invents none. The payload holds what the e-mail needs, as of the change.
 */

export const ORDER_TOPICS = ['order.placed', 'order.status_changed', 'order.cancelled'] as const;
export type OrderTopic = (typeof ORDER_TOPICS)[number];

export interface OrderEventPayload {
  orderId: string;
  customer: { id: string; email: string; name: string };
  status: OrderStatus;
  /** The status before this change; null when the order was just placed. */
  previousStatus: OrderStatus | null;
  currency: string;
  subtotalCents: number;
  discountCents: number;
  totalCents: number;
  couponCode: string | null;
  items: { sku: string; name: string; quantity: number; priceAtPurchaseCents: number; lineTotalCents: number }[];
  at: string;
}

export interface OrderEvent {
  /** A fresh UUID: the message's id on the queue and the e-mail's Message-ID. */
  id: string;
  topic: OrderTopic;
  orderId: string;
  payload: OrderEventPayload;
  createdAt: string;
}

export function topicOf(previous: OrderStatus | null, next: OrderStatus): OrderTopic {
  if (previous === null) return 'order.placed';
  return next === 'cancelled' ? 'order.cancelled' : 'order.status_changed';
}

/** The event for `order` as it is right after a change from `previousStatus`. */
export function orderEvent(
  id: string,
  order: Order,
  customer: OrderEventPayload['customer'],
  previousStatus: OrderStatus | null,
  at: string,
): OrderEvent {
  return {
    id,
    topic: topicOf(previousStatus, order.status),
    orderId: order.id,
    createdAt: at,
    payload: {
      orderId: order.id,
      customer,
      status: order.status,
      previousStatus,
      currency: order.currency,
      subtotalCents: order.subtotalCents,
      discountCents: order.discountCents,
      totalCents: order.totalCents,
      couponCode: order.couponCode,
      items: order.items.map(({ sku, name, quantity, priceAtPurchaseCents, lineTotalCents }) => ({
        sku,
        name,
        quantity,
        priceAtPurchaseCents,
        lineTotalCents,
      })),
      at,
    },
  };
}
