/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, expectProblemShape, type StoreFactory, type TestContext } from '../support/context.js';

const skus = (r: { json: { items: { sku: string }[] } }) => r.json.items.map((p) => p.sku);

async function catalog(t: TestContext) {
  const base = Date.now();
  const made = [];
  const rows = [
    {
      sku: 'A',
      name: 'Blue Running Shoes',
      description: 'Light trail shoes',
      priceCents: 5000,
      stock: 3,
      category: 'shoes',
    },
    {
      sku: 'B',
      name: 'Red Sneakers',
      description: 'Canvas shoes for running errands',
      priceCents: 3000,
      stock: 0,
      category: 'shoes',
    },
    { sku: 'C', name: 'Wool Hat', description: 'Warm and blue', priceCents: 1500, stock: 8, category: 'hats' },
    { sku: 'D', name: 'Café Mug', description: 'Ceramic', priceCents: 800, stock: 20, category: 'home' },
  ];
  for (const [i, row] of rows.entries()) {
    t.clock.now = base + i * 1000;
    made.push(await t.product(row));
  }
  return made;
}

export function catalogSuite(makeStore: StoreFactory): void {
  describe('catalog', () => {
    it('lists active products newest first with total, page and limit', async () => {
      const t = await createContext(makeStore);
      await catalog(t);
      const r = await t.api('GET', '/api/v1/products?limit=2&page=2');
      expect(r.status).toBe(200);
      expect(skus(r)).toEqual(['B', 'A']);
      expect(r.json).toMatchObject({ total: 4, page: 2, limit: 2 });
    });

    it.each([
      ['q=shoes', ['A', 'B']],
      ['q=run', ['A', 'B']],
      ['q=blue', ['C', 'A']],
      ['q=blue running', ['A']],
      ['q=cafe', ['D']],
      ['q="OR AND NEAR(', []],
      ['q=!!!', []],
      ['category=shoes&sort=price', ['B', 'A']],
      ['minPriceCents=1500&maxPriceCents=3000&sort=-price', ['B', 'C']],
      ['inStock=true&sort=name', ['A', 'D', 'C']],
      ['inStock=false&sort=-name', ['C', 'B', 'D', 'A']],
      ['sort=newest', ['D', 'C', 'B', 'A']],
      ['q=shoes&inStock=true', ['A']],
      ['q=shoes&category=hats', []],
    ])('filters and sorts: %s', async (query, expected) => {
      const t = await createContext(makeStore);
      await catalog(t);
      const r = await t.api('GET', `/api/v1/products?${query.replace(/ /g, '%20')}`);
      expect(r.status).toBe(200);
      if (query.startsWith('q=blue')) expect([...skus(r)].sort()).toEqual([...expected].sort());
      else expect(skus(r)).toEqual(expected);
      expect(r.json.total).toBe(expected.length);
    });

    it('gets one product, 404 for unknown and archived ones, and hides archived ones from lists', async () => {
      const t = await createContext(makeStore);
      const [a, b] = await catalog(t);
      const admin = await t.admin();
      expect((await t.api('GET', `/api/v1/products/${a!.id}`)).json.sku).toBe('A');
      const unknown = await t.api('GET', '/api/v1/products/00000000-0000-4000-8000-000000000000');
      expect(unknown.status).toBe(404);
      expect(unknown.json.code).toBe('PRODUCT_NOT_FOUND');
      expect((await t.api('DELETE', `/api/v1/products/${b!.id}`, { token: admin.token })).status).toBe(204);
      expect((await t.api('GET', `/api/v1/products/${b!.id}`)).status).toBe(404);
      const list = await t.api('GET', '/api/v1/products?category=shoes');
      expect(skus(list)).toEqual(['A']);
      expect((await t.api('GET', '/api/v1/products?q=sneakers')).json.total).toBe(0);
    });

    it('lists categories with active product counts', async () => {
      const t = await createContext(makeStore);
      const [, , c] = await catalog(t);
      await t.store.products.update(c!.id, { active: false }, new Date().toISOString());
      const r = await t.api('GET', '/api/v1/categories');
      expect(r.json.items).toEqual([
        { name: 'home', productCount: 1 },
        { name: 'shoes', productCount: 2 },
      ]);
    });

    it('lets administrators create, patch and archive; sku clashes get 409', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const body = { sku: 'NEW-1', name: 'Lamp', priceCents: 2599, stock: 4, category: 'home' };
      const created = await t.api('POST', '/api/v1/products', { token: admin.token, body });
      expect(created.status).toBe(201);
      expect(created.json).toMatchObject({ ...body, description: '', currency: 'USD', active: true });
      const clash = await t.api('POST', '/api/v1/products', { token: admin.token, body });
      expect(clash.status).toBe(409);
      expect(clash.json.code).toBe('SKU_TAKEN');

      const other = await t.product({ sku: 'OTHER' });
      const patchClash = await t.api('PATCH', `/api/v1/products/${other.id}`, {
        token: admin.token,
        body: { sku: 'NEW-1' },
      });
      expect(patchClash.status).toBe(409);

      t.clock.now += 5000;
      const patched = await t.api('PATCH', `/api/v1/products/${created.json.id}`, {
        token: admin.token,
        body: { priceCents: 1999, name: 'Desk Lamp' },
      });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ priceCents: 1999, name: 'Desk Lamp', stock: 4 });
      expect(patched.json.updatedAt > created.json.updatedAt).toBe(true);
      expect((await t.api('GET', '/api/v1/products?q=desk')).json.total).toBe(1);
      expect((await t.api('GET', '/api/v1/products?q=lamp')).json.items[0].name).toBe('Desk Lamp');

      const missing = '00000000-0000-4000-8000-000000000000';
      expect(
        (await t.api('PATCH', `/api/v1/products/${missing}`, { token: admin.token, body: { stock: 1 } })).status,
      ).toBe(404);
      expect((await t.api('DELETE', `/api/v1/products/${missing}`, { token: admin.token })).status).toBe(404);

      // Archived products can be restored by an administrator.
      await t.api('DELETE', `/api/v1/products/${created.json.id}`, { token: admin.token });
      const restored = await t.api('PATCH', `/api/v1/products/${created.json.id}`, {
        token: admin.token,
        body: { active: true },
      });
      expect(restored.json.active).toBe(true);
      expect((await t.api('GET', `/api/v1/products/${created.json.id}`)).status).toBe(200);
    });

    it('keeps catalog writes for administrators: 401 without a token, 403 for customers', async () => {
      const t = await createContext(makeStore);
      const product = await t.product();
      const customer = await t.customer();
      const calls = [
        ['POST', '/api/v1/products', { sku: 'X', name: 'X', priceCents: 1, stock: 1, category: 'x' }],
        ['PATCH', `/api/v1/products/${product.id}`, { stock: 0 }],
        ['DELETE', `/api/v1/products/${product.id}`, undefined],
      ] as const;
      for (const [method, url, body] of calls) {
        const anonymous = await t.api(method, url, body ? { body } : {});
        expect(anonymous.status).toBe(401);
        const forbidden = await t.api(method, url, { token: customer.token, ...(body ? { body } : {}) });
        expect(forbidden.status).toBe(403);
        expect(forbidden.json.code).toBe('ADMIN_ONLY');
        expectProblemShape(forbidden);
      }
      expect((await t.api('GET', `/api/v1/products/${product.id}`)).json.stock).toBe(10);
    });
  });
}
