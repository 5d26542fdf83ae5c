/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { ConflictError, immediateTransaction } from '@quartet/core';
import { and, count, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { CouponInUse } from '../../domain/checkout.js';
import { couponPatchProblem, type Coupon } from '../../domain/coupon.js';
import type { CouponRepository, CouponWithRedemptions } from '../store.js';
import { cartCoupons, couponRedemptions, coupons } from './schema.js';
import { isUniqueViolation, readPage, type Db } from './connection.js';

const redemptions = sql<number>`(SELECT count(*) FROM ${couponRedemptions} WHERE ${couponRedemptions.couponCode} = ${coupons.code})`;
const withRedemptions = { ...getTableColumns(coupons), redemptions };

/** The coupon statements checkout shares: it reads the cart's coupon and redeems it inside its transaction. */
export function prepareCouponQueries(db: Db) {
  const byCode = db
    .select(withRedemptions)
    .from(coupons)
    .where(eq(coupons.code, sql.placeholder('code')))
    .prepare();
  const attachedCode = db
    .select({ code: cartCoupons.couponCode })
    .from(cartCoupons)
    .where(eq(cartCoupons.userId, sql.placeholder('userId')))
    .prepare();
  const customerRedemptions = db
    .select({ n: count() })
    .from(couponRedemptions)
    .where(
      and(
        eq(couponRedemptions.couponCode, sql.placeholder('code')),
        eq(couponRedemptions.userId, sql.placeholder('userId')),
      ),
    )
    .prepare();
  const detach = db
    .delete(cartCoupons)
    .where(eq(cartCoupons.userId, sql.placeholder('userId')))
    .prepare();

  function usage(code: string, userId: string): CouponInUse {
    const found = byCode.get({ code });
    if (!found) return { coupon: undefined, usage: { redemptions: 0, customerRedemptions: 0 } };
    const { redemptions: made, ...coupon } = found;
    const mine = customerRedemptions.get({ code, userId })?.n ?? 0;
    return { coupon, usage: { redemptions: made, customerRedemptions: mine } };
  }

  function attached(userId: string): (CouponInUse & { coupon: Coupon }) | undefined {
    const code = attachedCode.get({ userId })?.code;
    if (code === undefined) return undefined;
    const found = usage(code, userId);
    return found.coupon ? { ...found, coupon: found.coupon } : undefined;
  }

  return { byCode, usage, attached, detach };
}

export function createCouponRepository(db: Db): CouponRepository {
  const q = prepareCouponQueries(db);
  const list = {
    rows: db
      .select(withRedemptions)
      .from(coupons)
      .orderBy(desc(coupons.createdAt), desc(coupons.code))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(),
    total: db.select({ n: count() }).from(coupons).prepare(),
  };
  const find = (code: string): CouponWithRedemptions | undefined => q.byCode.get({ code });

  return {
    async create(coupon) {
      try {
        db.insert(coupons).values(coupon).run();
      } catch (error) {
        if (isUniqueViolation(error, 'coupons.code')) {
          throw new ConflictError(`coupon code ${coupon.code} is already in use`, 'COUPON_CODE_TAKEN');
        }
        throw error;
      }
      return { ...coupon, redemptions: 0 };
    },
    async find(code) {
      return find(code);
    },
    async list(page) {
      return readPage(list, {}, page);
    },
    async update(code, patch, now) {
      return immediateTransaction(db, () => {
        const current = find(code);
        if (!current) return { kind: 'not_found' as const };
        const problem = couponPatchProblem(current, patch);
        if (problem) return problem;
        const { maxRedemptions, endsAt, active } = patch;
        db.update(coupons)
          .set({
            ...(active === undefined ? {} : { active }),
            ...(endsAt === undefined ? {} : { endsAt }),
            ...(maxRedemptions === undefined ? {} : { maxRedemptions }),
            updatedAt: now,
          })
          .where(eq(coupons.code, code))
          .run();
        const coupon = find(code);
        if (!coupon) throw new Error(`coupon ${code} vanished inside its own transaction`);
        return { kind: 'ok' as const, coupon };
      });
    },
    async usage(code, userId) {
      return q.usage(code, userId);
    },
    async attached(userId) {
      return q.attached(userId);
    },
    async attach(userId, code, now) {
      db.insert(cartCoupons)
        .values({ userId, couponCode: code, attachedAt: now })
        .onConflictDoUpdate({ target: cartCoupons.userId, set: { couponCode: code, attachedAt: now } })
        .run();
    },
    async detach(userId) {
      return q.detach.run({ userId }).changes > 0;
    },
  };
}
