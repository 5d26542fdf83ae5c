import { ConflictError } from '@quartet/core';
import { and, count, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { CouponInUse } from '../../domain/checkout.js';
import { couponPatchProblem } from '../../domain/coupon.js';
import { offsetOf } from '../rows.js';
import type { CouponRepository, CouponWithRedemptions } from '../store.js';
import { lockUser } from './carts.js';
import { isUniqueViolation } from '@quartet/core/pg';
import { readPage, transaction, type Db, type Tx } from './connection.js';
import { cartCoupons, couponRedemptions, coupons } from './schema.js';

const redemptions =
  sql<number>`(SELECT count(*) FROM ${couponRedemptions} WHERE ${couponRedemptions.couponCode} = ${coupons.code})`.mapWith(
    Number,
  );
const withRedemptions = { ...getTableColumns(coupons), redemptions };

async function find(q: Db | Tx, code: string): Promise<CouponWithRedemptions | undefined> {
  const [coupon] = await q.select(withRedemptions).from(coupons).where(eq(coupons.code, code));
  return coupon;
}

/**
 * `code`'s coupon and its redemptions. With `lock`, the coupon row is locked FOR NO KEY UPDATE first:
 * checkouts redeeming one coupon then queue on it, so each counts the redemptions committed before
 * it (READ COMMITTED reads the latest commit per statement), and the limit holds across instances.
 * NO KEY UPDATE does not conflict with the KEY SHARE lock that inserting a redemption row takes.
 */
export async function couponUsage(tx: Db | Tx, code: string, userId: string, lock = false): Promise<CouponInUse> {
  if (lock) await tx.select({ code: coupons.code }).from(coupons).where(eq(coupons.code, code)).for('no key update');
  const found = await find(tx, code);
  if (!found) return { coupon: undefined, usage: { redemptions: 0, customerRedemptions: 0 } };
  const { redemptions: made, ...coupon } = found;
  const [mine] = await tx
    .select({ n: count() })
    .from(couponRedemptions)
    .where(and(eq(couponRedemptions.couponCode, code), eq(couponRedemptions.userId, userId)));
  return { coupon, usage: { redemptions: made, customerRedemptions: mine?.n ?? 0 } };
}

/** The code attached to the user's cart, if any. */
export async function attachedCode(q: Db | Tx, userId: string): Promise<string | undefined> {
  const [row] = await q
    .select({ code: cartCoupons.couponCode })
    .from(cartCoupons)
    .where(eq(cartCoupons.userId, userId));
  return row?.code;
}

export function createCouponRepository(db: Db): CouponRepository {
  return {
    async create(coupon) {
      try {
        await db.insert(coupons).values(coupon);
      } catch (error) {
        if (isUniqueViolation(error, 'coupons_pkey')) {
          throw new ConflictError(`coupon code ${coupon.code} is already in use`, 'COUPON_CODE_TAKEN');
        }
        throw error;
      }
      return { ...coupon, redemptions: 0 };
    },
    find: (code) => find(db, code),
    list: (page) =>
      readPage(
        db
          .select(withRedemptions)
          .from(coupons)
          .orderBy(desc(coupons.createdAt), desc(coupons.code))
          .limit(page.limit)
          .offset(offsetOf(page)),
        db.select({ n: count() }).from(coupons),
        page,
      ),
    update(code, patch, now) {
      return transaction(db, async (tx) => {
        // The same lock checkout takes: no redemption slips in between the count and the change.
        await tx.select({ code: coupons.code }).from(coupons).where(eq(coupons.code, code)).for('no key update');
        const current = await find(tx, code);
        if (!current) return { kind: 'not_found' as const };
        const problem = couponPatchProblem(current, patch);
        if (problem) return problem;
        const { maxRedemptions, endsAt, active } = patch;
        await tx
          .update(coupons)
          .set({
            ...(active === undefined ? {} : { active }),
            ...(endsAt === undefined ? {} : { endsAt }),
            ...(maxRedemptions === undefined ? {} : { maxRedemptions }),
            updatedAt: now,
          })
          .where(eq(coupons.code, code));
        const coupon = await find(tx, code);
        if (!coupon) throw new Error(`coupon ${code} vanished inside its own transaction`);
        return { kind: 'ok' as const, coupon };
      });
    },
    usage: (code, userId) => couponUsage(db, code, userId),
    async attached(userId) {
      const code = await attachedCode(db, userId);
      if (code === undefined) return undefined;
      const found = await couponUsage(db, code, userId);
      return found.coupon ? { ...found, coupon: found.coupon } : undefined;
    },
    attach(userId, code, now) {
      // Under the user's lock, like every cart change: a checkout running now sees the cart before or after.
      return transaction(db, async (tx) => {
        await lockUser(tx, userId);
        await tx
          .insert(cartCoupons)
          .values({ userId, couponCode: code, attachedAt: now })
          .onConflictDoUpdate({ target: cartCoupons.userId, set: { couponCode: code, attachedAt: now } });
      });
    },
    async detach(userId) {
      const removed = await db
        .delete(cartCoupons)
        .where(eq(cartCoupons.userId, userId))
        .returning({ userId: cartCoupons.userId });
      return removed.length > 0;
    },
  };
}
