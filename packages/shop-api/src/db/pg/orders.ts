import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, getTableColumns, inArray, sql, type SQL } from 'drizzle-orm';
import { planCheckout, priceCheckout } from '../../domain/checkout.js';
import { orderEvent } from '../../domain/order-events.js';
import { canTransition, restoresStock } from '../../domain/order-status.js';
import type { Order, OrderStatus } from '../../domain/types.js';
import { orderItemColumns, statusChangeColumns } from '../columns.js';
import { offsetOf, orderItemRows, orderRow, outboxRow, toStatusChange } from '../rows.js';
import type { CheckoutInput, CheckoutOutcome, OrderRepository } from '../store.js';
import { cartLines, lockUser } from './carts.js';
import { attachedCode, couponUsage } from './coupons.js';
import { readPage, transaction, type Db, type Tx } from './connection.js';
import {
  cartCoupons,
  cartItems,
  couponRedemptions,
  idempotencyKeys,
  orderItems,
  orders,
  orderStatusHistory,
  outbox,
  products,
  users,
} from './schema.js';

const itemCount =
  sql<number>`(SELECT coalesce(sum(${orderItems.quantity}), 0) FROM ${orderItems} WHERE ${orderItems.orderId} = ${orders.id})`.mapWith(
    Number,
  );
const summaryColumns = { ...getTableColumns(orders), itemCount };

async function load(q: Db | Tx, id: string, ownerId?: string): Promise<Order | undefined> {
  const [order] = await q.select(summaryColumns).from(orders).where(eq(orders.id, id));
  if (!order || (ownerId !== undefined && order.userId !== ownerId)) return undefined;
  const [items, history] = await Promise.all([
    q
      .select(orderItemColumns(orderItems))
      .from(orderItems)
      .where(eq(orderItems.orderId, id))
      .orderBy(asc(orderItems.sku)),
    q
      .select(statusChangeColumns(orderStatusHistory))
      .from(orderStatusHistory)
      .where(eq(orderStatusHistory.orderId, id))
      .orderBy(asc(orderStatusHistory.id)),
  ]);
  return { ...order, items, history: history.map(toStatusChange) };
}

/** The order as it is now, and its outbox event, inside the transaction that changed it. */
async function loadAndRecord(tx: Tx, orderId: string, previous: OrderStatus | null, now: string): Promise<Order> {
  const order = await load(tx, orderId);
  if (!order) throw new Error(`order ${orderId} vanished inside its own transaction`);
  const [who] = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, order.userId));
  if (!who) throw new Error(`the customer of order ${orderId} vanished inside its transaction`);
  await tx.insert(outbox).values(outboxRow(orderEvent(randomUUID(), order, who, previous, now)));
  return order;
}

/**
 * Checkout on PostgreSQL. The user's row lock serialises this user's cart and checkouts; the
 * products in the cart are then locked with SELECT ... FOR UPDATE in product-id order, so two
 * checkouts over the same products queue instead of deadlocking, and the cart is read again
 * after the locks so that the plan sees the stock as it is now (READ COMMITTED reads the latest
 * commit per statement). The conditional decrement is a second guard against overselling.
 *
 * The cart's coupon is locked between the two (user, coupon, products: one fixed order; cancel locks
 * the order, then products, and never a coupon), so that checkouts redeeming one coupon count its
 * redemptions one after the other, in every instance.
 */
async function placeOrder(tx: Tx, input: CheckoutInput): Promise<Exclude<CheckoutOutcome, { kind: 'claim_lost' }>> {
  const { userId, orderId, note, now } = input;
  const code = await attachedCode(tx, userId);
  const attached = code === undefined ? null : await couponUsage(tx, code, userId, true);
  const ids = [...new Set((await cartLines(tx, userId)).map((line) => line.productId))].sort();
  if (ids.length > 0) {
    await tx
      .select({ id: products.id })
      .from(products)
      .where(inArray(products.id, ids))
      .orderBy(asc(products.id))
      .for('update');
  }
  const lines = await cartLines(tx, userId);
  const plan = planCheckout(lines);
  if (plan.kind !== 'ok') return plan;
  const price = priceCheckout(plan.totalCents, attached, now);
  if (price.kind !== 'ok') return price;
  for (const line of [...plan.lines].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
    const taken = await tx
      .update(products)
      .set({ stock: sql`${products.stock} - ${line.quantity}` })
      .where(and(eq(products.id, line.productId), sql`${products.stock} >= ${line.quantity}`))
      .returning({ id: products.id });
    if (taken.length !== 1) throw new Error(`stock of ${line.productId} changed inside the checkout transaction`);
  }
  await tx.insert(orders).values(orderRow({ orderId, userId, note, now }, plan.currency, price));
  await tx.insert(orderItems).values(orderItemRows(orderId, plan, lines));
  await tx
    .insert(orderStatusHistory)
    .values({ orderId, fromStatus: null, toStatus: 'pending', actorId: userId, at: now });
  const { couponCode, discountCents } = price;
  if (couponCode !== null) {
    await tx.insert(couponRedemptions).values({ orderId, couponCode, userId, discountCents, at: now });
  }
  await tx.delete(cartItems).where(eq(cartItems.userId, userId));
  if (code !== undefined) await tx.delete(cartCoupons).where(eq(cartCoupons.userId, userId));
  return { kind: 'placed', order: await loadAndRecord(tx, orderId, null, now) };
}

export function createOrderRepository(db: Db): OrderRepository {
  return {
    checkout(input) {
      return transaction(db, async (tx) => {
        await lockUser(tx, input.userId);
        const { idempotency } = input;
        const keyIs =
          idempotency && and(eq(idempotencyKeys.userId, input.userId), eq(idempotencyKeys.key, idempotency.key));
        if (keyIs) {
          const [held] = await tx
            .select({ claim: idempotencyKeys.claim, state: idempotencyKeys.state })
            .from(idempotencyKeys)
            .where(keyIs)
            .for('update');
          if (held?.claim !== idempotency.claim || held.state !== 'in_flight') return { kind: 'claim_lost' as const };
        }
        const outcome = await placeOrder(tx, input);
        if (idempotency && keyIs) {
          const response = idempotency.encode(outcome);
          await tx
            .update(idempotencyKeys)
            .set({ state: 'done', responseStatus: response.status, responseBody: response.body })
            .where(keyIs);
        }
        return outcome;
      });
    },
    find: (orderId, userId) => load(db, orderId, userId),
    async list(filter) {
      const conditions: SQL[] = [];
      if (filter.userId !== undefined) conditions.push(eq(orders.userId, filter.userId));
      if (filter.status !== undefined) conditions.push(eq(orders.status, filter.status));
      const where = and(...conditions);
      return readPage(
        db
          .select(summaryColumns)
          .from(orders)
          .where(where)
          .orderBy(desc(orders.createdAt), desc(orders.id))
          .limit(filter.limit)
          .offset(offsetOf(filter)),
        db.select({ n: count() }).from(orders).where(where),
        filter,
      );
    },
    transition({ orderId, to, actor, ownerId, now }) {
      return transaction(db, async (tx) => {
        // The order's row lock makes two concurrent transitions of one order apply one after the other.
        await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).for('update');
        const order = await load(tx, orderId, ownerId);
        if (!order) return { kind: 'not_found' as const };
        if (!canTransition(order.status, to, actor.role)) {
          return { kind: 'invalid_transition' as const, from: order.status, to };
        }
        if (restoresStock(to)) {
          // Product-id order, like checkout's locks, so that the two never wait on each other in a cycle.
          for (const item of [...order.items].sort((a, b) => (a.productId < b.productId ? -1 : 1))) {
            await tx
              .update(products)
              .set({ stock: sql`${products.stock} + ${item.quantity}` })
              .where(eq(products.id, item.productId));
          }
          // The coupon's redemption is given back with the stock.
          await tx.delete(couponRedemptions).where(eq(couponRedemptions.orderId, orderId));
        }
        await tx.update(orders).set({ status: to, updatedAt: now }).where(eq(orders.id, orderId));
        await tx
          .insert(orderStatusHistory)
          .values({ orderId, fromStatus: order.status, toStatus: to, actorId: actor.id, at: now });
        return { kind: 'ok' as const, order: await loadAndRecord(tx, orderId, order.status, now) };
      });
    },
  };
}
