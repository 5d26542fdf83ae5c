/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, type StoreFactory } from '../support/context.js';

const noCoupon = { coupon: null, couponProblem: null, discountCents: 0 };

export function cartSuite(makeStore: StoreFactory): void {
  describe('cart', () => {
    it('adds to a line, totals the cart and persists it per user', async () => {
      const t = await createContext(makeStore);
      const mug = await t.product({ name: 'Mug', priceCents: 1250, stock: 5 });
      const user = await t.customer();
      const other = await t.customer();
      await t.addToCart(user.token, mug.id, 2);
      const r = await t.addToCart(user.token, mug.id, 1);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        items: [
          {
            productId: mug.id,
            name: 'Mug',
            unitPriceCents: 1250,
            currency: 'USD',
            quantity: 3,
            lineTotalCents: 3750,
            available: true,
          },
        ],
        subtotalCents: 3750,
        ...noCoupon,
        totalCents: 3750,
      });
      expect((await t.api('GET', '/api/v1/cart', { token: user.token })).json.subtotalCents).toBe(3750);
      expect((await t.api('GET', '/api/v1/cart', { token: other.token })).json).toEqual({
        items: [],
        subtotalCents: 0,
        ...noCoupon,
        totalCents: 0,
      });
    });

    it('lists lines in the order they were first added, even within one millisecond', async () => {
      const t = await createContext(makeStore);
      const products = [];
      for (let i = 0; i < 5; i++) products.push(await t.product({ name: `Line ${i}` }));
      const user = await t.customer();
      // The app's clock stands still, so every line gets the same added_at.
      for (const i of [3, 0, 4, 1, 2, 3, 0])
        expect((await t.addToCart(user.token, products[i]!.id, 1)).status).toBe(200);
      const cart = await t.api('GET', '/api/v1/cart', { token: user.token });
      expect(cart.json.items.map((line: { name: string; quantity: number }) => [line.name, line.quantity])).toEqual([
        ['Line 3', 2],
        ['Line 0', 2],
        ['Line 4', 1],
        ['Line 1', 1],
        ['Line 2', 1],
      ]);
    });

    it('refuses a line above stock with 409 and leaves it unchanged', async () => {
      const t = await createContext(makeStore);
      const p = await t.product({ stock: 3 });
      const user = await t.customer();
      await t.addToCart(user.token, p.id, 2);
      const r = await t.addToCart(user.token, p.id, 2);
      expect(r.status).toBe(409);
      expect(r.json).toMatchObject({
        code: 'INSUFFICIENT_STOCK',
        detail: 'only 3 in stock; the cart line would hold 4',
      });
      const set = await t.api('PATCH', `/api/v1/cart/items/${p.id}`, { token: user.token, body: { quantity: 4 } });
      expect(set.status).toBe(409);
      expect((await t.api('GET', '/api/v1/cart', { token: user.token })).json.items[0].quantity).toBe(2);
    });

    it('answers 404 for unknown and archived products', async () => {
      const t = await createContext(makeStore);
      const p = await t.product();
      const user = await t.customer();
      await t.store.products.update(p.id, { active: false }, new Date().toISOString());
      for (const productId of [p.id, '00000000-0000-4000-8000-000000000000']) {
        const r = await t.addToCart(user.token, productId, 1);
        expect(r.status).toBe(404);
        expect(r.json.code).toBe('PRODUCT_NOT_FOUND');
      }
    });

    it('marks a line unavailable when its product is archived or its stock drops', async () => {
      const t = await createContext(makeStore);
      const a = await t.product({ stock: 5 });
      const b = await t.product({ stock: 5 });
      const user = await t.customer();
      for (const p of [a, b]) {
        await t.addToCart(user.token, p.id, 2);
      }
      const now = new Date().toISOString();
      await t.store.products.update(a.id, { active: false }, now);
      await t.store.products.update(b.id, { stock: 1 }, now);
      const cart = await t.api('GET', '/api/v1/cart', { token: user.token });
      expect(cart.json.items.map((i: { available: boolean }) => i.available)).toEqual([false, false]);
    });

    it('sets quantities, removes with 0 or DELETE, and empties the cart', async () => {
      const t = await createContext(makeStore);
      const a = await t.product({ priceCents: 100 });
      const b = await t.product({ priceCents: 200 });
      const user = await t.customer();
      const token = user.token;
      await t.addToCart(token, a.id, 1);
      await t.addToCart(token, b.id, 1);
      const set = await t.api('PATCH', `/api/v1/cart/items/${a.id}`, { token, body: { quantity: 5 } });
      expect(set.json.subtotalCents).toBe(700);
      const zero = await t.api('PATCH', `/api/v1/cart/items/${a.id}`, { token, body: { quantity: 0 } });
      expect(zero.json.items.map((i: { productId: string }) => i.productId)).toEqual([b.id]);
      expect((await t.api('PATCH', `/api/v1/cart/items/${a.id}`, { token, body: { quantity: 1 } })).status).toBe(404);
      const removed = await t.api('DELETE', `/api/v1/cart/items/${b.id}`, { token });
      expect(removed.json).toEqual({ items: [], subtotalCents: 0, ...noCoupon, totalCents: 0 });
      const again = await t.api('DELETE', `/api/v1/cart/items/${b.id}`, { token });
      expect(again.status).toBe(404);
      expect(again.json.code).toBe('CART_LINE_NOT_FOUND');
      await t.addToCart(token, a.id, 1);
      expect((await t.api('DELETE', '/api/v1/cart', { token })).json).toEqual({
        items: [],
        subtotalCents: 0,
        ...noCoupon,
        totalCents: 0,
      });
    });

    it('keeps one currency per cart', async () => {
      const t = await createContext(makeStore);
      const usd = await t.product();
      const eur = await t.product({ currency: 'EUR' });
      const user = await t.customer();
      await t.addToCart(user.token, usd.id, 1);
      const r = await t.addToCart(user.token, eur.id, 1);
      expect(r.status).toBe(409);
      expect(r.json.code).toBe('CURRENCY_MISMATCH');
    });

    it('requires a signed-in user', async () => {
      const t = await createContext(makeStore);
      for (const [method, url] of [
        ['GET', '/api/v1/cart'],
        ['DELETE', '/api/v1/cart'],
      ] as const) {
        expect((await t.api(method, url)).status).toBe(401);
      }
    });
  });
}
