/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { serviceUrl } from '@quartet/core';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { admin, postgres } from '../support/pg.js';
import {
  backends,
  customerWithCart,
  expectUnavailable,
  pgShop,
  pgTarget,
  proxiedShop,
  runningShop,
  until,
} from './pg-shop.js';
import { dbProxy } from './proxy.js';
import { ADMIN_PASSWORD, call, login, runCli, startServer } from './server.js';

describe.skipIf(!postgres.available)('shop-api when PostgreSQL goes away', () => {
  it.each([[['serve', '--port', '0']], [['migrate']], [['seed']], [['admin', 'create', 'a@example.com']]])(
    'refuses to run %j without the database, in one line, exit 6',
    async (args) => {
      const { env } = await pgShop();
      const proxy = await dbProxy(pgTarget());
      proxy.set('refuse');
      const url = new URL(env.DATABASE_URL);
      url.port = String(proxy.port);
      const r = await runCli(args, { ...env, DATABASE_URL: url.href });
      expect(r).toMatchObject({ code: 6, stdout: '', stderr: 'shop-api: the database is not answering\n' });
    },
  );

  it('answers 503 problem+json while PostgreSQL is away, never hangs, and serves again when it is back', async () => {
    const { proxy, serverEnv } = await proxiedShop();
    const server = await startServer([], serverEnv);
    const adminToken = await login(server.url, 'admin@example.com', ADMIN_PASSWORD);
    const { token, productId } = await customerWithCart(server.url, adminToken, 'away@example.com');
    const requests: [string, string, object?][] = [
      ['GET', '/health'],
      ['GET', '/api/v1/health'],
      ['GET', '/api/v1/products'],
      ['GET', '/api/v1/me', { token }],
      ['POST', '/api/v1/cart/items', { token, body: { productId, quantity: 1 } }],
      ['POST', '/api/v1/orders', { token }],
    ];

    // Stopped: connections are closed and refused.
    proxy.set('refuse');
    for (const [method, path, options] of requests) expectUnavailable(await call(server.url, method, path, options));

    // Silent: a query on an open connection gets no answer (the client-side statement timeout ends
    // it), and new connections are never accepted (the connect timeout ends those).
    proxy.set('forward');
    await until(async () => (await call(server.url, 'GET', '/health')).status === 200, 'the database back');
    proxy.set('blackhole');
    expectUnavailable(await call(server.url, 'GET', '/api/v1/products'));
    expectUnavailable(await call(server.url, 'GET', '/api/v1/me', { token }));

    proxy.set('forward');
    await until(async () => (await call(server.url, 'GET', '/health')).status === 200, 'the database back');
    const order = await call(server.url, 'POST', '/api/v1/orders', { token });
    expect([order.status, order.json.totalCents]).toEqual([201, 250]);
    expect((await call(server.url, 'GET', `/api/v1/products/${productId}`)).json.stock).toBe(99);
    expect(await server.stop()).toBe(0);
  });

  it('survives pg_terminate_backend under light load: every request answers, stock adds up, service resumes', async () => {
    const { schema, server, adminToken } = await runningShop(1);
    const product = await call(server.url, 'POST', '/api/v1/products', {
      token: adminToken,
      body: { sku: 'LOAD-1', name: 'Load', priceCents: 100, stock: 10_000, category: 'misc' },
    });
    const productId = product.json.id as string;
    const shoppers = await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        const body = { email: `load${i}@example.com`, password: 'shopper password', name: 'Load' };
        await call(server.url, 'POST', '/api/v1/auth/register', { body });
        return login(server.url, body.email);
      }),
    );
    let running = true;
    let completed = 0;
    const statuses = new Set<number>();
    const shopper = async (token: string) => {
      while (running) {
        for (const [method, path, body] of [
          ['POST', '/api/v1/cart/items', { productId, quantity: 1 }],
          ['POST', '/api/v1/orders', undefined],
          ['GET', '/api/v1/orders', undefined],
        ] as const) {
          statuses.add((await call(server.url, method, path, { token, ...(body ? { body } : {}) })).status);
          completed++;
        }
      }
    };
    const load = shoppers.map(shopper);
    let terminated = 0;
    for (let round = 0; round < 3; round++) {
      const before = completed;
      await until(async () => completed >= before + 8 && (await backends(schema)) > 0, 'requests on open connections');
      const killed = await admin<{ ok: boolean }>(
        'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
        [schema],
      );
      terminated += killed.filter((row) => row.ok).length;
    }
    const before = completed;
    await until(() => Promise.resolve(completed >= before + 8), 'requests after the last termination');
    running = false;
    await Promise.all(load);

    expect(terminated).toBeGreaterThan(0);
    // Each request got an answer: success, a 503 for one caught mid-query, or an empty cart after that.
    expect([...statuses].filter((status) => ![200, 201, 422, 503].includes(status))).toEqual([]);
    expect((await call(server.url, 'GET', '/health')).status).toBe(200);
    const [row] = await admin<{ stock: number; sold: number }>(
      `SELECT p.stock, (SELECT coalesce(sum(quantity), 0)::int FROM ${schema}.order_items) AS sold
         FROM ${schema}.products p WHERE p.id = $1`,
      [productId],
    );
    expect(row!.stock + row!.sold).toBe(10_000);
    expect(row!.sold).toBeGreaterThan(0);
    expect(await server.stop()).toBe(0);
  });

  it('drains an in-flight checkout on SIGTERM, then closes the pool and exits 0', async () => {
    const { schema, server, adminToken } = await runningShop(1);
    const { token, productId } = await customerWithCart(server.url, adminToken, 'drain@example.com');
    // Hold the product's row lock, so that the checkout waits inside its transaction.
    const locker = new pg.Client({ connectionString: serviceUrl('postgres') });
    await locker.connect();
    onTestFinished(() => locker.end());
    await locker.query('BEGIN');
    await locker.query(`SELECT id FROM ${schema}.products WHERE id = $1 FOR UPDATE`, [productId]);
    const pending = call(server.url, 'POST', '/api/v1/orders', { token });
    await until(async () => (await backends(schema, "wait_event_type = 'Lock'")) === 1, 'the checkout to wait');
    server.child.kill('SIGTERM');
    await locker.query('COMMIT');
    const order = await pending;
    expect([order.status, order.json.itemCount]).toEqual([201, 1]);
    expect(await server.stop()).toBe(0);
    await until(async () => (await backends(schema)) === 0, 'the pool to close');
  });
});
