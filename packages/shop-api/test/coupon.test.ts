import { describe, expect, it } from 'vitest';
import { priceCheckout } from '../src/domain/checkout.js';
import { MAX_TOTAL_CENTS } from '../src/domain/cart.js';
import { couponDiscount, couponProblem, normalizeCouponCode, type Coupon } from '../src/domain/coupon.js';

const coupon = (over: Partial<Coupon> = {}): Coupon => ({
  code: 'SUMMER-10',
  type: 'percent',
  value: 10,
  minSubtotalCents: null,
  maxRedemptions: null,
  perCustomerLimit: 1,
  startsAt: null,
  endsAt: null,
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const unused = { redemptions: 0, customerRedemptions: 0 };
const NOW = '2026-06-01T12:00:00.000Z';

describe('couponDiscount', () => {
  it.each([
    ['15% of 999 = 149.85 rounds up to 150', 'percent', 15, 999, 150],
    ['12.5% cannot be given, 13% of 1 = 0.13 rounds down to 0', 'percent', 13, 1, 0],
    ['50% of 1 = 0.5 rounds half up to 1', 'percent', 50, 1, 1],
    ['10% of 1005 = 100.5 rounds half up to 101', 'percent', 10, 1005, 101],
    ['10% of 1004 = 100.4 rounds down to 100', 'percent', 10, 1004, 100],
    ['100% of 1234 is all of it', 'percent', 100, 1234, 1234],
    ['fixed 5000 on a 1200 subtotal is capped at 1200', 'fixed', 5000, 1200, 1200],
    ['fixed 500 on 1200 is 500', 'fixed', 500, 1200, 500],
    ['anything on an empty cart is 0', 'fixed', 500, 0, 0],
  ] as const)('%s', (_name, type, value, subtotal, expected) => {
    expect(couponDiscount({ type, value }, subtotal)).toBe(expected);
  });

  it('rounds exactly near the largest total (no floating-point product)', () => {
    // 2^53 - 1 = 9007199254740991; 15% = 1351079888211148.65 -> ...149
    expect(couponDiscount({ type: 'percent', value: 15 }, MAX_TOTAL_CENTS)).toBe(1351079888211149);
  });
});

describe('normalizeCouponCode', () => {
  it('upper-cases so that codes match case-insensitively', () => {
    expect(normalizeCouponCode('summer-10')).toBe('SUMMER-10');
    expect(normalizeCouponCode('SuMmEr-10')).toBe(normalizeCouponCode('SUMMER-10'));
  });
});

describe('couponProblem', () => {
  it.each([
    ['an unknown coupon', undefined, unused, 1000, 'unknown'],
    ['an inactive one', coupon({ active: false }), unused, 1000, 'inactive'],
    ['one that starts later', coupon({ startsAt: '2026-06-01T12:00:00.001Z' }), unused, 1000, 'not_started'],
    ['one that ended at this instant (endsAt is exclusive)', coupon({ endsAt: NOW }), unused, 1000, 'expired'],
    ['one used up', coupon({ maxRedemptions: 5 }), { redemptions: 5, customerRedemptions: 0 }, 1000, 'exhausted'],
    [
      'one the customer used up',
      coupon({ perCustomerLimit: 2 }),
      { redemptions: 2, customerRedemptions: 2 },
      1000,
      'customer_limit',
    ],
    ['a cart below the minimum', coupon({ minSubtotalCents: 1001 }), unused, 1000, 'below_minimum'],
    ['inactive wins over expired (checked first)', coupon({ active: false, endsAt: NOW }), unused, 1000, 'inactive'],
  ] as const)('%s: %s', (_name, c, usage, subtotal, reason) => {
    expect(couponProblem(c, usage, subtotal, NOW)).toBe(reason);
  });

  it.each([
    ['a plain coupon', coupon()],
    ['one that starts now (startsAt is inclusive)', coupon({ startsAt: NOW })],
    ['one that ends a millisecond later', coupon({ endsAt: '2026-06-01T12:00:00.001Z' })],
    ['a cart exactly at the minimum', coupon({ minSubtotalCents: 1000 })],
  ])('applies: %s', (_name, c) => {
    expect(couponProblem(c, { redemptions: 4, customerRedemptions: 0 }, 1000, NOW)).toBeNull();
  });

  it('applies with one redemption left', () => {
    expect(couponProblem(coupon({ maxRedemptions: 5 }), { redemptions: 4, customerRedemptions: 0 }, 1, NOW)).toBeNull();
  });
});

describe('priceCheckout', () => {
  it('without a coupon the total is the subtotal', () => {
    expect(priceCheckout(999, null, NOW)).toEqual({
      kind: 'ok',
      subtotalCents: 999,
      discountCents: 0,
      totalCents: 999,
      couponCode: null,
    });
  });

  it('with a coupon it records the code, the discount and what is left', () => {
    expect(priceCheckout(999, { coupon: coupon({ value: 15 }), usage: unused }, NOW)).toEqual({
      kind: 'ok',
      subtotalCents: 999,
      discountCents: 150,
      totalCents: 849,
      couponCode: 'SUMMER-10',
    });
  });

  it('a coupon that stopped applying stops the checkout with the reason', () => {
    expect(
      priceCheckout(
        999,
        { coupon: coupon({ maxRedemptions: 1 }), usage: { redemptions: 1, customerRedemptions: 0 } },
        NOW,
      ),
    ).toEqual({ kind: 'coupon_not_applicable', reason: 'exhausted' });
  });
});
