import { MAX_TOTAL_CENTS } from './cart.js';
import { couponDiscount, couponProblem, type Coupon, type CouponReason, type CouponUsage } from './coupon.js';
import type { CartLine } from './types.js';

export interface ShortLine {
  productId: string;
  name: string;
  requested: number;
  available: number;
}

export interface PlannedLine {
  productId: string;
  quantity: number;
  unitPriceCents: number;
}

export type CheckoutPlan =
  | { kind: 'empty' }
  | { kind: 'short'; lines: ShortLine[] }
  | { kind: 'mixed_currency'; currencies: string[] }
  /** Prices rose since the lines were added, past what a total may be (MAX_TOTAL_CENTS). */
  | { kind: 'too_large' }
  | { kind: 'ok'; lines: PlannedLine[]; currency: string; totalCents: number };

/**
 * Decide a checkout from the cart as it is inside the transaction: quantities
 * are summed per product (so two lines of one product cannot each pass the
 * stock check alone), archived products count as unavailable, and one short
 * line stops the whole order.
 */
export function planCheckout(lines: readonly CartLine[]): CheckoutPlan {
  if (lines.length === 0) return { kind: 'empty' };
  const byProduct = new Map<string, CartLine & { quantity: number }>();
  for (const line of lines) {
    const seen = byProduct.get(line.productId);
    byProduct.set(line.productId, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  const merged = [...byProduct.values()];
  const short = merged
    .map((line) => ({ line, available: line.active ? line.stock : 0 }))
    .filter(({ line, available }) => line.quantity > available)
    .map(({ line, available }) => ({
      productId: line.productId,
      name: line.name,
      requested: line.quantity,
      available,
    }));
  if (short.length > 0) return { kind: 'short', lines: short };
  const currencies = [...new Set(merged.map((line) => line.currency))];
  if (currencies.length > 1) return { kind: 'mixed_currency', currencies };
  const planned = merged.map((line) => ({
    productId: line.productId,
    quantity: line.quantity,
    unitPriceCents: line.unitPriceCents,
  }));
  const totalCents = planned.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  if (totalCents > MAX_TOTAL_CENTS) return { kind: 'too_large' };
  return { kind: 'ok', lines: planned, currency: currencies[0] ?? '', totalCents };
}

/** The coupon attached to the cart being checked out, with its redemptions as of the transaction. */
export interface CouponInUse {
  coupon: Coupon | undefined;
  usage: CouponUsage;
}

export type CheckoutPrice =
  | { kind: 'coupon_not_applicable'; reason: CouponReason }
  | { kind: 'ok'; subtotalCents: number; discountCents: number; totalCents: number; couponCode: string | null };

/**
 * What a planned order costs once the cart's coupon (if any) is applied at `now`. A coupon that
 * stopped applying since it was attached stops the checkout: the customer sees why and decides.
 */
export function priceCheckout(subtotalCents: number, attached: CouponInUse | null, now: string): CheckoutPrice {
  if (!attached) return { kind: 'ok', subtotalCents, discountCents: 0, totalCents: subtotalCents, couponCode: null };
  const reason = couponProblem(attached.coupon, attached.usage, subtotalCents, now);
  if (reason !== null || !attached.coupon) return { kind: 'coupon_not_applicable', reason: reason ?? 'unknown' };
  const discountCents = couponDiscount(attached.coupon, subtotalCents);
  return {
    kind: 'ok',
    subtotalCents,
    discountCents,
    totalCents: subtotalCents - discountCents,
    couponCode: attached.coupon.code,
  };
}
