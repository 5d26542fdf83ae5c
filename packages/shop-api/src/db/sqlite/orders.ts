/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { randomUUID } from 'node:crypto';
import { immediateTransaction } from '@quartet/core';
import { and, asc, count, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import { planCheckout, priceCheckout } from '../../domain/checkout.js';
import { orderEvent } from '../../domain/order-events.js';
import { canTransition, restoresStock } from '../../domain/order-status.js';
import type { Order, OrderStatus } from '../../domain/types.js';
import type { CheckoutOutcome, OrderRepository } from '../store.js';
import {
  couponRedemptions,
  idempotencyKeys,
  orderItems,
  orders,
  orderStatusHistory,
  outbox,
  products,
  users,
} from './schema.js';
import { orderItemColumns, statusChangeColumns } from '../columns.js';
import { orderItemRows, orderRow, outboxRow, toStatusChange } from '../rows.js';
import { prepareCartQueries } from './carts.js';
import { prepareCouponQueries } from './coupons.js';
import { preparedInsert, readPage, statementCache, type Db } from './connection.js';
import type { WriteBatch } from './write-batch.js';

const itemCount = sql<number>`(SELECT coalesce(sum(${orderItems.quantity}), 0) FROM ${orderItems} WHERE ${orderItems.orderId} = ${orders.id})`;
const summaryColumns = { ...getTableColumns(orders), itemCount };

export function createOrderRepository(db: Db, batch: WriteBatch): OrderRepository {
  const cart = prepareCartQueries(db);
  const coupons = prepareCouponQueries(db);
  const byId = db
    .select(summaryColumns)
    .from(orders)
    .where(eq(orders.id, sql.placeholder('id')))
    .prepare();
  const items = db
    .select(orderItemColumns(orderItems))
    .from(orderItems)
    .where(eq(orderItems.orderId, sql.placeholder('id')))
    .orderBy(asc(orderItems.sku))
    .prepare();
  const history = db
    .select(statusChangeColumns(orderStatusHistory))
    .from(orderStatusHistory)
    .where(eq(orderStatusHistory.orderId, sql.placeholder('id')))
    .orderBy(asc(orderStatusHistory.id))
    .prepare();
  // The guard `stock >= qty` is belt and braces: BEGIN IMMEDIATE already serialises checkouts.
  const takeStock = db
    .update(products)
    .set({ stock: sql`${products.stock} - ${sql.placeholder('quantity')}` })
    .where(and(eq(products.id, sql.placeholder('id')), sql`${products.stock} >= ${sql.placeholder('quantity')}`))
    .prepare();
  const returnStock = db
    .update(products)
    .set({ stock: sql`${products.stock} + ${sql.placeholder('quantity')}` })
    .where(eq(products.id, sql.placeholder('id')))
    .prepare();
  const claimHeld = db
    .select({ claim: idempotencyKeys.claim, state: idempotencyKeys.state })
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, sql.placeholder('userId')), eq(idempotencyKeys.key, sql.placeholder('key'))))
    .prepare();
  const customer = db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();
  const insertOutbox = preparedInsert(db, outbox, ['id', 'topic', 'orderId', 'payload', 'createdAt', 'availableAt']);
  const insertOrder = preparedInsert(db, orders, [
    'id',
    'userId',
    'status',
    'currency',
    'subtotalCents',
    'discountCents',
    'totalCents',
    'couponCode',
    'note',
    'createdAt',
    'updatedAt',
  ]);
  const insertHistory = preparedInsert(db, orderStatusHistory, ['orderId', 'fromStatus', 'toStatus', 'actorId', 'at']);
  const shapes = statementCache<ReturnType<typeof prepareList>>();

  function prepareList(byUser: boolean, byStatus: boolean) {
    const conditions: SQL[] = [];
    if (byUser) conditions.push(sql`${orders.userId} = ${sql.placeholder('userId')}`);
    if (byStatus) conditions.push(sql`${orders.status} = ${sql.placeholder('status')}`);
    const where = conditions.length > 0 ? and(...conditions) : undefined;
    return {
      rows: db
        .select(summaryColumns)
        .from(orders)
        .where(where)
        .orderBy(desc(orders.createdAt), desc(orders.id))
        .limit(sql.placeholder('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(),
      total: db.select({ n: count() }).from(orders).where(where).prepare(),
    };
  }

  function load(id: string, ownerId?: string): Order | undefined {
    const order = byId.get({ id });
    if (!order || (ownerId !== undefined && order.userId !== ownerId)) return undefined;
    return {
      ...order,
      items: items.all({ id }),
      history: history.all({ id }).map(toStatusChange),
    };
  }

  /** The order as it is now, and its outbox event, inside the transaction that changed it. */
  function loadAndRecord(orderId: string, previous: OrderStatus | null, now: string): Order {
    const order = load(orderId);
    if (!order) throw new Error(`order ${orderId} vanished inside its own transaction`);
    const who = customer.get({ id: order.userId });
    if (!who) throw new Error(`the customer of order ${orderId} vanished inside its transaction`);
    insertOutbox(outboxRow(orderEvent(randomUUID(), order, who, previous, now)));
    return order;
  }

  function placeOrder(userId: string, orderId: string, note: string | null, now: string): CheckoutOutcome {
    const lines = cart.lines.all({ userId });
    const plan = planCheckout(lines);
    if (plan.kind !== 'ok') return plan;
    const price = priceCheckout(plan.totalCents, coupons.attached(userId) ?? null, now);
    if (price.kind !== 'ok') return price;
    for (const line of plan.lines) {
      if (takeStock.run({ id: line.productId, quantity: line.quantity }).changes !== 1) {
        throw new Error(`stock of ${line.productId} changed inside the checkout transaction`);
      }
    }
    insertOrder(orderRow({ orderId, userId, note, now }, plan.currency, price));
    db.insert(orderItems)
      .values(orderItemRows(orderId, plan, lines))
      .run();
    insertHistory({ orderId, fromStatus: null, toStatus: 'pending', actorId: userId, at: now });
    const { couponCode, discountCents } = price;
    if (couponCode !== null) {
      db.insert(couponRedemptions).values({ orderId, couponCode, userId, discountCents, at: now }).run();
    }
    cart.clear.run({ userId });
    coupons.detach.run({ userId });
    return { kind: 'placed', order: loadAndRecord(orderId, null, now) };
  }

  return {
    checkout(input) {
      return batch(() =>
        immediateTransaction(db, () => {
          const { idempotency } = input;
          if (idempotency) {
            const held = claimHeld.get({ userId: input.userId, key: idempotency.key });
            if (held?.claim !== idempotency.claim || held.state !== 'in_flight') return { kind: 'claim_lost' as const };
          }
          const outcome = placeOrder(input.userId, input.orderId, input.note, input.now);
          if (idempotency && outcome.kind !== 'claim_lost') {
            const response = idempotency.encode(outcome);
            db.update(idempotencyKeys)
              .set({ state: 'done', responseStatus: response.status, responseBody: response.body })
              .where(and(eq(idempotencyKeys.userId, input.userId), eq(idempotencyKeys.key, idempotency.key)))
              .run();
          }
          return outcome;
        }),
      );
    },
    async find(orderId, userId) {
      return load(orderId, userId);
    },
    async list(filter) {
      const q = shapes(`${filter.userId !== undefined}:${filter.status !== undefined}`, () =>
        prepareList(filter.userId !== undefined, filter.status !== undefined),
      );
      return readPage(q, { userId: filter.userId, status: filter.status }, filter);
    },
    async transition({ orderId, to, actor, ownerId, now }) {
      return immediateTransaction(db, () => {
        const order = load(orderId, ownerId);
        if (!order) return { kind: 'not_found' as const };
        if (!canTransition(order.status, to, actor.role)) {
          return { kind: 'invalid_transition' as const, from: order.status, to };
        }
        if (restoresStock(to)) {
          for (const item of order.items) returnStock.run({ id: item.productId, quantity: item.quantity });
          // The coupon's redemption is given back with the stock.
          db.delete(couponRedemptions).where(eq(couponRedemptions.orderId, orderId)).run();
        }
        db.update(orders).set({ status: to, updatedAt: now }).where(eq(orders.id, orderId)).run();
        insertHistory({ orderId, fromStatus: order.status, toStatus: to, actorId: actor.id, at: now });
        return { kind: 'ok' as const, order: loadAndRecord(orderId, order.status, now) };
      });
    },
  };
}
