/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Store } from '../src/db/store.js';
import { createContext, expectProblemShape, type StoreFactory, type TestContext } from './support/context.js';
import { startServer, tempShop } from './e2e/server.js';
import { pgStoreFactory, postgres } from './support/pg.js';
import { sqliteStore } from './support/sqlite.js';

const TOKEN = 'scrape-token-0123456789abcdef';
const metricsOn = { metrics: {} };

/** The /metrics text, asserting the scrape itself succeeded. */
async function scrape(t: TestContext, headers: Record<string, string> = {}): Promise<string> {
  const r = await t.api('GET', '/metrics', { headers });
  expect(r.status, r.body).toBe(200);
  return r.body;
}

/** The sample lines (no # HELP/# TYPE), for exact matching. */
function samples(text: string): string[] {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
}

/** The metric names a /metrics answer exposes (histograms as their _bucket/_sum/_count series). */
function exposedNames(text: string): Set<string> {
  return new Set(samples(text).map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)![0]));
}

describe('GET /metrics', () => {
  it('is not served unless the app turns metrics on', async () => {
    const t = await createContext(sqliteStore);
    const r = await t.api('GET', '/metrics');
    expect(r.status).toBe(404);
    expect(r.json.code).toBe('ROUTE_NOT_FOUND');
  });

  it('labels request durations by route template, never by raw URL or query', async () => {
    const t = await createContext(sqliteStore, metricsOn);
    const product = await t.product();
    for (let i = 0; i < 3; i++) expect((await t.api('GET', `/api/v1/products/${product.id}`)).status).toBe(200);
    const missingId = randomUUID();
    expect((await t.api('GET', `/api/v1/products/${missingId}?x=1`)).status).toBe(404);
    const junk = randomBytes(8).toString('hex');
    expect((await t.api('GET', `/no/such/${junk}?q=${junk}`)).status).toBe(404);
    expect((await t.api('POST', `/wp-login-${junk}.php`)).status).toBe(404);

    const text = await scrape(t);
    const lines = samples(text);
    const byId = 'method="GET",route="/api/v1/products/:id"';
    expect(lines).toContain(`http_request_duration_seconds_count{${byId},status_code="200"} 3`);
    expect(lines).toContain(`http_request_duration_seconds_count{${byId},status_code="404"} 1`);
    expect(lines).toContain(`http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1`);
    expect(lines).toContain(`http_request_duration_seconds_count{method="POST",route="unmatched",status_code="404"} 1`);
    expect(lines).toContain(
      `http_request_duration_seconds_count{method="POST",route="/api/v1/products",status_code="201"} 1`,
    );
    expect(lines).toContain(`http_request_duration_seconds_bucket{le="+Inf",${byId},status_code="200"} 3`);
    for (const raw of [product.id, missingId, junk, 'x=1', '/no/such']) expect(text).not.toContain(raw);
  });

  it('counts orders by status and failed checkouts by reason; an idempotent replay counts nothing', async () => {
    const t = await createContext(sqliteStore, metricsOn);
    const user = await t.customer();
    const product = await t.product({ stock: 10 });
    const headers = { 'idempotency-key': 'order-1' };
    expect((await t.api('POST', '/api/v1/orders', { token: user.token, body: {} })).json.code).toBe('CART_EMPTY');
    expect((await t.addToCart(user.token, product.id, 1)).status).toBe(200);
    const first = await t.api('POST', '/api/v1/orders', { token: user.token, body: {}, headers });
    expect(first.status).toBe(201);
    const replay = await t.api('POST', '/api/v1/orders', { token: user.token, body: {}, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect((await t.addToCart(user.token, product.id, 3)).status).toBe(200);
    await t.store.products.update(product.id, { stock: 2 }, new Date().toISOString());
    expect((await t.api('POST', '/api/v1/orders', { token: user.token, body: {} })).json.code).toBe('OUT_OF_STOCK');
    await t.store.products.update(product.id, { stock: 5 }, new Date().toISOString());
    const second = await t.api('POST', '/api/v1/orders', { token: user.token, body: {} });
    expect(second.status).toBe(201);
    const admin = await t.admin();
    const url = `/api/v1/admin/orders/${second.json.id}/status`;
    expect((await t.api('PATCH', url, { token: admin.token, body: { status: 'processing' } })).status).toBe(200);
    const cancel = await t.api('POST', `/api/v1/orders/${first.json.id}/cancel`, { token: user.token });
    expect(cancel.status).toBe(200);
    // A refused transition (already cancelled) counts nothing either.
    expect((await t.api('POST', `/api/v1/orders/${first.json.id}/cancel`, { token: user.token })).status).toBe(409);

    const lines = samples(await scrape(t));
    for (const line of [
      'shop_orders_total{status="pending"} 2',
      'shop_orders_total{status="cancelled"} 1',
      'shop_orders_total{status="processing"} 1',
      'shop_orders_total{status="shipped"} 0',
      'shop_checkout_failures_total{reason="empty"} 1',
      'shop_checkout_failures_total{reason="short"} 1',
      'shop_checkout_failures_total{reason="mixed_currency"} 0',
      'shop_coupon_redemptions_total 0',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('counts coupon redemptions, and a coupon that stopped applying as a checkout failure', async () => {
    const t = await createContext(sqliteStore, metricsOn);
    const admin = await t.admin();
    const coupon = { code: 'TEN', type: 'percent', value: 10 };
    expect((await t.api('POST', '/api/v1/admin/coupons', { token: admin.token, body: coupon })).status).toBe(201);
    const product = await t.product({ stock: 10 });
    const [buyer, late] = [await t.customer(), await t.customer()];
    for (const user of [buyer, late]) {
      expect((await t.addToCart(user.token, product.id, 1)).status).toBe(200);
      const attach = await t.api('PUT', '/api/v1/cart/coupon', { token: user.token, body: { code: 'TEN' } });
      expect(attach.status).toBe(200);
    }
    expect((await t.api('POST', '/api/v1/orders', { token: buyer.token, body: {} })).json.couponCode).toBe('TEN');
    const off = { token: admin.token, body: { active: false } };
    expect((await t.api('PATCH', '/api/v1/admin/coupons/TEN', off)).status).toBe(200);
    const refused = await t.api('POST', '/api/v1/orders', { token: late.token, body: {} });
    expect(refused.json.code).toBe('COUPON_NOT_APPLICABLE');

    const lines = samples(await scrape(t));
    for (const line of [
      'shop_coupon_redemptions_total 1',
      'shop_orders_total{status="pending"} 1',
      'shop_checkout_failures_total{reason="coupon_not_applicable"} 1',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('counts what the cache and e-mail helpers report through the app telemetry', async () => {
    const t = await createContext(sqliteStore, metricsOn);
    t.app.telemetry.cacheLookup('products', true);
    t.app.telemetry.cacheLookup('products', true);
    t.app.telemetry.cacheLookup('product', false);
    t.app.telemetry.emailDelivery('retry');
    t.app.telemetry.outboxPending(7);
    t.app.telemetry.outboxPending(4);
    t.app.telemetry.couponRedeemed();
    const lines = samples(await scrape(t));
    for (const line of [
      'shop_cache_lookups_total{resource="products",result="hit"} 2',
      'shop_cache_lookups_total{resource="products",result="miss"} 0',
      'shop_cache_lookups_total{resource="product",result="miss"} 1',
      'shop_email_deliveries_total{outcome="retry"} 1',
      'shop_email_deliveries_total{outcome="sent"} 0',
      'shop_outbox_pending 4',
      'shop_coupon_redemptions_total 1',
    ]) {
      expect(lines).toContain(line);
    }
    // A second app in the same process has a registry of its own: nothing registered twice, nothing shared.
    const other = await createContext(sqliteStore, metricsOn);
    expect(samples(await scrape(other))).toContain('shop_outbox_pending 0');
  });

  it('exposes process and event-loop metrics, and no PostgreSQL pool on SQLite', async () => {
    const t = await createContext(sqliteStore, metricsOn);
    const names = exposedNames(await scrape(t));
    for (const name of ['process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes'])
      expect(names).toContain(name);
    expect(names).not.toContain('shop_db_pool_connections');
  });

  it('answers text/plain, no-store, with the security headers of every other route', async () => {
    const t = await createContext(sqliteStore, metricsOn);
    const r = await t.api('GET', '/metrics');
    const health = await t.api('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(r.headers['cache-control']).toBe('no-store');
    for (const name of [
      'content-security-policy',
      'x-content-type-options',
      'strict-transport-security',
      'x-frame-options',
    ])
      expect(r.headers[name], name).toBe(health.headers[name]);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  describe('with a token', () => {
    const withToken = { metrics: { token: TOKEN } };

    it.each([
      ['absent', undefined, 'TOKEN_MISSING', 'Bearer'],
      ['wrong', `Bearer ${TOKEN.slice(0, -1)}X`, 'TOKEN_INVALID', 'Bearer error="invalid_token"'],
      ['of another length', `Bearer ${TOKEN}0`, 'TOKEN_INVALID', 'Bearer error="invalid_token"'],
      [
        'not a bearer token',
        `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
        'TOKEN_INVALID',
        'Bearer error="invalid_token"',
      ],
      ['empty', 'Bearer ', 'TOKEN_INVALID', 'Bearer error="invalid_token"'],
    ])('refuses a token %s with a 401 problem', async (_case, authorization, code, challenge) => {
      const t = await createContext(sqliteStore, withToken);
      const r = await t.api('GET', '/metrics', { headers: authorization === undefined ? {} : { authorization } });
      expect(r.status).toBe(401);
      expectProblemShape(r);
      expect(r.json.code).toBe(code);
      expect(r.headers['www-authenticate']).toBe(challenge);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.body).not.toContain('shop_');
    });

    it('serves the right token', async () => {
      const t = await createContext(sqliteStore, withToken);
      const r = await t.api('GET', '/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(samples(r.body)).toContain('shop_coupon_redemptions_total 0');
      // The token guards /metrics only: the API's public routes stay open.
      expect((await t.api('GET', '/api/v1/products')).status).toBe(200);
    });
  });
});

describe('shop-api serve', () => {
  it('serves /metrics on its port, guarded by SHOP_METRICS_TOKEN', async () => {
    const shop = tempShop();
    const server = await startServer(['--db', shop.db], { ...shop.env, SHOP_METRICS_TOKEN: TOKEN });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const r = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const lines = samples(await r.text());
    expect(lines).toContain('http_request_duration_seconds_count{method="GET",route="/metrics",status_code="401"} 1');
    expect(lines).toContain('shop_orders_total{status="pending"} 0');
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(
    readFileSync(new URL('../../../docs/grafana/shop-api-dashboard.json', import.meta.url), 'utf8'),
  ) as { __inputs: { name: string; type: string; pluginId: string }[]; panels: { targets?: { expr: string }[] }[] };

  it('is importable: a Prometheus data source input, and panels with queries', () => {
    expect(dashboard.__inputs).toEqual([
      expect.objectContaining({ name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus' }),
    ]);
    expect(dashboard.panels.filter((panel) => panel.targets?.length).length).toBeGreaterThanOrEqual(11);
  });

  it('queries only metrics that /metrics exposes', async () => {
    // A store with a pool, so that the PostgreSQL panel's metric is exposed as well.
    const pooled: StoreFactory = async () => {
      const store = await sqliteStore();
      return { ...store, poolStats: () => Promise.resolve({ total: 4, idle: 3, waiting: 0 }) } satisfies Store;
    };
    const t = await createContext(pooled, metricsOn);
    await t.api('GET', '/api/v1/products');
    const names = exposedNames(await scrape(t));
    const used = new Set(
      dashboard.panels.flatMap((panel) => (panel.targets ?? []).flatMap((q) => metricNames(q.expr))),
    );
    expect(used.size).toBeGreaterThanOrEqual(12);
    expect([...used].filter((name) => !names.has(name))).toEqual([]);
  });
});

describe.skipIf(!postgres.available)('on PostgreSQL', () => {
  const pgStore = pgStoreFactory();

  it('reports the pool: total, idle and waiting connections', async () => {
    const t = await createContext(pgStore, metricsOn);
    expect((await t.api('GET', '/health')).status).toBe(200);
    const lines = samples(await scrape(t));
    const pool = lines.filter((line) => line.startsWith('shop_db_pool_connections{'));
    expect(pool.map((line) => line.replace(/ \d+$/, ''))).toEqual([
      'shop_db_pool_connections{state="total"}',
      'shop_db_pool_connections{state="idle"}',
      'shop_db_pool_connections{state="waiting"}',
    ]);
    const value = (state: string) => Number(/ (\d+)$/.exec(pool.find((l) => l.includes(`"${state}"`))!)![1]);
    // The health check's connection went back to the pool: open and idle, nobody waiting.
    expect(value('total')).toBeGreaterThanOrEqual(1);
    expect(value('idle')).toBe(value('total'));
    expect(value('waiting')).toBe(0);
  });
});

const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
]);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or strings. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((match) => match[1]!)
    .filter((word) => !PROMQL_WORDS.has(word) && !/^\d/.test(word) && !/^(e|Inf|NaN)$/i.test(word));
}
