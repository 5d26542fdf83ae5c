/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, expectProblemShape, type StoreFactory, type TestContext } from '../support/context.js';

async function placeOrder(t: TestContext, token: string, productId: string, quantity: number) {
  await t.addToCart(token, productId, quantity);
  const r = await t.api('POST', '/api/v1/orders', { token });
  if (r.status !== 201) throw new Error(r.body);
  return r.json as { id: string; totalCents: number };
}

export function adminSuite(makeStore: StoreFactory): void {
  describe('admin', () => {
    it('lists users newest first, filtered by role and active', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin('boss@example.com');
      t.clock.now += 1000;
      const a = await t.customer('a@example.com');
      t.clock.now += 1000;
      const b = await t.customer('b@example.com');
      await t.api('PATCH', `/api/v1/admin/users/${b.id}`, { token: admin.token, body: { active: false } });
      const all = await t.api('GET', '/api/v1/admin/users', { token: admin.token });
      expect(all.json.items.map((u: { email: string }) => u.email)).toEqual([
        'b@example.com',
        'a@example.com',
        'boss@example.com',
      ]);
      expect(all.json.total).toBe(3);
      const admins = await t.api('GET', '/api/v1/admin/users?role=admin', { token: admin.token });
      expect(admins.json.items.map((u: { id: string }) => u.id)).toEqual([admin.id]);
      const inactive = await t.api('GET', '/api/v1/admin/users?active=false', { token: admin.token });
      expect(inactive.json.items.map((u: { id: string }) => u.id)).toEqual([b.id]);
      const activeCustomers = await t.api('GET', '/api/v1/admin/users?role=customer&active=true&limit=1', {
        token: admin.token,
      });
      expect(activeCustomers.json).toMatchObject({ total: 1, limit: 1, page: 1 });
      expect(activeCustomers.json.items[0].id).toBe(a.id);
    });

    it('will not let an administrator deactivate or demote themselves', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      for (const body of [{ active: false }, { role: 'customer' }]) {
        const r = await t.api('PATCH', `/api/v1/admin/users/${admin.id}`, { token: admin.token, body });
        expect(r.status).toBe(403);
        expect(r.json.code).toBe('SELF_LOCKOUT');
      }
      expect((await t.api('GET', '/api/v1/me', { token: admin.token })).json).toMatchObject({
        role: 'admin',
        active: true,
      });
      const missing = await t.api('PATCH', '/api/v1/admin/users/00000000-0000-4000-8000-000000000000', {
        token: admin.token,
        body: { active: true },
      });
      expect(missing.status).toBe(404);
      const empty = await t.api('PATCH', `/api/v1/admin/users/${admin.id}`, { token: admin.token, body: {} });
      expect(empty.status).toBe(400);
    });

    it('walks the order state machine; every other transition is 409 and changes nothing', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const user = await t.customer();
      const product = await t.product({ stock: 10 });
      const order = await placeOrder(t, user.token, product.id, 2);
      const url = `/api/v1/admin/orders/${order.id}/status`;
      const refused = [
        ['pending', 'shipped'],
        ['pending', 'delivered'],
        ['pending', 'pending'],
      ];
      for (const [, to] of refused) {
        const r = await t.api('PATCH', url, { token: admin.token, body: { status: to } });
        expect(r.status).toBe(409);
        expect(r.json).toMatchObject({
          code: 'INVALID_TRANSITION',
          detail: `an order cannot go from pending to ${to}`,
        });
      }
      for (const to of ['processing', 'shipped', 'delivered']) {
        const r = await t.api('PATCH', url, { token: admin.token, body: { status: to } });
        expect(r.status).toBe(200);
        expect(r.json.status).toBe(to);
      }
      for (const to of ['cancelled', 'shipped', 'processing']) {
        expect((await t.api('PATCH', url, { token: admin.token, body: { status: to } })).status).toBe(409);
      }
      const final = await t.api('GET', `/api/v1/admin/orders/${order.id}`, { token: admin.token });
      expect(
        final.json.history.map((h: { from: string | null; to: string; actorId: string }) => [h.from, h.to, h.actorId]),
      ).toEqual([
        [null, 'pending', user.id],
        ['pending', 'processing', admin.id],
        ['processing', 'shipped', admin.id],
        ['shipped', 'delivered', admin.id],
      ]);
      expect((await t.store.products.findById(product.id))!.stock).toBe(8);
    });

    it('cancels from processing and restores stock', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const user = await t.customer();
      const product = await t.product({ stock: 10 });
      const order = await placeOrder(t, user.token, product.id, 3);
      const url = `/api/v1/admin/orders/${order.id}/status`;
      await t.api('PATCH', url, { token: admin.token, body: { status: 'processing' } });
      const r = await t.api('PATCH', url, { token: admin.token, body: { status: 'cancelled' } });
      expect(r.json.status).toBe('cancelled');
      expect((await t.store.products.findById(product.id))!.stock).toBe(10);
    });

    it('lists and reads every order, filtered by status', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const u1 = await t.customer();
      const u2 = await t.customer();
      const product = await t.product({ stock: 10 });
      const o1 = await placeOrder(t, u1.token, product.id, 1);
      t.clock.now += 1000;
      const o2 = await placeOrder(t, u2.token, product.id, 1);
      await t.api('POST', `/api/v1/orders/${o1.id}/cancel`, { token: u1.token });
      const all = await t.api('GET', '/api/v1/admin/orders', { token: admin.token });
      expect(all.json.items.map((o: { id: string }) => o.id)).toEqual([o2.id, o1.id]);
      const cancelled = await t.api('GET', '/api/v1/admin/orders?status=cancelled', { token: admin.token });
      expect(cancelled.json.items.map((o: { id: string }) => o.id)).toEqual([o1.id]);
      expect((await t.api('GET', `/api/v1/admin/orders/${o2.id}`, { token: admin.token })).json.userId).toBe(u2.id);
      expect(
        (await t.api('GET', '/api/v1/admin/orders/00000000-0000-4000-8000-000000000000', { token: admin.token }))
          .status,
      ).toBe(404);
    });

    it('reports stats: users, products, orders by status, revenue and low stock', async () => {
      const t = await createContext(makeStore, { lowStockThreshold: 2 });
      const admin = await t.admin();
      const user = await t.customer();
      const cheap = await t.product({ sku: 'CHEAP', name: 'Cheap', priceCents: 100, stock: 10 });
      const dear = await t.product({ sku: 'DEAR', name: 'Dear', priceCents: 1000, stock: 3 });
      const gone = await t.product({ sku: 'GONE', stock: 0 });
      await t.api('DELETE', `/api/v1/products/${gone.id}`, { token: admin.token });
      const delivered = await placeOrder(t, user.token, dear.id, 2); // 2000, dear stock 1
      for (const status of ['processing', 'shipped', 'delivered']) {
        await t.api('PATCH', `/api/v1/admin/orders/${delivered.id}/status`, { token: admin.token, body: { status } });
      }
      await placeOrder(t, user.token, cheap.id, 3); // 300, pending
      const cancelled = await placeOrder(t, user.token, cheap.id, 7); // 700, then cancelled → stock back to 7
      await t.api('POST', `/api/v1/orders/${cancelled.id}/cancel`, { token: user.token });
      await t.api('PATCH', `/api/v1/admin/users/${user.id}`, { token: admin.token, body: { active: false } });
      const r = await t.api('GET', '/api/v1/admin/stats', { token: admin.token });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        users: { total: 3, active: 2, admins: 2 }, // product() makes its own admin
        products: { total: 3, active: 2, archived: 1, outOfStock: 0 },
        ordersByStatus: { pending: 1, processing: 0, shipped: 0, delivered: 1, cancelled: 1 },
        revenue: { deliveredCents: 2000, nonCancelledCents: 2300 },
        lowStock: [{ id: dear.id, sku: 'DEAR', name: 'Dear', stock: 1 }],
        lowStockThreshold: 2,
      });
    });

    it('keeps an audit log of logins, admin actions and orders, newest first', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const user = await t.customer();
      await t.api('POST', '/api/v1/auth/login', { body: { email: user.email, password: 'wrong password!!' } });
      const product = await t.product();
      const order = await placeOrder(t, user.token, product.id, 1);
      await t.api('POST', `/api/v1/orders/${order.id}/cancel`, { token: user.token });
      await t.api('PATCH', `/api/v1/admin/users/${user.id}`, { token: admin.token, body: { role: 'admin' } });
      const r = await t.api('GET', '/api/v1/admin/activity?limit=100', { token: admin.token });
      const actions = r.json.items.map((e: { action: string }) => e.action);
      expect(actions.slice(0, 6)).toEqual([
        'admin.user_updated',
        'order.cancelled',
        'order.placed',
        'product.created',
        'login.succeeded',
        'login.failed',
      ]);
      const failed = r.json.items.find((e: { action: string }) => e.action === 'login.failed');
      expect(failed).toMatchObject({ actorId: user.id, detail: { email: user.email, reason: 'wrong_password' } });
      const placed = await t.api('GET', '/api/v1/admin/activity?action=order.placed', { token: admin.token });
      expect(placed.json.items).toHaveLength(1);
      expect(placed.json.items[0]).toMatchObject({ actorId: user.id, targetType: 'order', targetId: order.id });
    });

    it('is for administrators only', async () => {
      const t = await createContext(makeStore);
      const user = await t.customer();
      const urls = ['/api/v1/admin/users', '/api/v1/admin/orders', '/api/v1/admin/stats', '/api/v1/admin/activity'];
      for (const url of urls) {
        expect((await t.api('GET', url)).status).toBe(401);
        const r = await t.api('GET', url, { token: user.token });
        expect(r.status).toBe(403);
        expectProblemShape(r);
      }
      const patch = await t.api('PATCH', `/api/v1/admin/users/${user.id}`, {
        token: user.token,
        body: { role: 'admin' },
      });
      expect(patch.status).toBe(403);
      expect((await t.api('GET', '/api/v1/me', { token: user.token })).json.role).toBe('customer');
    });
  });
}
