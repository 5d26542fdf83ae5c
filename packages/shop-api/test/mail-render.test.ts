import { describe, expect, it } from 'vitest';
import { orderEvent, type OrderEvent } from '../src/domain/order-events.js';
import type { Order, OrderStatus } from '../src/domain/types.js';
import { formatCents, renderEmail } from '../src/mail/render.js';
import { messageIdFor } from '../src/mail/transport.js';

const ORDER_ID = '1a2b3c4d-0000-4000-8000-000000000001';

function order(status: OrderStatus, overrides: Partial<Order> = {}): Order {
  return {
    id: ORDER_ID,
    userId: 'u1',
    status,
    currency: 'EUR',
    subtotalCents: 2599,
    discountCents: 0,
    totalCents: 2599,
    couponCode: null,
    note: null,
    createdAt: '2026-12-07T10:00:00.000Z',
    updatedAt: '2026-12-07T10:00:00.000Z',
    items: [
      { productId: 'p1', sku: 'MUG-1', name: 'Mug', quantity: 2, priceAtPurchaseCents: 1000, lineTotalCents: 2000 },
      { productId: 'p2', sku: 'TEA-9', name: 'Green tea', quantity: 1, priceAtPurchaseCents: 599, lineTotalCents: 599 },
    ],
    ...overrides,
  } as Order;
}

const customer = { id: 'u1', email: 'ada@example.com', name: 'Ada' };
const event = (status: OrderStatus, previous: OrderStatus | null, overrides: Partial<Order> = {}): OrderEvent =>
  orderEvent('ev-1', order(status, overrides), customer, previous, '2026-12-07T10:00:00.000Z');

describe('renderEmail', () => {
  it.each([
    ['placed', event('pending', null), 'Order 1a2b3c4d placed'],
    ['shipped', event('shipped', 'processing'), 'Order 1a2b3c4d shipped'],
    ['processing', event('processing', 'pending'), 'Order 1a2b3c4d processing'],
    ['cancelled', event('cancelled', 'pending'), 'Order 1a2b3c4d cancelled'],
  ])('%s: subject, and a text body with the order id, items and total', (_name, ev, subject) => {
    const email = renderEmail(ev);
    expect(email.subject).toBe(subject);
    expect(email.to).toBe('ada@example.com');
    expect(email.text).toContain(`Order: ${ORDER_ID}`);
    expect(email.text).toContain(`Status: ${ev.payload.status}`);
    expect(email.text).toContain('2 x Mug (MUG-1) at 10.00 EUR: 20.00 EUR');
    expect(email.text).toContain('1 x Green tea (TEA-9) at 5.99 EUR: 5.99 EUR');
    expect(email.text).toContain('Total: 25.99 EUR');
    expect(email.html).toContain(`<code>${ORDER_ID}</code>`);
    expect(email.html).toContain('<td>25.99 EUR</td>');
  });

  it('shows a discount with its coupon code', () => {
    const email = renderEmail(event('pending', null, { discountCents: 500, totalCents: 2099, couponCode: 'SAVE5' }));
    expect(email.text).toContain('Subtotal: 25.99 EUR\nDiscount (SAVE5): -5.00 EUR\nTotal: 20.99 EUR');
  });

  it('escapes customer- and admin-supplied strings in the HTML', () => {
    const ev = event('pending', null, {
      items: [
        {
          productId: 'p1',
          sku: 'X"1',
          name: '<script>alert(1)</script>',
          quantity: 1,
          priceAtPurchaseCents: 100,
          lineTotalCents: 100,
        },
      ],
      couponCode: '<b>C</b>',
      discountCents: 1,
    });
    const email = renderEmail({
      ...ev,
      payload: { ...ev.payload, customer: { ...customer, name: 'Eve <img src=x>' } },
    });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>C');
    expect(email.html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
    expect(email.html).toContain('Hello Eve &#60;img src=x&#62;,');
    expect(email.html).toContain('X&#34;1');
    // The text part is plain text: nothing to escape.
    expect(email.text).toContain('1 x <script>alert(1)</script> (X"1)');
  });
});

describe('formatCents and messageIdFor', () => {
  it.each([
    [0, '0.00 USD'],
    [5, '0.05 USD'],
    [123456, '1234.56 USD'],
    [-250, '-2.50 USD'],
  ])('%i cents is %s', (cents, text) => expect(formatCents(cents, 'USD')).toBe(text));

  it('takes the Message-ID domain from the sender', () => {
    expect(messageIdFor('ev-1', 'Shop <orders@shop.example>')).toBe('<ev-1@shop.example>');
    expect(messageIdFor('ev-1', 'orders@shop.example')).toBe('<ev-1@shop.example>');
    expect(messageIdFor('ev-1', 'Shop')).toBe('<ev-1@shop-api>');
  });
});
