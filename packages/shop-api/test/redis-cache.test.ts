/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { serviceUrl } from '@quartet/core';
import { describe, expect, it, vi } from 'vitest';
import type { Store } from '../src/db/store.js';
import { noTelemetry } from '../src/services/telemetry.js';
import { dbProxy } from './e2e/proxy.js';
import { createContext, PASSWORD, type Response, type TestContext } from './support/context.js';
import { pgStoreFactory, postgres } from './support/pg.js';
import { redis, redisPrefix, testRedisCache } from './support/redis.js';
import { sqliteStore } from './support/sqlite.js';

const PRODUCTS = '/api/v1/products';

/** An answer without the headers that may differ between two answers to the same request. */
function comparable(r: Response) {
  const { date: _date, 'x-request-id': _id, 'x-cache': _cache, ...headers } = r.headers;
  return { status: r.status, headers, body: r.body };
}

describe.skipIf(!postgres.available || !redis.available)('the catalog cache in Redis, shared by instances', () => {
  const makeStore = pgStoreFactory();

  /** Two apps on one PostgreSQL schema and one Redis, each with its own connection, as two servers. */
  async function twoInstances(options: { authRateLimit?: number } = {}) {
    const prefix = redisPrefix();
    const store = await makeStore();
    const shared = () => Promise.resolve<Store>(store);
    const lookups: string[] = [];
    const telemetry = { ...noTelemetry, cacheLookup: (r: string, hit: boolean) => lookups.push(`${r} ${hit}`) };
    const a = await createContext(shared, { cache: await testRedisCache(prefix), telemetry, ...options });
    const b = await createContext(shared, { cache: await testRedisCache(prefix), ...options });
    return { a, b, lookups, prefix };
  }

  const read = async (t: TestContext, url: string) => {
    const r = await t.api('GET', url);
    return { cache: r.headers['x-cache'], status: r.status, json: r.json };
  };

  it('answers a repeated read from the cache with the same bytes and headers, and counts the lookups', async () => {
    const { a, lookups } = await twoInstances();
    const product = await a.product({ name: 'Kettle' });
    for (const url of [`${PRODUCTS}?q=kettle`, `${PRODUCTS}/${product.id}`, '/api/v1/categories']) {
      const miss = await a.api('GET', url);
      const hit = await a.api('GET', url);
      expect([miss.headers['x-cache'], hit.headers['x-cache']]).toEqual(['MISS', 'HIT']);
      expect(comparable(hit)).toEqual(comparable(miss));
      expect(miss.status).toBe(200);
    }
    expect(lookups).toEqual([
      'products false',
      'products true',
      'product false',
      'product true',
      'categories false',
      'categories true',
    ]);
    // A 404 is recomputed every time, and never kept.
    const missing = `${PRODUCTS}/00000000-0000-4000-8000-000000000000`;
    expect((await read(a, missing)).cache).toBe('MISS');
    expect(await read(a, missing)).toMatchObject({ cache: 'MISS', status: 404 });
    expect(await a.api('GET', '/health')).toMatchObject({
      status: 200,
      json: { status: 'ok', database: 'ok', cache: 'ok' },
    });
  });

  it("shows every product write on the other instance's very next read", async () => {
    const { a, b } = await twoInstances();
    const admin = await a.admin();
    const product = await a.product({ name: 'Kettle', stock: 5, category: 'kitchen' });
    const one = `${PRODUCTS}/${product.id}`;
    const warm = async (url: string) => {
      expect((await read(a, url)).cache).toBe('MISS');
      expect((await read(a, url)).cache).toBe('HIT');
      expect((await read(b, url)).cache).toBe('HIT');
    };

    await warm(one);
    const patched = await a.api('PATCH', one, { token: admin.token, body: { priceCents: 1234 } });
    expect(patched.status).toBe(200);
    expect(await read(b, one)).toMatchObject({ cache: 'MISS', json: { priceCents: 1234 } });
    expect(await read(b, one)).toMatchObject({ cache: 'HIT', json: { priceCents: 1234 } });

    await warm(PRODUCTS);
    const created = await a.product({ name: 'Teapot', category: 'kitchen' });
    const names = (r: { json: { items: { name: string }[] } }) => r.json.items.map((p) => p.name).sort();
    const listed = await read(b, PRODUCTS);
    expect([listed.cache, names(listed)]).toEqual(['MISS', ['Kettle', 'Teapot']]);

    await warm('/api/v1/categories');
    expect((await a.api('DELETE', `${PRODUCTS}/${created.id}`, { token: admin.token })).status).toBe(204);
    expect(await read(b, '/api/v1/categories')).toEqual({
      cache: 'MISS',
      status: 200,
      json: { items: [{ name: 'kitchen', productCount: 1 }] },
    });
    expect(await read(b, `${PRODUCTS}/${created.id}`)).toMatchObject({ cache: 'MISS', status: 404 });
  });

  it('shows stock taken by a checkout and given back by a cancel on the other instance at once', async () => {
    const { a, b } = await twoInstances();
    const product = await a.product({ stock: 5 });
    const one = `${PRODUCTS}/${product.id}`;
    const shopper = await a.customer();
    expect((await a.addToCart(shopper.token, product.id, 2)).status).toBe(200);
    expect((await read(b, one)).json.stock).toBe(5);
    expect(await read(b, one)).toMatchObject({ cache: 'HIT', json: { stock: 5 } });

    const order = await a.api('POST', '/api/v1/orders', { token: shopper.token });
    expect(order.status).toBe(201);
    expect(await read(b, one)).toMatchObject({ cache: 'MISS', json: { stock: 3 } });
    expect(await read(b, one)).toMatchObject({ cache: 'HIT', json: { stock: 3 } });

    const cancelled = await a.api('POST', `/api/v1/orders/${order.json.id}/cancel`, { token: shopper.token });
    expect(cancelled.status).toBe(200);
    expect(await read(b, one)).toMatchObject({ cache: 'MISS', json: { stock: 5 } });
  });

  it('shares the login rate limit: the request over the limit is refused on either instance', async () => {
    const { a, b } = await twoInstances({ authRateLimit: 4 });
    const body = { email: 'nobody@example.com', password: PASSWORD };
    const statuses: number[] = [];
    for (const t of [a, b, a, b, b, a]) statuses.push((await t.api('POST', '/api/v1/auth/login', { body })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('serves from the database while Redis is down, says so once, and comes back without stale answers', async () => {
    const prefix = redisPrefix();
    const target = new URL(serviceUrl('redis'));
    const proxy = await dbProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const cache = await testRedisCache(prefix, `redis://127.0.0.1:${proxy.port}`);
    const t = await createContext(makeStore, { cache, authRateLimit: 3 });
    const admin = await t.admin();
    const product = await t.product({ priceCents: 1000 });
    const one = `${PRODUCTS}/${product.id}`;
    expect((await read(t, one)).cache).toBe('MISS');
    expect((await read(t, one)).cache).toBe('HIT');

    proxy.set('refuse');
    expect(await read(t, one)).toMatchObject({ cache: 'MISS', status: 200, json: { priceCents: 1000 } });
    const patched = await t.api('PATCH', one, { token: admin.token, body: { priceCents: 2000 } });
    expect(patched.status).toBe(200);
    expect(await read(t, one)).toMatchObject({ cache: 'MISS', status: 200, json: { priceCents: 2000 } });
    expect(await t.api('GET', '/health')).toMatchObject({
      status: 200,
      json: { status: 'ok', database: 'ok', cache: 'down' },
    });
    // The rate limit still counts, in this process.
    const login = { email: 'nobody@example.com', password: PASSWORD };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await t.api('POST', '/api/v1/auth/login', { body: login })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // The entry kept before the outage is still in Redis, at the version it was computed at.
    proxy.set('forward');
    await vi.waitFor(() => expect(cache.catalog.status()).toBe('ok'), { timeout: 5000, interval: 20 });
    expect(await read(t, one)).toMatchObject({ cache: 'MISS', json: { priceCents: 2000 } });
    expect(await read(t, one)).toMatchObject({ cache: 'HIT', json: { priceCents: 2000 } });
    expect(cache.lines.map((l) => l.level)).toEqual(['warn', 'info']);
    expect(cache.lines[1]!.message).toBe('catalog cache: Redis is back');
  });

  it('does not hang a read on a Redis that swallows every command: the command times out, the database answers', async () => {
    const target = new URL(serviceUrl('redis'));
    const proxy = await dbProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const cache = await testRedisCache(redisPrefix(), `redis://127.0.0.1:${proxy.port}`);
    const t = await createContext(makeStore, { cache });
    const product = await t.product({ name: 'Kettle' });
    proxy.set('blackhole');
    expect(await read(t, `${PRODUCTS}/${product.id}`)).toMatchObject({
      cache: 'MISS',
      status: 200,
      json: { name: 'Kettle' },
    });
    expect(await t.api('GET', '/health')).toMatchObject({ status: 200, json: { cache: 'down' } });
    expect(cache.lines.map((l) => [l.level, l.message])).toEqual([
      ['warn', 'catalog cache: Redis is not answering (Command timed out); reading from the database'],
    ]);
  });

  it('never answers a read that began after a write was acknowledged from a version fetched before it', async () => {
    // One fetch of the version serves the reads that began before it was sent. The reader's answers
    // from Redis are held back (a slow network), so that its first fetch is still on its way back
    // when the other instance's write is acknowledged and the second read begins.
    const target = new URL(serviceUrl('redis'));
    const proxy = await dbProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const prefix = redisPrefix();
    const reader = (await testRedisCache(prefix, `redis://127.0.0.1:${proxy.port}`)).catalog;
    const writer = (await testRedisCache(prefix)).catalog;
    const miss = await reader.lookup('/p');
    if (miss.hit || miss.version === undefined) throw new Error('expected a miss with a version');
    reader.keep('/p', 'before the write', miss.version);
    expect(await reader.lookup('/p')).toEqual({ hit: true, body: 'before the write' });

    proxy.set('hold');
    const early = reader.lookup('/p');
    await vi.waitFor(() => expect(proxy.held()).toBe(1)); // Redis has answered the old version
    await writer.invalidate();
    const late = reader.lookup('/p');
    proxy.set('forward');
    // The early read began before the write: either answer is right. The late one must not see 'before'.
    expect(await early).toEqual({ hit: true, body: 'before the write' });
    expect(await late).toMatchObject({ hit: false });
  });

  it('reports no cache in /health when none is configured', async () => {
    const t = await createContext(makeStore);
    const health = await t.api('GET', '/health');
    expect([health.status, health.json]).toEqual([200, { status: 'ok', database: 'ok' }]);
    expect((await t.api('GET', PRODUCTS)).headers['x-cache']).toBeUndefined();
  });
});

describe.skipIf(!redis.available)('the Redis cache behind the SQLite memo', () => {
  it('answers from the memo first, from Redis after a write elsewhere, and never a stale answer', async () => {
    const prefix = redisPrefix();
    const store = await sqliteStore();
    const lookups: string[] = [];
    const telemetry = { ...noTelemetry, cacheLookup: (r: string, hit: boolean) => lookups.push(`${r} ${hit}`) };
    const t = await createContext(() => Promise.resolve(store), { cache: await testRedisCache(prefix), telemetry });
    const product = await t.product({ priceCents: 1000 });
    const one = `${PRODUCTS}/${product.id}`;
    const answers: unknown[] = [];
    const look = async () => {
      const r = await t.api('GET', one);
      answers.push([r.headers['x-cache'], r.json.priceCents]);
      return r;
    };
    const miss = await look();
    const memoHit = await look();
    expect(comparable(memoHit)).toEqual(comparable(miss));
    const patched = await t.api('PATCH', one, { token: (await t.admin()).token, body: { priceCents: 1500 } });
    expect(patched.status).toBe(200);
    await look();
    await look();
    expect(answers).toEqual([
      ['MISS', 1000],
      ['HIT', 1000],
      ['MISS', 1500],
      ['HIT', 1500],
    ]);
    expect(lookups).toEqual(['product false', 'product true', 'product false', 'product true']);
  });
});
