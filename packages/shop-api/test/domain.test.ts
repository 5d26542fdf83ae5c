import { describe, expect, it } from 'vitest';
import { decideCartLine } from '../src/domain/cart.js';
import { planCheckout } from '../src/domain/checkout.js';
import { canTransition, restoresStock } from '../src/domain/order-status.js';
import { ORDER_STATUSES, type CartLine, type Product } from '../src/domain/types.js';
import { ftsQuery } from '../src/db/sqlite/fts.js';

const line = (over: Partial<CartLine>): CartLine => ({
  productId: 'p1',
  sku: 'S1',
  name: 'One',
  unitPriceCents: 100,
  currency: 'USD',
  quantity: 1,
  stock: 10,
  active: true,
  ...over,
});

describe('planCheckout', () => {
  it('sums quantities per product before comparing with stock', () => {
    expect(planCheckout([line({ quantity: 6 }), line({ quantity: 5 })])).toEqual({
      kind: 'short',
      lines: [{ productId: 'p1', name: 'One', requested: 11, available: 10 }],
    });
  });

  it('totals a valid cart in integer cents', () => {
    expect(
      planCheckout([line({ quantity: 3, unitPriceCents: 199 }), line({ productId: 'p2', unitPriceCents: 1 })]),
    ).toEqual({
      kind: 'ok',
      currency: 'USD',
      totalCents: 598,
      lines: [
        { productId: 'p1', quantity: 3, unitPriceCents: 199 },
        { productId: 'p2', quantity: 1, unitPriceCents: 1 },
      ],
    });
  });

  it.each([
    ['empty', [], { kind: 'empty' }],
    [
      'archived counts as no stock',
      [line({ active: false })],
      { kind: 'short', lines: [{ productId: 'p1', name: 'One', requested: 1, available: 0 }] },
    ],
    [
      'mixed currencies',
      [line({}), line({ productId: 'p2', currency: 'EUR' })],
      { kind: 'mixed_currency', currencies: ['USD', 'EUR'] },
    ],
  ])('%s', (_name, lines, expected) => {
    expect(planCheckout(lines)).toEqual(expected);
  });
});

describe('order state machine', () => {
  const allowed: Record<string, string[]> = {
    pending: ['processing', 'cancelled'],
    processing: ['shipped', 'cancelled'],
    shipped: ['delivered'],
    delivered: [],
    cancelled: [],
  };
  for (const from of ORDER_STATUSES) {
    for (const to of ORDER_STATUSES) {
      const admin = allowed[from]!.includes(to);
      const customer = from === 'pending' && to === 'cancelled';
      it(`${from} → ${to}: admin ${admin ? 'yes' : 'no'}, customer ${customer ? 'yes' : 'no'}`, () => {
        expect(canTransition(from, to, 'admin')).toBe(admin);
        expect(canTransition(from, to, 'customer')).toBe(customer);
      });
    }
  }
  it('restores stock only on cancellation', () => {
    expect(ORDER_STATUSES.filter(restoresStock)).toEqual(['cancelled']);
  });
});

describe('decideCartLine', () => {
  const product: Product = {
    id: 'p1',
    sku: 'S',
    name: 'P',
    description: '',
    priceCents: 1,
    currency: 'USD',
    stock: 3,
    category: 'c',
    active: true,
    createdAt: '',
    updatedAt: '',
  };
  it.each([
    ['fits', product, 3, [], { kind: 'ok', quantity: 3 }],
    ['exceeds', product, 4, [], { kind: 'exceeds_stock', requested: 4, available: 3 }],
    ['unknown', undefined, 1, [], { kind: 'not_found' }],
    ['archived', { ...product, active: false }, 1, [], { kind: 'not_found' }],
    [
      'other currency in cart',
      product,
      1,
      [line({ productId: 'p2', currency: 'EUR' })],
      { kind: 'currency_mismatch', cartCurrency: 'EUR', productCurrency: 'USD' },
    ],
  ] as const)('%s', (_name, p, quantity, others, expected) => {
    expect(decideCartLine(p, quantity, others)).toEqual(expected);
  });
});

describe('ftsQuery', () => {
  it.each([
    ['blue shoes', '"blue"* "shoes"*'],
    ['  Café  ', '"Café"*'],
    ['"a" OR b*', '"a"* "OR"* "b"*'],
    ['NEAR(x y)', '"NEAR"* "x"* "y"*'],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(ftsQuery(input)).toBe(expected);
  });
});
