import { ConflictError, NotFoundError } from '@quartet/core';
import { MAX_LINE_QUANTITY, MAX_TOTAL_CENTS, type CartChange } from '../domain/cart.js';
import {
  couponDiscount,
  couponProblem,
  normalizeCouponCode,
  type CouponReason,
  type CouponType,
} from '../domain/coupon.js';
import { CouponNotApplicableError } from '../errors.js';
import { nowIso, type ServiceContext } from './context.js';

export interface CartView {
  items: {
    productId: string;
    name: string;
    unitPriceCents: number;
    currency: string;
    quantity: number;
    lineTotalCents: number;
    /** False when the product was archived or its stock fell below the quantity: checkout would refuse it. */
    available: boolean;
  }[];
  subtotalCents: number;
  /** The attached coupon, shown even when it no longer applies (then `couponProblem` says why). */
  coupon: { code: string; type: CouponType; value: number } | null;
  couponProblem: CouponReason | null;
  discountCents: number;
  totalCents: number;
}

export function createCartService(ctx: ServiceContext) {
  const { store } = ctx;

  async function view(userId: string): Promise<CartView> {
    // One after the other, not side by side: on PostgreSQL that would hold two pooled connections per answer.
    const lines = await store.carts.lines(userId);
    const attached = await store.coupons.attached(userId);
    const items = lines.map((line) => ({
      productId: line.productId,
      name: line.name,
      unitPriceCents: line.unitPriceCents,
      currency: line.currency,
      quantity: line.quantity,
      lineTotalCents: line.unitPriceCents * line.quantity,
      available: line.active && line.stock >= line.quantity,
    }));
    const subtotalCents = items.reduce((sum, item) => sum + item.lineTotalCents, 0);
    if (!attached)
      return { items, subtotalCents, coupon: null, couponProblem: null, discountCents: 0, totalCents: subtotalCents };
    const { code, type, value } = attached.coupon;
    const problem = couponProblem(attached.coupon, attached.usage, subtotalCents, nowIso(ctx));
    const discountCents = problem === null ? couponDiscount(attached.coupon, subtotalCents) : 0;
    return {
      items,
      subtotalCents,
      coupon: { code, type, value },
      couponProblem: problem,
      discountCents,
      totalCents: subtotalCents - discountCents,
    };
  }

  return {
    view,
    async add(userId: string, productId: string, quantity: number): Promise<CartView> {
      assertApplied(await store.carts.add(userId, productId, quantity, nowIso(ctx)));
      return view(userId);
    },
    async set(userId: string, productId: string, quantity: number): Promise<CartView> {
      const change = await store.carts.set(userId, productId, quantity, nowIso(ctx));
      if (change.kind === 'no_line') throw lineNotFound();
      assertApplied(change);
      return view(userId);
    },
    async remove(userId: string, productId: string): Promise<CartView> {
      if (!(await store.carts.remove(userId, productId))) throw lineNotFound();
      return view(userId);
    },
    /** Attach a coupon that applies to the cart as it is now; checkout checks it again. */
    async attachCoupon(userId: string, input: string): Promise<CartView> {
      const code = normalizeCouponCode(input);
      const { coupon, usage } = await store.coupons.usage(code, userId);
      const lines = await store.carts.lines(userId);
      const subtotalCents = lines.reduce((sum, line) => sum + line.unitPriceCents * line.quantity, 0);
      const problem = couponProblem(coupon, usage, subtotalCents, nowIso(ctx));
      if (problem !== null) throw new CouponNotApplicableError(problem, 422);
      await store.coupons.attach(userId, code, nowIso(ctx));
      return view(userId);
    },
    async detachCoupon(userId: string): Promise<void> {
      await store.coupons.detach(userId);
    },
    async clear(userId: string): Promise<CartView> {
      await store.carts.clear(userId);
      return view(userId);
    },
  };
}

function assertApplied(change: CartChange): void {
  switch (change.kind) {
    case 'ok':
      return;
    case 'not_found':
      throw new NotFoundError('product not found', 'PRODUCT_NOT_FOUND');
    case 'line_limit':
      throw new ConflictError(
        `a cart line holds at most ${MAX_LINE_QUANTITY} units; this one would hold ${change.requested}`,
        'QUANTITY_LIMIT',
      );
    case 'cart_limit':
      throw new ConflictError(
        `the cart would be worth more than ${MAX_TOTAL_CENTS} cents; check out what it holds first`,
        'CART_TOO_LARGE',
      );
    case 'exceeds_stock':
      throw new ConflictError(
        `only ${change.available} in stock; the cart line would hold ${change.requested}`,
        'INSUFFICIENT_STOCK',
      );
    case 'currency_mismatch':
      throw new ConflictError(
        `the cart is in ${change.cartCurrency} and this product is priced in ${change.productCurrency}`,
        'CURRENCY_MISMATCH',
      );
  }
}

function lineNotFound(): NotFoundError {
  return new NotFoundError('this product is not in the cart', 'CART_LINE_NOT_FOUND');
}
