/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { setTimeout as delay } from 'node:timers/promises';
import { serviceUrl } from '@quartet/core';
import { expect, onTestFinished } from 'vitest';
import { admin, createSchema, dropSchema, schemaUrl } from '../support/pg.js';
import { dbProxy } from './proxy.js';
import { ADMIN_PASSWORD, JWT, call, login, runCli, startServer, tempShop } from './server.js';

/** A schema of its own for one test (dropped afterwards), and the environment of shop-api processes using it. */
export async function pgShop(extra: Record<string, string> = {}) {
  const schema = await createSchema();
  onTestFinished(async () => {
    await dropSchema(schema);
  });
  const shop = tempShop();
  const url = schemaUrl(schema);
  const env = {
    ...shop.env,
    DATABASE_URL: url,
    SHOP_JWT_SECRET: JWT,
    SHOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    SHOP_PG_CONNECT_TIMEOUT_MS: '1000',
    SHOP_PG_STATEMENT_TIMEOUT_MS: '3000',
    ...extra,
  };
  return { schema, url, env };
}

/** Poll until `check` holds: for states PostgreSQL reports only when asked (locks, connections). */
export async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await delay(20);
  }
  throw new Error(`gave up waiting for ${what}`);
}

export const backends = async (schema: string, where = 'true') =>
  (
    await admin<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND ${where}`,
      [schema],
    )
  )[0]?.n ?? 0;

/** The real server's address, for a proxy to forward to. */
export const pgTarget = () => {
  const url = new URL(serviceUrl('postgres'));
  return { host: url.hostname, port: Number(url.port || 5432) };
};

/** A shop whose servers reach PostgreSQL through a proxy the test controls; migrated, with an admin. */
export async function proxiedShop() {
  const shop = await pgShop();
  expect((await runCli(['admin', 'create', 'admin@example.com'], shop.env)).code).toBe(0);
  const proxy = await dbProxy(pgTarget());
  const viaProxy = new URL(shop.url);
  viaProxy.port = String(proxy.port);
  // A short statement timeout: a query the silent proxy swallows is given up after 1 + 1 s.
  return {
    ...shop,
    proxy,
    serverEnv: { ...shop.env, DATABASE_URL: viaProxy.href, SHOP_PG_STATEMENT_TIMEOUT_MS: '1000' },
  };
}

/** A customer with one unit of a fresh product in the cart. */
export async function customerWithCart(url: string, adminToken: string, email: string, stock = 100) {
  const product = await call(url, 'POST', '/api/v1/products', {
    token: adminToken,
    body: { sku: `SKU-${email.split('@')[0]}`, name: 'Thing', priceCents: 250, stock, category: 'misc' },
  });
  const body = { email, password: 'shopper password', name: 'Shopper' };
  expect((await call(url, 'POST', '/api/v1/auth/register', { body })).status).toBe(201);
  const token = await login(url, email);
  const productId = product.json.id as string;
  expect((await call(url, 'POST', '/api/v1/cart/items', { token, body: { productId, quantity: 1 } })).status).toBe(200);
  return { token, productId };
}

export function expectUnavailable(r: Awaited<ReturnType<typeof call>>) {
  expect([r.status, r.headers.get('content-type'), r.json?.code]).toEqual([
    503,
    'application/problem+json',
    'DATABASE_UNAVAILABLE',
  ]);
}

/** A migrated shop with an administrator and `count` running servers on it (`server` is the first), and the admin's token. */
export async function runningShop(count: number) {
  const shop = await pgShop();
  expect((await runCli(['admin', 'create', 'admin@example.com'], shop.env)).code).toBe(0);
  const servers = [];
  for (let i = 0; i < count; i++) servers.push(await startServer([], shop.env));
  const server = servers[0]!;
  const adminToken = await login(server.url, 'admin@example.com', ADMIN_PASSWORD);
  return { ...shop, server, servers, adminToken };
}
