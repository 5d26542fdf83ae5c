/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { immediateTransaction } from '@quartet/core';
import { and, asc, eq, sql } from 'drizzle-orm';
import { decideCartLine } from '../../domain/cart.js';
import { cartLineColumns } from '../columns.js';
import type { CartRepository } from '../store.js';
import { cartItems, products } from './schema.js';
import type { Db } from './connection.js';

/** A new line goes after the user's others; callers hold the write lock, so no two lines get one number. */
const nextPosition = sql`(SELECT coalesce(max(${cartItems.position}), 0) + 1 FROM ${cartItems} WHERE ${cartItems.userId} = ${sql.placeholder('userId')})`;

/** The cart's statements, shared with checkout, which reads and empties the cart inside its transaction. */
export function prepareCartQueries(db: Db) {
  const lines = db
    .select(cartLineColumns(cartItems, products))
    .from(cartItems)
    .innerJoin(products, eq(products.id, cartItems.productId))
    .where(eq(cartItems.userId, sql.placeholder('userId')))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.position))
    .prepare();
  const product = db
    .select()
    .from(products)
    .where(eq(products.id, sql.placeholder('id')))
    .prepare();
  const upsert = db
    .insert(cartItems)
    .values({
      userId: sql.placeholder('userId'),
      productId: sql.placeholder('productId'),
      quantity: sql.placeholder('quantity'),
      addedAt: sql.placeholder('now'),
      position: nextPosition,
    })
    .onConflictDoUpdate({ target: [cartItems.userId, cartItems.productId], set: { quantity: sql`excluded.quantity` } })
    .prepare();
  const removeLine = db
    .delete(cartItems)
    .where(and(eq(cartItems.userId, sql.placeholder('userId')), eq(cartItems.productId, sql.placeholder('productId'))))
    .prepare();
  const clear = db
    .delete(cartItems)
    .where(eq(cartItems.userId, sql.placeholder('userId')))
    .prepare();
  return { lines, product, upsert, removeLine, clear };
}

export function createCartRepository(db: Db): CartRepository {
  const { lines, product, upsert, removeLine, clear } = prepareCartQueries(db);

  return {
    async lines(userId) {
      return lines.all({ userId });
    },
    async add(userId, productId, quantity, now) {
      return immediateTransaction(db, () => {
        const current = lines.all({ userId });
        const inCart = current.find((line) => line.productId === productId)?.quantity ?? 0;
        const change = decideCartLine(product.get({ id: productId }), inCart + quantity, current);
        if (change.kind === 'ok') upsert.run({ userId, productId, quantity: change.quantity, now });
        return change;
      });
    },
    async set(userId, productId, quantity, now) {
      return immediateTransaction(db, () => {
        const current = lines.all({ userId });
        if (!current.some((line) => line.productId === productId)) return { kind: 'no_line' as const };
        if (quantity === 0) {
          removeLine.run({ userId, productId });
          return { kind: 'ok' as const, quantity: 0 };
        }
        const change = decideCartLine(product.get({ id: productId }), quantity, current);
        if (change.kind === 'ok') upsert.run({ userId, productId, quantity, now });
        return change;
      });
    },
    async remove(userId, productId) {
      return removeLine.run({ userId, productId }).changes > 0;
    },
    async clear(userId) {
      clear.run({ userId });
    },
  };
}
