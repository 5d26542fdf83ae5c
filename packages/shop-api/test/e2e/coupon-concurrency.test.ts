/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { admin as pgAdmin, postgres } from '../support/pg.js';
import { pgShop } from './pg-shop.js';
import { ADMIN_PASSWORD, call, login, runCli, sqliteShop, startServer, type Server } from './server.js';

const CUSTOMERS = 40;
const LIMIT = 5;
const PRICE = 2000;
const STOCK = 100;

/**
 * 40 customers, each with one unit in the cart and a coupon limited to 5 redemptions attached,
 * check out at the same moment over real sockets (spread over the servers given). Exactly 5 orders
 * may be placed, all discounted; the other 35 get 409 exhausted and keep cart and coupon, and only
 * the 5 orders took stock.
 */
async function couponRace(servers: Server[], adminToken: string): Promise<{ code: string }> {
  const urls = servers.map((s) => s.url);
  const product = await call(urls[0]!, 'POST', '/api/v1/products', {
    token: adminToken,
    body: { sku: 'COUPON-1', name: 'Discounted', priceCents: PRICE, stock: STOCK, category: 'drops' },
  });
  expect(product.status).toBe(201);
  const coupon = await call(urls[0]!, 'POST', '/api/v1/admin/coupons', {
    token: adminToken,
    body: { code: 'first-five', type: 'percent', value: 25, maxRedemptions: LIMIT },
  });
  expect(coupon.status).toBe(201);

  const customers = await Promise.all(
    Array.from({ length: CUSTOMERS }, async (_, i) => {
      const url = urls[i % urls.length]!;
      const email = `coupon${i}@example.com`;
      const body = { email, password: 'shopper password', name: `Customer ${i}` };
      expect((await call(url, 'POST', '/api/v1/auth/register', { body })).status).toBe(201);
      const token = await login(url, email);
      const cart = { token, body: { productId: product.json.id, quantity: 1 } };
      expect((await call(url, 'POST', '/api/v1/cart/items', cart)).status).toBe(200);
      const attached = await call(url, 'PUT', '/api/v1/cart/coupon', { token, body: { code: 'FIRST-FIVE' } });
      expect(attached.json).toMatchObject({ discountCents: 500, totalCents: 1500 });
      return { url, token };
    }),
  );

  const results = await Promise.all(customers.map(({ url, token }) => call(url, 'POST', '/api/v1/orders', { token })));
  const placed = results.filter((r) => r.status === 201);
  expect(placed).toHaveLength(LIMIT);
  for (const r of placed) {
    expect(r.json).toMatchObject({
      subtotalCents: PRICE,
      discountCents: 500,
      totalCents: 1500,
      couponCode: 'FIRST-FIVE',
    });
  }
  const refused = results.filter((r) => r.status !== 201);
  expect(refused).toHaveLength(CUSTOMERS - LIMIT);
  for (const r of refused) {
    expect([r.status, r.json.code, r.json.reason]).toEqual([409, 'COUPON_NOT_APPLICABLE', 'exhausted']);
  }

  for (const url of urls) {
    expect((await call(url, 'GET', `/api/v1/products/${product.json.id}`)).json.stock).toBe(STOCK - LIMIT);
    const seen = await call(url, 'GET', '/api/v1/admin/coupons/FIRST-FIVE', { token: adminToken });
    expect(seen.json.redemptions).toBe(LIMIT);
    const stats = await call(url, 'GET', '/api/v1/admin/stats', { token: adminToken });
    expect(stats.json.ordersByStatus.pending).toBe(LIMIT);
  }
  // The 35 keep their line and their coupon, now shown as used up.
  const carts = await Promise.all(customers.map(({ url, token }) => call(url, 'GET', '/api/v1/cart', { token })));
  const kept = carts.filter((c) => c.json.items.length === 1);
  expect(kept).toHaveLength(CUSTOMERS - LIMIT);
  for (const c of kept) expect(c.json).toMatchObject({ coupon: { code: 'FIRST-FIVE' }, couponProblem: 'exhausted' });
  return { code: 'FIRST-FIVE' };
}

describe('coupon redemption limit under concurrent checkouts', () => {
  it.each([1, 2])('holds with %i server process(es) on one SQLite file', async (count) => {
    const { servers, adminToken } = await sqliteShop(count);
    await couponRace(servers, adminToken);
    for (const server of servers) expect(await server.stop()).toBe(0);
  });

  it.skipIf(!postgres.available)('holds with two server processes on one PostgreSQL database', async () => {
    // All 40 checkouts queue on one coupon row, 20 per instance on a pool of 10 connections: a request
    // may wait for a connection while the ones ahead commit, longer than pgShop's 1 s on a busy machine.
    const { schema, env } = await pgShop({ SHOP_PG_CONNECT_TIMEOUT_MS: '20000' });
    expect((await runCli(['admin', 'create', 'admin@example.com'], env)).code).toBe(0);
    const servers = [await startServer([], env), await startServer([], env)];
    const adminToken = await login(servers[0]!.url, 'admin@example.com', ADMIN_PASSWORD);
    const { code } = await couponRace(servers, adminToken);
    const rows = await pgAdmin<{ n: number; discount: number }>(
      `SELECT count(*)::int AS n, sum(discount_cents)::int AS discount FROM ${schema}.coupon_redemptions WHERE coupon_code = $1`,
      [code],
    );
    expect(rows).toEqual([{ n: LIMIT, discount: LIMIT * 500 }]);
    const orders = await pgAdmin<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.orders`);
    expect(orders[0]?.n).toBe(LIMIT);
    for (const server of servers) expect(await server.stop()).toBe(0);
  });
});
