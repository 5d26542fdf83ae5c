/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import {
  createContext,
  expectProblemShape,
  type Response,
  type StoreFactory,
  type TestContext,
} from '../support/context.js';

const HOUR = 60 * 60 * 1000;

async function couponAdmin(t: TestContext) {
  const admin = await t.admin();
  const create = (body: Record<string, unknown>) =>
    t.api('POST', '/api/v1/admin/coupons', { token: admin.token, body: { type: 'percent', value: 10, ...body } });
  const patch = (code: string, body: Record<string, unknown>) =>
    t.api('PATCH', `/api/v1/admin/coupons/${code}`, { token: admin.token, body });
  return { admin, create, patch };
}

/** A customer with `quantity` units of a product at `priceCents` in their cart. */
async function shopper(t: TestContext, priceCents: number, quantity = 1, stock = 10) {
  const user = await t.customer();
  const product = await t.product({ priceCents, stock });
  expect((await t.addToCart(user.token, product.id, quantity)).status).toBe(200);
  const attach = (code: string) => t.api('PUT', '/api/v1/cart/coupon', { token: user.token, body: { code } });
  const cart = async () => (await t.api('GET', '/api/v1/cart', { token: user.token })).json;
  const checkout = (headers: Record<string, string> = {}) =>
    t.api('POST', '/api/v1/orders', { token: user.token, body: {}, headers });
  return { user, product, attach, cart, checkout };
}

function expectNotApplicable(r: Response, status: number, reason: string): void {
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ code: 'COUPON_NOT_APPLICABLE', reason });
}

export function couponsSuite(makeStore: StoreFactory): void {
  describe('admin coupons', () => {
    it('creates a coupon with defaults, upper-cases its code and audits it', async () => {
      const t = await createContext(makeStore);
      const { admin, create } = await couponAdmin(t);
      const r = await create({ code: 'summer-10', minSubtotalCents: 500 });
      expect(r.status).toBe(201);
      const at = new Date(t.clock.now).toISOString();
      expect(r.json).toEqual({
        code: 'SUMMER-10',
        type: 'percent',
        value: 10,
        minSubtotalCents: 500,
        maxRedemptions: null,
        perCustomerLimit: 1,
        startsAt: null,
        endsAt: null,
        active: true,
        redemptions: 0,
        createdAt: at,
        updatedAt: at,
      });
      const again = await create({ code: 'SUMMER-10', type: 'fixed', value: 100 });
      expect(again.status).toBe(409);
      expect(again.json.code).toBe('COUPON_CODE_TAKEN');
      expectProblemShape(again);
      const got = await t.api('GET', '/api/v1/admin/coupons/Summer-10', { token: admin.token });
      expect(got.json).toEqual(r.json);
      const log = await t.api('GET', '/api/v1/admin/activity?action=admin.coupon_created', { token: admin.token });
      expect(log.json.items).toMatchObject([{ actorId: admin.id, targetType: 'coupon', targetId: 'SUMMER-10' }]);
    });

    it.each([
      ['a code too short', { code: 'AB' }, 'body.code'],
      ['a code with a space', { code: 'SUMMER 10' }, 'body.code'],
      ['a code of 33 characters', { code: 'A'.repeat(33) }, 'body.code'],
      ['a percent above 100', { code: 'P101', value: 101 }, 'body.value'],
      ['a zero value', { code: 'ZERO', type: 'fixed', value: 0 }, 'body.value'],
      ['a fractional value', { code: 'HALF', type: 'fixed', value: 1.5 }, 'body.value'],
      [
        'a fixed value above the largest total',
        { code: 'HUGE', type: 'fixed', value: Number.MAX_SAFE_INTEGER + 1 },
        'body.value',
      ],
      ['an unknown type', { code: 'TYPE', type: 'bogo' }, 'body.type'],
      [
        'endsAt at startsAt',
        { code: 'WHEN', startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-01T01:00:00+01:00' },
        'body.endsAt',
      ],
      ['a date without offset', { code: 'DATE', endsAt: '2026-01-01' }, 'body.endsAt'],
      ['a perCustomerLimit of 0', { code: 'LIMIT', perCustomerLimit: 0 }, 'body.perCustomerLimit'],
      ['an unknown field', { code: 'EXTRA', amount: 5 }, 'body'],
    ])('refuses %s with 400', async (_name, body, path) => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      const r = await create(body);
      expect(r.status).toBe(400);
      expectProblemShape(r);
      expect(r.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    });

    it('lists coupons newest first, paginated, with their redemptions', async () => {
      const t = await createContext(makeStore);
      const { admin, create } = await couponAdmin(t);
      for (const code of ['ONE', 'TWO', 'THREE']) {
        expect((await create({ code })).status).toBe(201);
        t.clock.now += 1000;
      }
      const s = await shopper(t, 1000);
      expect((await s.attach('two')).status).toBe(200);
      expect((await s.checkout()).status).toBe(201);
      const page1 = await t.api('GET', '/api/v1/admin/coupons?limit=2', { token: admin.token });
      expect(page1.status).toBe(200);
      expect(page1.json).toMatchObject({ total: 3, page: 1, limit: 2 });
      expect(page1.json.items.map((c: { code: string; redemptions: number }) => [c.code, c.redemptions])).toEqual([
        ['THREE', 0],
        ['TWO', 1],
      ]);
      const page2 = await t.api('GET', '/api/v1/admin/coupons?limit=2&page=2', { token: admin.token });
      expect(page2.json.items.map((c: { code: string }) => c.code)).toEqual(['ONE']);
    });

    it('answers 404 for an unknown code, 401 without a token and 403 for a customer', async () => {
      const t = await createContext(makeStore);
      const { admin } = await couponAdmin(t);
      const customer = await t.customer();
      const missing = await t.api('GET', '/api/v1/admin/coupons/NOPE', { token: admin.token });
      expect(missing.status).toBe(404);
      expect(missing.json.code).toBe('COUPON_NOT_FOUND');
      expect(
        (await t.api('PATCH', '/api/v1/admin/coupons/NOPE', { token: admin.token, body: { active: false } })).status,
      ).toBe(404);
      for (const [method, url] of [
        ['GET', '/api/v1/admin/coupons'],
        ['POST', '/api/v1/admin/coupons'],
        ['GET', '/api/v1/admin/coupons/ANY'],
        ['PATCH', '/api/v1/admin/coupons/ANY'],
      ] as const) {
        // Valid bodies: body validation runs before authentication.
        const body = method === 'POST' ? { code: 'ABC', type: 'fixed', value: 1 } : { active: false };
        expect((await t.api(method, url, { body })).status).toBe(401);
        expect((await t.api(method, url, { token: customer.token, body })).status).toBe(403);
      }
    });

    it('patches active, endsAt and maxRedemptions, never below the redemptions made, and audits it', async () => {
      const t = await createContext(makeStore);
      const { admin, create, patch } = await couponAdmin(t);
      expect((await create({ code: 'LIMITED', maxRedemptions: 5, startsAt: '2020-01-01T00:00:00Z' })).status).toBe(201);
      for (let i = 0; i < 2; i++) {
        const s = await shopper(t, 1000);
        expect((await s.attach('LIMITED')).status).toBe(200);
        expect((await s.checkout()).status).toBe(201);
      }
      const below = await patch('limited', { maxRedemptions: 1 });
      expect(below.status).toBe(409);
      expect(below.json.code).toBe('MAX_REDEMPTIONS_BELOW_USED');
      expect(below.json.detail).toBe('maxRedemptions must not be below the 2 redemption(s) already made');
      const early = await patch('LIMITED', { endsAt: '2019-12-31T00:00:00Z' });
      expect(early.status).toBe(400);
      expect(early.json.errors).toEqual([
        { path: 'body.endsAt', message: 'must be after startsAt (2020-01-01T00:00:00.000Z)' },
      ]);
      expect((await patch('LIMITED', {})).status).toBe(400);
      const ok = await patch('LIMITED', { maxRedemptions: 2, active: false, endsAt: '2030-01-01T00:00:00+02:00' });
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({
        maxRedemptions: 2,
        active: false,
        endsAt: '2029-12-31T22:00:00.000Z',
        redemptions: 2,
      });
      const cleared = await patch('LIMITED', { maxRedemptions: null, endsAt: null });
      expect(cleared.json).toMatchObject({ maxRedemptions: null, endsAt: null, active: false });
      const log = await t.api('GET', '/api/v1/admin/activity?action=admin.coupon_updated', { token: admin.token });
      expect(log.json.total).toBe(2);
    });
  });

  describe('cart coupon', () => {
    it('attaches a coupon case-insensitively and shows the discount on every cart answer', async () => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      await create({ code: 'SAVE15', value: 15 });
      const s = await shopper(t, 999);
      const r = await s.attach('save15');
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({
        subtotalCents: 999,
        coupon: { code: 'SAVE15', type: 'percent', value: 15 },
        couponProblem: null,
        discountCents: 150,
        totalCents: 849,
      });
      const added = await t.addToCart(s.user.token, s.product.id, 1);
      expect(added.json).toMatchObject({ subtotalCents: 1998, discountCents: 300, totalCents: 1698 });
      expect(await s.cart()).toMatchObject({ subtotalCents: 1998, discountCents: 300, totalCents: 1698 });
      const removed = await t.api('DELETE', '/api/v1/cart/coupon', { token: s.user.token });
      expect(removed.status).toBe(204);
      expect(removed.body).toBe('');
      expect(await s.cart()).toMatchObject({ coupon: null, couponProblem: null, discountCents: 0, totalCents: 1998 });
      expect((await t.api('DELETE', '/api/v1/cart/coupon', { token: s.user.token })).status).toBe(204);
    });

    it('a fixed coupon never takes more than the subtotal', async () => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      await create({ code: 'FIVE-K', type: 'fixed', value: 5000 });
      const s = await shopper(t, 1200);
      expect((await s.attach('FIVE-K')).json).toMatchObject({
        subtotalCents: 1200,
        discountCents: 1200,
        totalCents: 0,
      });
      const order = await s.checkout();
      expect(order.status).toBe(201);
      expect(order.json).toMatchObject({
        subtotalCents: 1200,
        discountCents: 1200,
        totalCents: 0,
        couponCode: 'FIVE-K',
      });
    });

    it.each([
      ['unknown', () => Promise.resolve('NOSUCH')],
      ['inactive', async (c: Create) => (await c({ code: 'OFF', active: false }), 'OFF')],
      [
        'not_started',
        async (c: Create, now: number) => (
          await c({ code: 'LATER', startsAt: new Date(now + HOUR).toISOString() }),
          'LATER'
        ),
      ],
      [
        'expired',
        async (c: Create, now: number) => (await c({ code: 'OVER', endsAt: new Date(now - 1).toISOString() }), 'OVER'),
      ],
      ['below_minimum', async (c: Create) => (await c({ code: 'BIG', minSubtotalCents: 1001 }), 'BIG')],
    ])('refuses a coupon that does not apply with 422 reason %s, and attaches nothing', async (reason, setUp) => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      const code = await setUp(create, t.clock.now);
      const s = await shopper(t, 1000);
      const r = await s.attach(code);
      expectNotApplicable(r, 422, reason);
      expectProblemShape(r);
      expect((await s.cart()).coupon).toBeNull();
    });

    it('refuses a used-up coupon (exhausted) and one the customer used up (customer_limit)', async () => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      await create({ code: 'ONCE', maxRedemptions: 1, perCustomerLimit: 5 });
      await create({ code: 'MINE' });
      const first = await shopper(t, 1000, 1);
      expect((await first.attach('ONCE')).status).toBe(200);
      expect((await first.checkout()).status).toBe(201);
      const second = await shopper(t, 1000);
      expectNotApplicable(await second.attach('ONCE'), 422, 'exhausted');
      expect((await t.addToCart(first.user.token, first.product.id, 1)).status).toBe(200);
      expect((await first.attach('MINE')).status).toBe(200);
      expect((await first.checkout()).status).toBe(201);
      expect((await t.addToCart(first.user.token, first.product.id, 1)).status).toBe(200);
      expectNotApplicable(await first.attach('MINE'), 422, 'customer_limit');
    });

    it('rejects a malformed code with 400 and requires a token', async () => {
      const t = await createContext(makeStore);
      const s = await shopper(t, 1000);
      const r = await s.attach('no spaces');
      expect(r.status).toBe(400);
      expect(r.json.errors[0].path).toBe('body.code');
      expect((await t.api('PUT', '/api/v1/cart/coupon', { body: { code: 'ABC' } })).status).toBe(401);
      expect((await t.api('DELETE', '/api/v1/cart/coupon')).status).toBe(401);
    });

    it('keeps a coupon that stopped applying in the cart with discount 0 and the reason', async () => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      await create({ code: 'MIN2K', minSubtotalCents: 2000 });
      await create({ code: 'SOON-OVER', endsAt: new Date(t.clock.now + HOUR).toISOString() });
      const s = await shopper(t, 1000, 2);
      expect((await s.attach('MIN2K')).status).toBe(200);
      const shrunk = await t.api('PATCH', `/api/v1/cart/items/${s.product.id}`, {
        token: s.user.token,
        body: { quantity: 1 },
      });
      expect(shrunk.json).toMatchObject({
        subtotalCents: 1000,
        coupon: { code: 'MIN2K', type: 'percent', value: 10 },
        couponProblem: 'below_minimum',
        discountCents: 0,
        totalCents: 1000,
      });
      expect((await s.attach('SOON-OVER')).json).toMatchObject({ discountCents: 100, couponProblem: null });
      t.clock.now += HOUR;
      expect(await s.cart()).toMatchObject({
        coupon: { code: 'SOON-OVER' },
        couponProblem: 'expired',
        discountCents: 0,
      });
    });
  });

  describe('checkout with a coupon', () => {
    it('records the coupon on the order, counts the redemption and removes the coupon from the cart', async () => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      await create({ code: 'SAVE15', value: 15 });
      const s = await shopper(t, 999);
      await s.attach('SAVE15');
      const r = await s.checkout();
      expect(r.status).toBe(201);
      expect(r.json).toMatchObject({ subtotalCents: 999, discountCents: 150, totalCents: 849, couponCode: 'SAVE15' });
      expect(await s.cart()).toMatchObject({ items: [], coupon: null, discountCents: 0, totalCents: 0 });
      expect((await t.store.coupons.find('SAVE15'))?.redemptions).toBe(1);
    });

    it.each([
      [
        'below_minimum',
        async (t: TestContext, s: Shopper) => {
          await t.api('PATCH', `/api/v1/cart/items/${s.product.id}`, { token: s.user.token, body: { quantity: 1 } });
        },
      ],
      [
        'expired',
        (t: TestContext) => {
          t.clock.now += 2 * HOUR;
          return Promise.resolve();
        },
      ],
      [
        'inactive',
        async (t: TestContext, _s: Shopper, patch: Patch) => {
          expect((await patch('CHANGING', { active: false })).status).toBe(200);
        },
      ],
      [
        'exhausted',
        async (t: TestContext) => {
          const other = await shopper(t, 1000, 2);
          await other.attach('CHANGING');
          expect((await other.checkout()).status).toBe(201);
        },
      ],
    ])('answers 409 reason %s when the coupon stopped applying, and changes nothing', async (reason, change) => {
      const t = await createContext(makeStore);
      const { create, patch } = await couponAdmin(t);
      await create({
        code: 'CHANGING',
        minSubtotalCents: 2000,
        maxRedemptions: 1,
        endsAt: new Date(t.clock.now + HOUR).toISOString(),
      });
      const s = await shopper(t, 1000, 2, 5);
      expect((await s.attach('CHANGING')).status).toBe(200);
      await change(t, s, patch);
      const before = await s.cart();
      const r = await s.checkout();
      expectNotApplicable(r, 409, reason);
      expectProblemShape(r);
      expect(await s.cart()).toEqual(before);
      expect((await t.store.products.findById(s.product.id))?.stock).toBe(5);
      expect((await t.store.orders.list({ userId: s.user.id, page: 1, limit: 10 })).total).toBe(0);
    });

    it('cancelling the order gives the redemption back', async () => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      await create({ code: 'ONCE', maxRedemptions: 1 });
      const first = await shopper(t, 1000);
      await first.attach('ONCE');
      const order = await first.checkout();
      const second = await shopper(t, 1000);
      expectNotApplicable(await second.attach('ONCE'), 422, 'exhausted');
      const cancelled = await t.api('POST', `/api/v1/orders/${order.json.id}/cancel`, { token: first.user.token });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json).toMatchObject({ status: 'cancelled', couponCode: 'ONCE', discountCents: 100 });
      expect((await t.store.coupons.find('ONCE'))?.redemptions).toBe(0);
      expect((await second.attach('ONCE')).status).toBe(200);
      expect((await second.checkout()).json).toMatchObject({ couponCode: 'ONCE', totalCents: 900 });
    });

    it('an idempotent replay of a checkout never redeems twice', async () => {
      const t = await createContext(makeStore);
      const { create } = await couponAdmin(t);
      await create({ code: 'TWICE', maxRedemptions: 5, perCustomerLimit: 5 });
      const s = await shopper(t, 1000, 2);
      await s.attach('TWICE');
      const headers = { 'idempotency-key': 'coupon-order-1' };
      const first = await s.checkout(headers);
      expect(first.status).toBe(201);
      // The cart is filled again and the coupon attached again: a replay must not place or redeem anything.
      expect((await t.addToCart(s.user.token, s.product.id, 1)).status).toBe(200);
      expect((await s.attach('TWICE')).status).toBe(200);
      const replay = await s.checkout(headers);
      expect(replay.status).toBe(201);
      expect(replay.json).toEqual(first.json);
      expect((await t.store.coupons.find('TWICE'))?.redemptions).toBe(1);
      expect((await t.store.orders.list({ userId: s.user.id, page: 1, limit: 10 })).total).toBe(1);
      expect((await s.cart()).coupon).toMatchObject({ code: 'TWICE' });
    });
  });
}

type Create = Awaited<ReturnType<typeof couponAdmin>>['create'];
type Patch = Awaited<ReturnType<typeof couponAdmin>>['patch'];
type Shopper = Awaited<ReturnType<typeof shopper>>;
