/*
 * Coupon rules, as pure functions: what a code is, whether a coupon applies to a subtotal at a
 * moment given how often it was redeemed, and what it takes off. The stores decide with these
 * inside their transactions; the cart view decides with them to show why a coupon stopped applying.
 */

export const COUPON_TYPES = ['percent', 'fixed'] as const;
export type CouponType = (typeof COUPON_TYPES)[number];

/** Why a coupon does not apply, in the order they are checked. */
export const COUPON_REASONS = [
  'unknown',
  'inactive',
  'not_started',
  'expired',
  'exhausted',
  'customer_limit',
  'below_minimum',
] as const;
export type CouponReason = (typeof COUPON_REASONS)[number];

/** 3-32 of A-Z, 0-9 and "-", after upper-casing. */
export const COUPON_CODE = /^[A-Z0-9-]{3,32}$/;

export interface Coupon {
  /** Upper-case. */
  code: string;
  type: CouponType;
  /** Percent: 1-100. Fixed: cents. */
  value: number;
  minSubtotalCents: number | null;
  maxRedemptions: number | null;
  perCustomerLimit: number;
  /** ISO-8601 UTC; null: no bound. */
  startsAt: string | null;
  endsAt: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** How often a coupon was redeemed by orders that were not cancelled: by anyone, and by one customer. */
export interface CouponUsage {
  redemptions: number;
  customerRedemptions: number;
}

/** Codes match case-insensitively: `summer-10` is `SUMMER-10`. */
export function normalizeCouponCode(code: string): string {
  return code.toUpperCase();
}

/**
 * Why `coupon` does not apply to a cart worth `subtotalCents` at `now`, or null when it does.
 * `endsAt` is exclusive, `startsAt` inclusive. ISO-8601 UTC strings of one shape compare as text.
 */
export function couponProblem(
  coupon: Coupon | undefined,
  usage: CouponUsage,
  subtotalCents: number,
  now: string,
): CouponReason | null {
  if (!coupon) return 'unknown';
  if (!coupon.active) return 'inactive';
  if (coupon.startsAt !== null && now < coupon.startsAt) return 'not_started';
  if (coupon.endsAt !== null && now >= coupon.endsAt) return 'expired';
  if (coupon.maxRedemptions !== null && usage.redemptions >= coupon.maxRedemptions) return 'exhausted';
  if (usage.customerRedemptions >= coupon.perCustomerLimit) return 'customer_limit';
  if (coupon.minSubtotalCents !== null && subtotalCents < coupon.minSubtotalCents) return 'below_minimum';
  return null;
}

/**
 * What `coupon` takes off `subtotalCents`: a percentage rounded half up to the cent (in BigInt, so
 * that subtotals near MAX_TOTAL_CENTS do not round), or a fixed amount; never more than the subtotal.
 */
export function couponDiscount(coupon: Pick<Coupon, 'type' | 'value'>, subtotalCents: number): number {
  const off =
    coupon.type === 'percent' ? Number((BigInt(subtotalCents) * BigInt(coupon.value) + 50n) / 100n) : coupon.value;
  return Math.min(off, subtotalCents);
}

export type CouponPatchProblem =
  { kind: 'below_used'; redemptions: number } | { kind: 'ends_before_start'; startsAt: string };

/** Why `patch` cannot be applied to `current` (read under the coupon's lock), or null when it can. */
export function couponPatchProblem(
  current: Pick<Coupon, 'startsAt'> & { redemptions: number },
  patch: { maxRedemptions?: number | null | undefined; endsAt?: string | null | undefined },
): CouponPatchProblem | null {
  const { maxRedemptions, endsAt } = patch;
  if (maxRedemptions != null && maxRedemptions < current.redemptions) {
    return { kind: 'below_used', redemptions: current.redemptions };
  }
  if (endsAt != null && current.startsAt !== null && endsAt <= current.startsAt) {
    return { kind: 'ends_before_start', startsAt: current.startsAt };
  }
  return null;
}
