import { and, asc, eq, sql } from 'drizzle-orm';
import { decideCartLine } from '../../domain/cart.js';
import type { CartLine } from '../../domain/types.js';
import { cartLineColumns } from '../columns.js';
import type { CartRepository } from '../store.js';
import { transaction, type Db, type Tx } from './connection.js';
import { cartItems, products, users } from './schema.js';

/** The cart's queries, shared with checkout, which reads and empties the cart inside its transaction. */
export function cartLines(q: Db | Tx, userId: string): Promise<CartLine[]> {
  return q
    .select(cartLineColumns(cartItems, products))
    .from(cartItems)
    .innerJoin(products, eq(products.id, cartItems.productId))
    .where(eq(cartItems.userId, userId))
    .orderBy(asc(cartItems.addedAt), asc(cartItems.position));
}

/**
 * Serialise one user's cart changes and checkouts across connections and instances:
 * SQLite gets this from BEGIN IMMEDIATE, PostgreSQL from a lock on the user's row.
 */
export async function lockUser(tx: Tx, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('no key update');
}

export function createCartRepository(db: Db): CartRepository {
  const lineIs = (userId: string, productId: string) =>
    and(eq(cartItems.userId, userId), eq(cartItems.productId, productId));

  async function decide(tx: Tx, userId: string, productId: string, quantity: (inCart: number) => number) {
    const current = await cartLines(tx, userId);
    const inCart = current.find((line) => line.productId === productId)?.quantity;
    const [product] = await tx.select().from(products).where(eq(products.id, productId));
    return { inCart, change: decideCartLine(product, quantity(inCart ?? 0), current) };
  }

  async function upsert(tx: Tx, userId: string, productId: string, quantity: number, now: string) {
    const position = sql`(SELECT coalesce(max(${cartItems.position}), 0) + 1 FROM ${cartItems} WHERE ${cartItems.userId} = ${userId})`;
    await tx
      .insert(cartItems)
      .values({ userId, productId, quantity, addedAt: now, position })
      .onConflictDoUpdate({ target: [cartItems.userId, cartItems.productId], set: { quantity } });
  }

  return {
    lines: (userId) => cartLines(db, userId),
    add(userId, productId, quantity, now) {
      return transaction(db, async (tx) => {
        await lockUser(tx, userId);
        const { change } = await decide(tx, userId, productId, (inCart) => inCart + quantity);
        if (change.kind === 'ok') await upsert(tx, userId, productId, change.quantity, now);
        return change;
      });
    },
    set(userId, productId, quantity, now) {
      return transaction(db, async (tx) => {
        await lockUser(tx, userId);
        const { inCart, change } = await decide(tx, userId, productId, () => quantity);
        if (inCart === undefined) return { kind: 'no_line' as const };
        if (quantity === 0) {
          await tx.delete(cartItems).where(lineIs(userId, productId));
          return { kind: 'ok' as const, quantity: 0 };
        }
        if (change.kind === 'ok') await upsert(tx, userId, productId, quantity, now);
        return change;
      });
    },
    async remove(userId, productId) {
      const removed = await db
        .delete(cartItems)
        .where(lineIs(userId, productId))
        .returning({ productId: cartItems.productId });
      return removed.length > 0;
    },
    async clear(userId) {
      await db.delete(cartItems).where(eq(cartItems.userId, userId));
    },
  };
}
