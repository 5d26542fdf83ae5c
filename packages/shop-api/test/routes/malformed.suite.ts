/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, expectProblemShape, PASSWORD, type StoreFactory } from '../support/context.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Case = [
  name: string,
  method: Method,
  url: string,
  input: { body?: unknown; payload?: string; headers?: Record<string, string> },
  status: number,
];

/**
 * Everything a careless or hostile client might send. Each must get the given
 * 4xx as problem+json, never a 500, and change nothing.
 */
function cases(ids: { product: string; order: string }): Case[] {
  const big = 'x'.repeat(1024 * 1024 + 10);
  const json = { 'content-type': 'application/json' };
  return [
    ['register: missing fields', 'POST', '/api/v1/auth/register', { body: {} }, 400],
    ['register: wrong types', 'POST', '/api/v1/auth/register', { body: { email: 5, password: true, name: [] } }, 400],
    [
      'register: unknown field',
      'POST',
      '/api/v1/auth/register',
      { body: { email: 'u@example.com', password: PASSWORD, name: 'U', role: 'admin' } },
      400,
    ],
    [
      'register: bad email',
      'POST',
      '/api/v1/auth/register',
      { body: { email: 'not-an-email', password: PASSWORD, name: 'U' } },
      400,
    ],
    [
      'register: empty name',
      'POST',
      '/api/v1/auth/register',
      { body: { email: 'u@example.com', password: PASSWORD, name: '   ' } },
      400,
    ],
    ['login: bad JSON', 'POST', '/api/v1/auth/login', { payload: '{"email": ', headers: json }, 400],
    ['login: empty JSON body', 'POST', '/api/v1/auth/login', { payload: '', headers: json }, 400],
    ['login: array body', 'POST', '/api/v1/auth/login', { body: [1, 2] }, 400],
    [
      'login: text body',
      'POST',
      '/api/v1/auth/login',
      { payload: 'hello', headers: { 'content-type': 'text/plain' } },
      415,
    ],
    [
      'login: oversized body',
      'POST',
      '/api/v1/auth/login',
      { payload: JSON.stringify({ email: big }), headers: json },
      413,
    ],
    ['refresh: null token', 'POST', '/api/v1/auth/refresh', { body: { refreshToken: null } }, 400],
    ['logout: missing token', 'POST', '/api/v1/auth/logout', { body: {} }, 400],
    ['logout: token too long', 'POST', '/api/v1/auth/logout', { body: { refreshToken: 't'.repeat(257) } }, 400],
    ['products: limit over 100', 'GET', '/api/v1/products?limit=101', {}, 400],
    ['products: limit 0', 'GET', '/api/v1/products?limit=0', {}, 400],
    ['products: page negative', 'GET', '/api/v1/products?page=-1', {}, 400],
    ['products: page float', 'GET', '/api/v1/products?page=1.5', {}, 400],
    ['products: page huge', 'GET', '/api/v1/products?page=99999999999999999999', {}, 400],
    ['products: price not a number', 'GET', '/api/v1/products?minPriceCents=abc', {}, 400],
    ['products: price 1e400', 'GET', '/api/v1/products?maxPriceCents=1e400', {}, 400],
    ['products: bad sort', 'GET', '/api/v1/products?sort=price;drop', {}, 400],
    ['products: bad inStock', 'GET', '/api/v1/products?inStock=yes', {}, 400],
    ['products: unknown query', 'GET', '/api/v1/products?color=red', {}, 400],
    ['products: long q', 'GET', `/api/v1/products?q=${'a'.repeat(201)}`, {}, 400],
    ['product: bad uuid', 'GET', '/api/v1/products/123', {}, 400],
    ['product: sql in id', 'GET', "/api/v1/products/1'%20OR%20'1'='1", {}, 400],
    [
      'create product: negative price',
      'POST',
      '/api/v1/products',
      { body: { sku: 'N', name: 'N', priceCents: -1, stock: 1, category: 'c' } },
      400,
    ],
    [
      'create product: float price',
      'POST',
      '/api/v1/products',
      { body: { sku: 'N', name: 'N', priceCents: 10.5, stock: 1, category: 'c' } },
      400,
    ],
    [
      'create product: price as string',
      'POST',
      '/api/v1/products',
      { body: { sku: 'N', name: 'N', priceCents: '10', stock: 1, category: 'c' } },
      400,
    ],
    [
      'create product: huge price',
      'POST',
      '/api/v1/products',
      { body: { sku: 'N', name: 'N', priceCents: 1e300, stock: 1, category: 'c' } },
      400,
    ],
    [
      'create product: negative stock',
      'POST',
      '/api/v1/products',
      { body: { sku: 'N', name: 'N', priceCents: 1, stock: -5, category: 'c' } },
      400,
    ],
    [
      'create product: bad currency',
      'POST',
      '/api/v1/products',
      { body: { sku: 'N', name: 'N', priceCents: 1, stock: 1, category: 'c', currency: 'usd' } },
      400,
    ],
    [
      'create product: bad sku',
      'POST',
      '/api/v1/products',
      { body: { sku: 'has space', name: 'N', priceCents: 1, stock: 1, category: 'c' } },
      400,
    ],
    [
      'create product: unknown field',
      'POST',
      '/api/v1/products',
      { body: { sku: 'N', name: 'N', priceCents: 1, stock: 1, category: 'c', id: 'x' } },
      400,
    ],
    ['patch product: empty', 'PATCH', `/api/v1/products/${ids.product}`, { body: {} }, 400],
    ['patch product: stock null', 'PATCH', `/api/v1/products/${ids.product}`, { body: { stock: null } }, 400],
    ['cart: negative quantity', 'POST', '/api/v1/cart/items', { body: { productId: ids.product, quantity: -1 } }, 400],
    ['cart: zero quantity', 'POST', '/api/v1/cart/items', { body: { productId: ids.product, quantity: 0 } }, 400],
    ['cart: huge quantity', 'POST', '/api/v1/cart/items', { body: { productId: ids.product, quantity: 2 ** 53 } }, 400],
    [
      'cart: quantity as string',
      'POST',
      '/api/v1/cart/items',
      { body: { productId: ids.product, quantity: '1' } },
      400,
    ],
    ['cart: bad product id', 'POST', '/api/v1/cart/items', { body: { productId: 'abc', quantity: 1 } }, 400],
    ['cart: missing product id', 'POST', '/api/v1/cart/items', { body: { quantity: 1 } }, 400],
    [
      'cart: unknown field',
      'POST',
      '/api/v1/cart/items',
      { body: { productId: ids.product, quantity: 1, priceCents: 1 } },
      400,
    ],
    ['cart: bad JSON', 'POST', '/api/v1/cart/items', { payload: '{bad', headers: json }, 400],
    ['cart line: bad uuid', 'PATCH', '/api/v1/cart/items/nope', { body: { quantity: 1 } }, 400],
    ['cart line: negative', 'PATCH', `/api/v1/cart/items/${ids.product}`, { body: { quantity: -3 } }, 400],
    ['cart line: float', 'PATCH', `/api/v1/cart/items/${ids.product}`, { body: { quantity: 1.5 } }, 400],
    ['checkout: unknown field', 'POST', '/api/v1/orders', { body: { totalCents: 1 } }, 400],
    ['checkout: note too long', 'POST', '/api/v1/orders', { body: { note: 'n'.repeat(501) } }, 400],
    ['checkout: note not a string', 'POST', '/api/v1/orders', { body: { note: { a: 1 } } }, 400],
    ['checkout: empty key', 'POST', '/api/v1/orders', { headers: { 'idempotency-key': '' } }, 400],
    ['order: bad uuid', 'GET', '/api/v1/orders/42', {}, 400],
    ['orders: unknown query', 'GET', '/api/v1/orders?status=pending', {}, 400],
    ['cancel: bad uuid', 'POST', '/api/v1/orders/xyz/cancel', {}, 400],
    [
      'admin status: bad status',
      'PATCH',
      `/api/v1/admin/orders/${ids.order}/status`,
      { body: { status: 'lost' } },
      400,
    ],
    ['admin status: missing', 'PATCH', `/api/v1/admin/orders/${ids.order}/status`, { body: {} }, 400],
    ['admin users: bad role', 'GET', '/api/v1/admin/users?role=root', {}, 400],
    ['admin users: bad active', 'GET', '/api/v1/admin/users?active=1', {}, 400],
    ['admin user: bad role', 'PATCH', `/api/v1/admin/users/${ids.product}`, { body: { role: 'root' } }, 400],
    ['admin user: active as string', 'PATCH', `/api/v1/admin/users/${ids.product}`, { body: { active: 'false' } }, 400],
    ['admin orders: bad status', 'GET', '/api/v1/admin/orders?status=lost', {}, 400],
    ['admin activity: bad action', 'GET', '/api/v1/admin/activity?action=DROP%20TABLE', {}, 400],
    ['wrong method', 'PUT' as Method, '/api/v1/cart', {}, 404],
  ];
}

export function malformedSuite(makeStore: StoreFactory): void {
  describe('malformed input', () => {
    it('answers every malformed request with a 4xx problem+json and changes nothing', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const product = await t.product({ stock: 5 });
      await t.addToCart(admin.token, product.id, 1);
      const order = (await t.api('POST', '/api/v1/orders', { token: admin.token })).json as { id: string };
      await t.addToCart(admin.token, product.id, 2);
      const before = await t.api('GET', '/api/v1/admin/stats', { token: admin.token });

      const failures: string[] = [];
      for (const [name, method, url, input, status] of cases({ product: product.id, order: order.id })) {
        const r = await t.api(method, url, { token: admin.token, ...input });
        try {
          expect(r.status).toBe(status);
          expectProblemShape(r);
          if (status === 400 && r.json.code === 'VALIDATION') expect(r.json.errors.length).toBeGreaterThan(0);
        } catch (error) {
          failures.push(`${name}: ${r.status} ${r.body.slice(0, 200)} (${(error as Error).message.slice(0, 80)})`);
        }
      }
      expect(failures).toEqual([]);
      expect((await t.api('GET', '/api/v1/admin/stats', { token: admin.token })).json).toEqual(before.json);
      expect((await t.api('GET', '/api/v1/cart', { token: admin.token })).json.items[0].quantity).toBe(2);
    });

    it('names the failing fields in errors[]', async () => {
      const t = await createContext(makeStore);
      const r = await t.api('POST', '/api/v1/auth/register', { body: { email: 'bad', password: 'short', extra: 1 } });
      expect(r.status).toBe(400);
      expect(r.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(
        ['body', 'body.email', 'body.name', 'body.password'].sort(),
      );
    });
  });
}
