/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { call, login, sqliteShop } from './server.js';

const USERS = 50;
const STOCK = 10;

/**
 * 50 shoppers each hold 1 unit of a product with stock 10 in their cart and
 * check out at the same moment, over real sockets. Exactly 10 orders may exist
 * afterwards and the stock must be 0, whether one server or two server
 * processes share the SQLite file.
 */
async function race(serverCount: number) {
  const { servers, urls, adminToken: admin } = await sqliteShop(serverCount);
  const product = await call(urls[0]!, 'POST', '/api/v1/products', {
    token: admin,
    body: { sku: 'HOT-1', name: 'Limited Edition', priceCents: 4999, stock: STOCK, category: 'drops' },
  });
  expect(product.status).toBe(201);

  const shoppers = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const url = urls[i % urls.length]!;
      const email = `shopper${i}@example.com`;
      const body = { email, password: 'shopper password', name: `Shopper ${i}` };
      expect((await call(url, 'POST', '/api/v1/auth/register', { body })).status).toBe(201);
      const token = await login(url, email, body.password);
      const added = await call(url, 'POST', '/api/v1/cart/items', {
        token,
        body: { productId: product.json.id, quantity: 1 },
      });
      expect(added.status).toBe(200);
      return { url, token };
    }),
  );

  const results = await Promise.all(shoppers.map(({ url, token }) => call(url, 'POST', '/api/v1/orders', { token })));
  const statuses = results.map((r) => r.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(STOCK);
  expect(statuses.filter((s) => s === 409)).toHaveLength(USERS - STOCK);
  for (const r of results.filter((r) => r.status === 409)) {
    expect(r.json).toMatchObject({
      code: 'OUT_OF_STOCK',
      lines: [{ productId: product.json.id, requested: 1, available: 0 }],
    });
  }

  for (const url of urls) {
    const stats = await call(url, 'GET', '/api/v1/admin/stats', { token: admin });
    expect(stats.json.ordersByStatus.pending).toBe(STOCK);
    expect(stats.json.revenue.nonCancelledCents).toBe(STOCK * 4999);
    expect((await call(url, 'GET', `/api/v1/products/${product.json.id}`)).json.stock).toBe(0);
  }
  // The losers keep their carts; the winners' carts are empty.
  const carts = await Promise.all(shoppers.map(({ url, token }) => call(url, 'GET', '/api/v1/cart', { token })));
  expect(carts.filter((c) => c.json.items.length === 0)).toHaveLength(STOCK);
  // The last server has the product in its read cache; a price change committed by the first server
  // (a commit by another process, not by its own connection) must reach it on the next read.
  const last = urls[urls.length - 1]!;
  expect((await call(last, 'GET', `/api/v1/products/${product.json.id}`)).json.priceCents).toBe(4999);
  const patched = await call(urls[0]!, 'PATCH', `/api/v1/products/${product.json.id}`, {
    token: admin,
    body: { priceCents: 5999 },
  });
  expect(patched.status).toBe(200);
  expect((await call(last, 'GET', `/api/v1/products/${product.json.id}`)).json.priceCents).toBe(5999);
  for (const server of servers) expect(await server.stop()).toBe(0);
}

describe('concurrent checkout over HTTP', () => {
  it('sells exactly the stock with one server process', () => race(1));
  it('sells exactly the stock with two server processes on one SQLite file', () => race(2));
});
