/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openSqliteStore } from '../src/db/sqlite/store.js';
import { createContext } from './support/context.js';

/** A SQLite store whose file the test can also open from another process. */
function storeOnFile() {
  const dir = mkdtempSync(join(tmpdir(), 'shop-api-cache-'));
  const file = join(dir, 'shop.db');
  const store = openSqliteStore({ file });
  onTestFinished(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, makeStore: () => Promise.resolve(store) };
}

/** Change a product's price from a separate process, as a second server or a script would. */
function setPriceElsewhere(file: string, id: string, priceCents: number) {
  const script =
    "const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000');" +
    "db.prepare('UPDATE products SET price_cents = ? WHERE id = ?').run(Number(process.argv[3]), process.argv[2]);" +
    'db.close();';
  execFileSync(process.execPath, ['-e', script, file, id, String(priceCents)], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
}

describe('cached catalog answers (SQLite)', () => {
  it('answers a repeated read with the same bytes, and never from before a change', async () => {
    const { file, makeStore } = storeOnFile();
    const t = await createContext(makeStore);
    const hat = await t.product({ name: 'Wool Hat', priceCents: 1500, stock: 2 });
    const admin = await t.admin();
    const urls = ['/api/v1/products?limit=20', '/api/v1/products?q=wool', `/api/v1/products/${hat.id}`];
    const price = async (url: string) => {
      const r = await t.api('GET', url);
      expect(r.status).toBe(200);
      return (url.includes('?') ? r.json.items[0] : r.json) as { priceCents: number; stock: number };
    };
    const first = await Promise.all(urls.map((url) => t.api('GET', url)));
    // The repeats are answered before the route's handler runs: the repository is not asked.
    const products = t.store.products;
    let asked = 0;
    const search = products.search.bind(products);
    const findById = products.findById.bind(products);
    products.search = (filter) => (asked++, search(filter));
    products.findById = (id) => (asked++, findById(id));
    const again = await Promise.all(urls.map((url) => t.api('GET', url)));
    expect(asked).toBe(0);
    expect(again.map((r) => r.body)).toEqual(first.map((r) => r.body));
    expect(again.map((r) => r.headers['content-length'])).toEqual(first.map((r) => r.headers['content-length']));

    // An administrator's change through the API.
    const patched = await t.api('PATCH', `/api/v1/products/${hat.id}`, {
      token: admin.token,
      body: { priceCents: 1700 },
    });
    expect(patched.status).toBe(200);
    for (const url of urls) expect((await price(url)).priceCents).toBe(1700);

    // Stock taken by a checkout.
    const buyer = await t.customer();
    expect((await t.addToCart(buyer.token, hat.id, 1)).status).toBeLessThan(300);
    expect((await t.api('POST', '/api/v1/orders', { token: buyer.token })).status).toBe(201);
    for (const url of urls) expect((await price(url)).stock).toBe(1);

    // A write by another process on the same file.
    setPriceElsewhere(file, hat.id, 1900);
    for (const url of urls) expect((await price(url)).priceCents).toBe(1900);
    for (const url of urls) expect((await price(url)).priceCents).toBe(1900);

    // Archived: the cached page and product are gone with it.
    expect((await t.api('DELETE', `/api/v1/products/${hat.id}`, { token: admin.token })).status).toBe(204);
    expect((await t.api('GET', `/api/v1/products/${hat.id}`)).status).toBe(404);
    expect((await t.api('GET', '/api/v1/products?q=wool')).json.total).toBe(0);
  });

  it('validates every request the same: a bad query is a 400 each time, a good one never', async () => {
    const { makeStore } = storeOnFile();
    const t = await createContext(makeStore);
    await t.product();
    for (let i = 0; i < 2; i++) {
      const bad = await t.api('GET', '/api/v1/products?limit=abc');
      expect(bad.status).toBe(400);
      expect(bad.json.errors).toEqual([{ path: 'querystring.limit', message: 'must be a whole number' }]);
      expect((await t.api('GET', '/api/v1/products?color=red')).status).toBe(400);
      expect((await t.api('GET', '/api/v1/products/not-a-uuid')).status).toBe(400);
      expect((await t.api('GET', '/api/v1/products?limit=1')).json.limit).toBe(1);
    }
  });
});
