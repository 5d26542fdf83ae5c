/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/store.js';
import { createContext, expectProblemShape, type StoreFactory, type TestContext } from '../support/context.js';

async function shopper(t: TestContext, lines: { priceCents: number; stock: number; quantity: number }[]) {
  const user = await t.customer();
  const products = [];
  for (const line of lines) {
    const product = await t.product({ priceCents: line.priceCents, stock: line.stock });
    products.push(product);
    const r = await t.addToCart(user.token, product.id, line.quantity);
    if (r.status !== 200) throw new Error(r.body);
  }
  return { user, products };
}

const stockOf = async (t: TestContext, id: string) => (await t.store.products.findById(id))!.stock;

/** A store whose checkouts wait for `open()`: a request can be held "in flight" deterministically. */
function gated(store: Store) {
  let open!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const inside = new Promise<void>((resolve) => (entered = resolve));
  let first = true;
  const checkout: Store['orders']['checkout'] = async (input) => {
    if (first) {
      first = false;
      entered();
      await gate;
    }
    return store.orders.checkout(input);
  };
  return { store: { ...store, orders: { ...store.orders, checkout } }, open: () => open(), inside };
}

export function ordersSuite(makeStore: StoreFactory): void {
  describe('orders', () => {
    it('checks out: deducts stock, records prices paid, empties the cart', async () => {
      const t = await createContext(makeStore);
      const { user, products } = await shopper(t, [
        { priceCents: 1250, stock: 5, quantity: 2 },
        { priceCents: 999, stock: 1, quantity: 1 },
      ]);
      const r = await t.api('POST', '/api/v1/orders', { token: user.token, body: { note: 'leave at the door' } });
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({
        status: 'pending',
        subtotalCents: 3499,
        discountCents: 0,
        couponCode: null,
        totalCents: 3499,
        currency: 'USD',
        itemCount: 3,
        note: 'leave at the door',
        userId: user.id,
      });
      expect(
        r.json.items
          .map((i: { priceAtPurchaseCents: number; quantity: number; lineTotalCents: number }) => [
            i.priceAtPurchaseCents,
            i.quantity,
            i.lineTotalCents,
          ])
          .sort(),
      ).toEqual(
        [
          [1250, 2, 2500],
          [999, 1, 999],
        ].sort(),
      );
      expect(r.json.history).toEqual([{ from: null, to: 'pending', actorId: user.id, at: r.json.createdAt }]);
      expect(await stockOf(t, products[0]!.id)).toBe(3);
      expect(await stockOf(t, products[1]!.id)).toBe(0);
      expect((await t.api('GET', '/api/v1/cart', { token: user.token })).json.items).toEqual([]);
    });

    it('checks out without a body too', async () => {
      const t = await createContext(makeStore);
      const { user } = await shopper(t, [{ priceCents: 100, stock: 1, quantity: 1 }]);
      const r = await t.api('POST', '/api/v1/orders', { token: user.token });
      expect(r.status).toBe(201);
      expect(r.json.note).toBeNull();
    });

    it('refuses an empty cart with 422', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const r = await t.api('POST', '/api/v1/orders', { token: user.token, body: {} });
      expect(r.status).toBe(422);
      expect(r.json.code).toBe('CART_EMPTY');
      expectProblemShape(r);
    });

    it('changes nothing when a line is short, and lists the short lines', async () => {
      const t = await createContext(makeStore);
      const { user, products } = await shopper(t, [
        { priceCents: 100, stock: 5, quantity: 2 },
        { priceCents: 200, stock: 3, quantity: 3 },
        { priceCents: 300, stock: 4, quantity: 1 },
      ]);
      const now = new Date().toISOString();
      await t.store.products.update(products[1]!.id, { stock: 1 }, now);
      await t.store.products.update(products[2]!.id, { active: false }, now);
      const r = await t.api('POST', '/api/v1/orders', { token: user.token, body: {} });
      expect(r.status).toBe(409);
      expect(r.json.code).toBe('OUT_OF_STOCK');
      expect(r.json.lines).toEqual([
        { productId: products[1]!.id, name: products[1]!.name, requested: 3, available: 1 },
        { productId: products[2]!.id, name: products[2]!.name, requested: 1, available: 0 },
      ]);
      expect(await stockOf(t, products[0]!.id)).toBe(5);
      expect((await t.api('GET', '/api/v1/cart', { token: user.token })).json.items).toHaveLength(3);
      expect((await t.api('GET', '/api/v1/orders', { token: user.token })).json.total).toBe(0);
    });

    it('keeps the price paid when the catalog price changes, and the product when it is archived', async () => {
      const t = await createContext(makeStore);
      const { user, products } = await shopper(t, [{ priceCents: 1000, stock: 5, quantity: 2 }]);
      const order = (await t.api('POST', '/api/v1/orders', { token: user.token })).json;
      const admin = await t.admin();
      await t.api('PATCH', `/api/v1/products/${products[0]!.id}`, {
        token: admin.token,
        body: { priceCents: 5000, name: 'Renamed' },
      });
      await t.api('DELETE', `/api/v1/products/${products[0]!.id}`, { token: admin.token });
      const r = await t.api('GET', `/api/v1/orders/${order.id}`, { token: user.token });
      expect(r.json.totalCents).toBe(2000);
      expect(r.json.items[0]).toMatchObject({
        priceAtPurchaseCents: 1000,
        lineTotalCents: 2000,
        name: products[0]!.name,
      });
    });

    it('lists only your orders, newest first, paginated; others’ orders are 404', async () => {
      const t = await createContext(makeStore);
      const product = await t.product({ stock: 100 });
      const user = await t.customer();
      const other = await t.customer();
      const ids = [];
      for (let i = 0; i < 3; i++) {
        t.clock.now += 1000;
        await t.addToCart(user.token, product.id, 1);
        ids.push((await t.api('POST', '/api/v1/orders', { token: user.token })).json.id as string);
      }
      const page1 = await t.api('GET', '/api/v1/orders?limit=2', { token: user.token });
      expect(page1.json.items.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
      expect(page1.json).toMatchObject({ total: 3, page: 1, limit: 2 });
      const page2 = await t.api('GET', '/api/v1/orders?limit=2&page=2', { token: user.token });
      expect(page2.json.items.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
      expect((await t.api('GET', '/api/v1/orders', { token: other.token })).json.total).toBe(0);
      const foreign = await t.api('GET', `/api/v1/orders/${ids[0]}`, { token: other.token });
      expect(foreign.status).toBe(404);
      expect(foreign.json.code).toBe('ORDER_NOT_FOUND');
      expect((await t.api('POST', `/api/v1/orders/${ids[0]}/cancel`, { token: other.token })).status).toBe(404);
    });

    it('cancels a pending order and restores stock; a second cancel is 409', async () => {
      const t = await createContext(makeStore);
      const { user, products } = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 4 }]);
      const order = (await t.api('POST', '/api/v1/orders', { token: user.token })).json;
      expect(await stockOf(t, products[0]!.id)).toBe(1);
      const r = await t.api('POST', `/api/v1/orders/${order.id}/cancel`, { token: user.token });
      expect(r.status).toBe(200);
      expect(r.json.status).toBe('cancelled');
      expect(r.json.history.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
        [null, 'pending'],
        ['pending', 'cancelled'],
      ]);
      expect(await stockOf(t, products[0]!.id)).toBe(5);
      const again = await t.api('POST', `/api/v1/orders/${order.id}/cancel`, { token: user.token });
      expect(again.status).toBe(409);
      expect(again.json.code).toBe('ORDER_NOT_CANCELLABLE');
      expect(await stockOf(t, products[0]!.id)).toBe(5);
    });

    it('lets a customer cancel only while pending', async () => {
      const t = await createContext(makeStore);
      const { user, products } = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 1 }]);
      const order = (await t.api('POST', '/api/v1/orders', { token: user.token })).json;
      const admin = await t.admin();
      await t.api('PATCH', `/api/v1/admin/orders/${order.id}/status`, {
        token: admin.token,
        body: { status: 'processing' },
      });
      const r = await t.api('POST', `/api/v1/orders/${order.id}/cancel`, { token: user.token });
      expect(r.status).toBe(409);
      expect(r.json.detail).toBe('the order is processing; only a pending order can be cancelled');
      expect(await stockOf(t, products[0]!.id)).toBe(4);
    });

    describe('Idempotency-Key', () => {
      it('replays the stored response for the same key and body; one order only', async () => {
        const t = await createContext(makeStore);
        const { user, products } = await shopper(t, [{ priceCents: 700, stock: 5, quantity: 2 }]);
        const headers = { 'idempotency-key': 'order-1' };
        const first = await t.api('POST', '/api/v1/orders', { token: user.token, body: { note: 'hi' }, headers });
        expect(first.status).toBe(201);
        expect(first.headers['idempotent-replayed']).toBeUndefined();
        const second = await t.api('POST', '/api/v1/orders', { token: user.token, body: { note: 'hi' }, headers });
        expect(second.status).toBe(201);
        expect(second.headers['idempotent-replayed']).toBe('true');
        expect(second.headers['content-type']).toMatch(/^application\/json/);
        expect(second.json).toEqual(first.json);
        expect((await t.api('GET', '/api/v1/orders', { token: user.token })).json.total).toBe(1);
        expect(await stockOf(t, products[0]!.id)).toBe(3);
      });

      it('scopes keys to the user', async () => {
        const t = await createContext(makeStore);
        const a = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 1 }]);
        const b = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 1 }]);
        const headers = { 'idempotency-key': 'same' };
        const ra = await t.api('POST', '/api/v1/orders', { token: a.user.token, headers });
        const rb = await t.api('POST', '/api/v1/orders', { token: b.user.token, headers });
        expect([ra.status, rb.status]).toEqual([201, 201]);
        expect(rb.headers['idempotent-replayed']).toBeUndefined();
        expect(ra.json.id).not.toBe(rb.json.id);
      });

      it('answers 422 when the same key comes with a different body', async () => {
        const t = await createContext(makeStore);
        const { user } = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 1 }]);
        const headers = { 'idempotency-key': 'k' };
        expect(
          (await t.api('POST', '/api/v1/orders', { token: user.token, body: { note: 'a' }, headers })).status,
        ).toBe(201);
        const r = await t.api('POST', '/api/v1/orders', { token: user.token, body: { note: 'b' }, headers });
        expect(r.status).toBe(422);
        expect(r.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
        expectProblemShape(r);
      });

      it('replays a failed checkout as well', async () => {
        const t = await createContext(makeStore);
        const user = await t.customer();
        const headers = { 'idempotency-key': 'empty' };
        const first = await t.api('POST', '/api/v1/orders', { token: user.token, headers });
        expect(first.status).toBe(422);
        const second = await t.api('POST', '/api/v1/orders', { token: user.token, headers });
        expect(second.status).toBe(422);
        expect(second.headers['idempotent-replayed']).toBe('true');
        expect(second.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(second.json).toEqual(first.json);
      });

      it('answers 409 while the first request is in flight, then replays its result', async () => {
        let gate!: ReturnType<typeof gated>;
        const t = await createContext(async () => (gate = gated(await makeStore())).store);
        const { user } = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 1 }]);
        const headers = { 'idempotency-key': 'slow' };
        const first = t.api('POST', '/api/v1/orders', { token: user.token, headers });
        await gate.inside;
        const during = await t.api('POST', '/api/v1/orders', { token: user.token, headers });
        expect(during.status).toBe(409);
        expect(during.json.code).toBe('IDEMPOTENCY_KEY_IN_USE');
        gate.open();
        expect((await first).status).toBe(201);
        const after = await t.api('POST', '/api/v1/orders', { token: user.token, headers });
        expect(after.headers['idempotent-replayed']).toBe('true');
        expect(after.json.id).toBe((await first).json.id);
      });

      it('lets a retry take over a claim abandoned past the stale window; the old request then writes nothing', async () => {
        let gate!: ReturnType<typeof gated>;
        const t = await createContext(async () => (gate = gated(await makeStore())).store, {
          idempotency: { ttlMs: 24 * 3600_000, staleMs: 60_000 },
        });
        const { user, products } = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 1 }]);
        const headers = { 'idempotency-key': 'abandoned' };
        const stuck = t.api('POST', '/api/v1/orders', { token: user.token, headers });
        await gate.inside;
        t.clock.now += 61_000;
        const retry = await t.api('POST', '/api/v1/orders', { token: user.token, headers });
        expect(retry.status).toBe(201);
        gate.open();
        const late = await stuck;
        expect(late.status).toBe(409);
        expect(late.json.code).toBe('IDEMPOTENCY_KEY_IN_USE');
        expect((await t.api('GET', '/api/v1/orders', { token: user.token })).json.total).toBe(1);
        expect(await stockOf(t, products[0]!.id)).toBe(4);
      });

      it('forgets keys after 24 hours', async () => {
        const t = await createContext(makeStore);
        const { user } = await shopper(t, [{ priceCents: 100, stock: 5, quantity: 1 }]);
        const headers = { 'idempotency-key': 'day' };
        expect((await t.api('POST', '/api/v1/orders', { token: user.token, headers })).status).toBe(201);
        t.clock.now += 23 * 3600_000;
        expect(
          (await t.api('POST', '/api/v1/orders', { token: user.token, headers })).headers['idempotent-replayed'],
        ).toBe('true');
        t.clock.now += 2 * 3600_000;
        const fresh = await t.api('POST', '/api/v1/orders', { token: user.token, headers });
        expect(fresh.status).toBe(422); // a new checkout of the now empty cart, not a replay
        expect(fresh.headers['idempotent-replayed']).toBeUndefined();
        expect(await t.store.idempotency.purgeExpired(new Date(t.clock.now + 25 * 3600_000).toISOString())).toBe(1);
      });

      it('rejects keys longer than 255 characters', async () => {
        const t = await createContext(makeStore);
        const user = await t.customer();
        const r = await t.api('POST', '/api/v1/orders', {
          token: user.token,
          headers: { 'idempotency-key': 'k'.repeat(256) },
        });
        expect(r.status).toBe(400);
        expect(r.json.errors).toEqual([
          { path: 'headers.idempotency-key', message: 'Idempotency-Key must be at most 255 characters' },
        ]);
      });
    });
  });
}
