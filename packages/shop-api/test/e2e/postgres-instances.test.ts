/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it, vi } from 'vitest';
import { admin, postgres } from '../support/pg.js';
import { pgShop, runningShop } from './pg-shop.js';
import { ADMIN_PASSWORD, call, login, runCli, startServer } from './server.js';

describe.skipIf(!postgres.available)('several shop-api instances on one PostgreSQL database', () => {
  it('migrates, seeds, creates administrators and serves with --database-url or DATABASE_URL', async () => {
    const { url, env } = await pgShop();
    const { DATABASE_URL: _, ...sqliteEnv } = env;
    const shown = new URL(url).href;
    expect(await runCli(['migrate', '--database-url', url], sqliteEnv)).toMatchObject({
      code: 0,
      stdout: `${shown}: 4 migration(s) applied\n`,
    });
    expect((await runCli(['migrate'], env)).stdout).toBe(`${shown}: 0 migration(s) applied\n`);
    expect((await runCli(['seed'], env)).stdout).toBe('seeded 50 new product(s); 0 already present\n');
    expect((await runCli(['seed'], env)).stdout).toBe('seeded 0 new product(s); 50 already present\n');
    const created = await runCli(['admin', 'create', 'root@example.com'], env);
    expect(created.stdout).toMatch(/^created administrator root@example\.com \([0-9a-f-]{36}\)\n$/);
    // Without SHOP_JWT_SECRET an instance works, but warns: others could not verify its tokens.
    const { SHOP_JWT_SECRET: _secret, ...ownSecret } = env;
    const server = await startServer(['--database-url', url], ownSecret);
    const warned = (line: string) => line.includes('SHOP_JWT_SECRET is not set');
    if (!server.stderrLines.some(warned)) await server.onStderrLine(warned);
    const token = await login(server.url, 'root@example.com', ADMIN_PASSWORD);
    const stats = await call(server.url, 'GET', '/api/v1/admin/stats', { token });
    expect(stats.json.products).toMatchObject({ total: 50, active: 50 });
    expect(stats.json.users).toEqual({ total: 1, active: 1, admins: 1 });
    const found = await call(server.url, 'GET', '/api/v1/products?q=cast%20iron');
    expect((found.json.items as { name: string }[]).map((p) => p.name)).toEqual(['Cast Iron Skillet']);
  });

  it('sells exactly the stock to 100 shoppers over two instances, which then agree on every cart and order', async () => {
    const USERS = 100;
    const STOCK = 10;
    const { schema, servers, adminToken } = await runningShop(2);
    const urls = servers.map((s) => s.url);
    const product = await call(urls[1]!, 'POST', '/api/v1/products', {
      token: adminToken,
      body: { sku: 'HOT-1', name: 'Limited Edition', priceCents: 4999, stock: STOCK, category: 'drops' },
    });
    expect(product.status).toBe(201);
    const spare = await call(urls[0]!, 'POST', '/api/v1/products', {
      token: adminToken,
      body: { sku: 'SPARE-1', name: 'Plenty', priceCents: 100, stock: 1000, category: 'drops' },
    });

    // Each shopper registers on one instance, logs in and fills the cart on the other.
    const shoppers = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const [home, away] = i % 2 === 0 ? urls : [urls[1]!, urls[0]!];
        const email = `shopper${i}@example.com`;
        const registered = await call(home!, 'POST', '/api/v1/auth/register', {
          body: { email, password: 'shopper password', name: `Shopper ${i}` },
        });
        expect(registered.status).toBe(201);
        const token = await login(away!, email);
        for (const [productId, quantity] of [
          [spare.json.id, 1 + (i % 3)],
          [product.json.id, 1],
        ] as const) {
          expect(
            (await call(away!, 'POST', '/api/v1/cart/items', { token, body: { productId, quantity } })).status,
          ).toBe(200);
        }
        return { home: home!, away: away!, token };
      }),
    );

    const results = await Promise.all(
      shoppers.map(({ home, token }) => call(home, 'POST', '/api/v1/orders', { token })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(STOCK);
    expect(statuses.filter((s) => s === 409)).toHaveLength(USERS - STOCK);
    for (const r of results.filter((r) => r.status === 409)) {
      expect(r.json).toMatchObject({ code: 'OUT_OF_STOCK', lines: [{ productId: product.json.id, available: 0 }] });
    }
    const sold = results.filter((r) => r.status === 201).reduce((sum, r) => sum + (r.json.itemCount - 1), 0);
    for (const url of urls) {
      expect((await call(url, 'GET', `/api/v1/products/${product.json.id}`)).json.stock).toBe(0);
      expect((await call(url, 'GET', `/api/v1/products/${spare.json.id}`)).json.stock).toBe(1000 - sold);
      const stats = await call(url, 'GET', '/api/v1/admin/stats', { token: adminToken });
      expect(stats.json.ordersByStatus.pending).toBe(STOCK);
    }
    const orderRows = await admin<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.orders`);
    expect(orderRows[0]?.n).toBe(STOCK);

    // Every shopper's cart and order history read the same through either instance.
    for (const { token } of shoppers) {
      const both = (path: string) =>
        Promise.all([call(urls[0]!, 'GET', path, { token }), call(urls[1]!, 'GET', path, { token })]);
      const [cartA, cartB] = await both('/api/v1/cart');
      expect(cartB.json).toEqual(cartA.json);
      const [ordersA, ordersB] = await both('/api/v1/orders');
      expect(ordersB.json).toEqual(ordersA.json);
      expect(ordersA.json.total + (cartA.json.items.length > 0 ? 1 : 0)).toBe(1);
    }
    for (const server of servers) expect(await server.stop()).toBe(0);
  });

  it('places one order when two instances receive the same idempotency key at once', async () => {
    const {
      servers: [a, b],
      adminToken,
    } = await runningShop(2);
    if (!a || !b) throw new Error('two servers expected');
    const product = await call(a.url, 'POST', '/api/v1/products', {
      token: adminToken,
      body: { sku: 'K-1', name: 'Keyed', priceCents: 700, stock: 50, category: 'misc' },
    });
    const body = { email: 'keys@example.com', password: 'shopper password', name: 'Keys' };
    await call(a.url, 'POST', '/api/v1/auth/register', { body });
    const token = await login(b.url, body.email);
    await call(b.url, 'POST', '/api/v1/cart/items', { token, body: { productId: product.json.id, quantity: 2 } });
    const headers = { 'idempotency-key': 'same-key-on-both' };
    const answers = await Promise.all(
      [a, b, a, b].map((server) => call(server.url, 'POST', '/api/v1/orders', { token, headers })),
    );
    const placed = answers.filter((r) => r.status === 201);
    // Each request either placed the order, replayed it, or was told the same key is still in flight.
    expect(answers.every((r) => r.status === 201 || r.json?.code === 'IDEMPOTENCY_KEY_IN_USE')).toBe(true);
    expect(new Set(placed.map((r) => r.json.id as string)).size).toBe(1);
    const orders = await call(a.url, 'GET', '/api/v1/orders', { token });
    expect(orders.json.total).toBe(1);
    expect((await call(b.url, 'GET', `/api/v1/products/${product.json.id}`)).json.stock).toBe(48);
    // A retry later through either instance replays the same order.
    for (const server of [a, b]) {
      const replay = await call(server.url, 'POST', '/api/v1/orders', { token, headers });
      expect([replay.status, replay.json.id]).toEqual([201, orders.json.items[0].id]);
    }
  });

  it('ends a user’s access tokens on every instance at logout and deactivation, even those it keeps in memory', async () => {
    const {
      servers: [a, b],
      adminToken,
    } = await runningShop(2);
    if (!a || !b) throw new Error('two servers expected');
    const body = { email: 'everywhere@example.com', password: 'shopper password', name: 'Everywhere' };
    const user = await call(a.url, 'POST', '/api/v1/auth/register', { body });
    const signIn = async (url: string) => {
      const r = await call(url, 'POST', '/api/v1/auth/login', { body: { email: body.email, password: body.password } });
      return { accessToken: r.json.accessToken as string, refreshToken: r.json.refreshToken as string };
    };
    const me = async (url: string, token: string) => {
      const r = await call(url, 'GET', '/api/v1/me', { token });
      return [r.status, r.json.code as string | undefined];
    };
    // B reads (and keeps) the user, then A logs them out: B hears of it within a moment.
    const first = await signIn(a.url);
    expect(await me(b.url, first.accessToken)).toEqual([200, undefined]);
    expect(
      (await call(a.url, 'POST', '/api/v1/auth/logout', { body: { refreshToken: first.refreshToken } })).status,
    ).toBe(204);
    await vi.waitFor(async () => expect(await me(b.url, first.accessToken)).toEqual([401, 'TOKEN_REVOKED']));
    // The other way round, for a deactivation; reactivating does not revive the old token.
    const second = await signIn(b.url);
    expect(await me(a.url, second.accessToken)).toEqual([200, undefined]);
    const patch = (active: boolean) =>
      call(b.url, 'PATCH', `/api/v1/admin/users/${user.json.id}`, { token: adminToken, body: { active } });
    expect((await patch(false)).status).toBe(200);
    await vi.waitFor(async () => expect(await me(a.url, second.accessToken)).toEqual([401, 'TOKEN_REVOKED']));
    expect((await patch(true)).status).toBe(200);
    expect(await me(a.url, second.accessToken)).toEqual([401, 'TOKEN_REVOKED']);
    expect(await me(a.url, (await signIn(a.url)).accessToken)).toEqual([200, undefined]);
  });
});
