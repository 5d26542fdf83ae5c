/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, type StoreFactory } from '../support/context.js';

/** Hostile sizes and shapes that must get a 4xx, never a 500, a silently wrong total or a changed row. */
export function limitsSuite(makeStore: StoreFactory): void {
  describe('limits', () => {
    it('keeps a cart line at 10000 units however it is reached', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const product = await t.product({ stock: 1_000_000 });
      expect((await t.addToCart(user.token, product.id, 10_000)).status).toBe(200);
      const more = await t.addToCart(user.token, product.id, 1);
      expect([more.status, more.json]).toEqual([
        409,
        {
          type: 'urn:quartet:shop-api:problem:quantity-limit',
          title: 'Conflict',
          status: 409,
          detail: 'a cart line holds at most 10000 units; this one would hold 10001',
          code: 'QUANTITY_LIMIT',
        },
      ]);
      expect((await t.api('GET', '/api/v1/cart', { token: user.token })).json.items[0].quantity).toBe(10_000);
    });

    it('keeps a cart, and an order, worth at most Number.MAX_SAFE_INTEGER cents, where sums stay exact', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const admin = await t.admin();
      // Nine lines of 10,000 units at 10^11 cents: 9 * 10^15, just under 2^53 - 1 = 9,007,199,254,740,991.
      const ids: string[] = [];
      for (let i = 0; i < 9; i++) {
        const product = await t.product({ priceCents: 100_000_000_000, stock: 10_000 });
        ids.push(product.id);
        expect((await t.addToCart(user.token, product.id, 10_000)).status).toBe(200);
      }
      const tenth = await t.product({ priceCents: 1_000_000_000, stock: 10_000 });
      const refused = await t.addToCart(user.token, tenth.id, 10_000);
      expect([refused.status, refused.json]).toEqual([
        409,
        {
          type: 'urn:quartet:shop-api:problem:cart-too-large',
          title: 'Conflict',
          status: 409,
          detail: 'the cart would be worth more than 9007199254740991 cents; check out what it holds first',
          code: 'CART_TOO_LARGE',
        },
      ]);
      expect((await t.addToCart(user.token, tenth.id, 7000)).status).toBe(200);
      // The price rises after the line was added: the checkout would now total 9,007,700,000,000,000.
      const raised = await t.api('PATCH', `/api/v1/products/${tenth.id}`, {
        token: admin.token,
        body: { priceCents: 1_100_000_000 },
      });
      expect(raised.status).toBe(200);
      const r = await t.api('POST', '/api/v1/orders', { token: user.token });
      expect([r.status, r.json]).toEqual([
        422,
        {
          type: 'urn:quartet:shop-api:problem:order-too-large',
          title: 'Unprocessable Entity',
          status: 422,
          detail: 'the order total would exceed 9007199254740991 cents; split it into smaller orders',
          code: 'ORDER_TOO_LARGE',
        },
      ]);
      expect((await t.api('GET', `/api/v1/products/${ids[0]}`)).json.stock).toBe(10_000);
      expect((await t.api('GET', '/api/v1/orders', { token: user.token })).json.total).toBe(0);
    });

    it.each([
      ['a duplicated query parameter', '/api/v1/products?limit=1&limit=2', 'querystring.limit'],
      ['a query parameter as an array', '/api/v1/products?q[]=a', 'querystring'],
      ['a query parameter as an object', '/api/v1/products?category[a]=b', 'querystring'],
      ['a page past any offset', '/api/v1/products?page=1000001', 'querystring.page'],
    ])('answers %s with 400 naming it', async (_name, url, path) => {
      const t = await createContext(makeStore);
      const r = await t.api('GET', url);
      expect([r.status, r.json.code, r.json.errors[0].path]).toEqual([400, 'VALIDATION', path]);
    });

    it.each([
      ['JSON nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400, 'VALIDATION'],
      [
        'a __proto__ key',
        '{"__proto__": {"role": "admin"}, "email": "a@example.com", "password": "x"}',
        400,
        'INVALID_JSON',
      ],
      ['a number too big for a double', '{"email": "a@example.com", "password": 1e999}', 400, 'VALIDATION'],
      ['an array for a string', '{"email": ["a@example.com"], "password": "long enough pass"}', 400, 'VALIDATION'],
    ])('answers a login body with %s with a 4xx', async (_name, payload, status, code) => {
      const t = await createContext(makeStore);
      const r = await t.api('POST', '/api/v1/auth/login', { payload, headers: { 'content-type': 'application/json' } });
      expect([r.status, r.headers['content-type'], r.json.code]).toEqual([status, 'application/problem+json', code]);
    });
  });
}
