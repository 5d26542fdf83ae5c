/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import {
  createContext,
  expectProblemShape,
  PASSWORD,
  type StoreFactory,
  type TestContext,
} from '../support/context.js';
import { setOrderAmounts } from '../support/order-amounts.js';

const zero = { orders: 0, itemsSold: 0, grossCents: 0, discountCents: 0, netCents: 0 };
const FROM = '2026-01-26'; // a Monday
const TO = '2026-02-03'; // a Tuesday; the range crosses a week and a month boundary

/**
 * A known data set. Tokens are signed at the real time (the server checks them against it); the
 * app's clock is moved back only while a row is written, so that its created_at is known.
 *
 * In the range (not cancelled): A 01-26 00:00:00.000 (the first instant), B 01-31 with a discount,
 * C 02-01 23:59:59.999 (last instant of its week), E 02-03 23:59:59.999 (the last instant of `to`).
 * Outside: G 01-10 (makes c2 a repeat customer), D 02-02 cancelled, F 02-04 00:00:00.000.
 */
async function shop(t: TestContext) {
  const real = Date.now();
  const at = (iso: string) => (t.clock.now = Date.parse(iso));
  const p1 = await t.product({ name: 'Mug', priceCents: 1000, stock: 100 });
  const p2 = await t.product({ name: 'Lamp', priceCents: 2500, stock: 100 });
  const p3 = await t.product({ name: '=HYPERLINK("x")', priceCents: 300, stock: 100 });
  const p4 = await t.product({ name: 'Pin, small', priceCents: 100, stock: 100 });
  const p5 = await t.product({ name: 'Pin "big"', priceCents: 100, stock: 100 });

  async function register(email: string, createdAt: string) {
    at(createdAt);
    const r = await t.api('POST', '/api/v1/auth/register', { body: { email, password: PASSWORD, name: 'Test' } });
    if (r.status !== 201) throw new Error(r.body);
    t.clock.now = real;
    const login = await t.api('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    return login.json.accessToken as string;
  }
  async function order(token: string, placedAt: string, lines: [string, number][]) {
    t.clock.now = real;
    for (const [productId, quantity] of lines) await t.addToCart(token, productId, quantity);
    at(placedAt);
    const r = await t.api('POST', '/api/v1/orders', { token });
    t.clock.now = real;
    if (r.status !== 201) throw new Error(r.body);
    return r.json.id as string;
  }

  const c1 = await register('c1@example.com', '2026-01-05T10:00:00.000Z');
  const c2 = await register('c2@example.com', '2026-01-05T11:00:00.000Z');
  const c3 = await register('c3@example.com', '2026-01-27T09:00:00.000Z'); // new in the range
  await register('c4@example.com', '2026-02-03T23:59:59.999Z'); // new in the range, never orders
  await register('c5@example.com', '2026-02-04T00:00:00.000Z'); // the day after: not new
  await register('c6@example.com', '2026-01-25T23:59:59.999Z'); // the day before: not new

  await order(c2, '2026-01-10T12:00:00.000Z', [[p1.id, 1]]); // G
  await order(c1, '2026-01-26T00:00:00.000Z', [[p1.id, 2]]); // A: 2000
  const b = await order(c2, '2026-01-31T12:00:00.000Z', [[p2.id, 1]]); // B: 2500 - 498
  await setOrderAmounts(t.store, b, { subtotalCents: 2500, discountCents: 498, totalCents: 2002 });
  await order(c1, '2026-02-01T23:59:59.999Z', [
    [p1.id, 1],
    [p3.id, 3],
  ]); // C: 1900
  const d = await order(c2, '2026-02-02T08:00:00.000Z', [[p2.id, 1]]); // D: cancelled below
  await order(c3, '2026-02-03T23:59:59.999Z', [
    [p3.id, 1],
    [p4.id, 1],
    [p5.id, 1],
  ]); // E: 500
  await order(c3, '2026-02-04T00:00:00.000Z', [[p1.id, 5]]); // F: after the range

  const boss = await t.admin();
  const cancelled = await t.api('PATCH', `/api/v1/admin/orders/${d}/status`, {
    token: boss.token,
    body: { status: 'cancelled' },
  });
  if (cancelled.status !== 200) throw new Error(cancelled.body);
  // Reports name products as they are now: renamed, and archived.
  await t.api('PATCH', `/api/v1/products/${p2.id}`, { token: boss.token, body: { name: 'Desk lamp' } });
  await t.api('DELETE', `/api/v1/products/${p1.id}`, { token: boss.token });
  return { token: boss.token, p1, p2, p3, p4, p5 };
}

export function reportsSuite(makeStore: StoreFactory): void {
  describe('sales reports', () => {
    it('reports sales by day, ISO week and month over every period, with the totals', async () => {
      const t = await createContext(makeStore);
      const { token } = await shop(t);
      const get = (query: string) => t.api('GET', `/api/v1/admin/reports/sales?${query}`, { token });

      const totals = { orders: 4, itemsSold: 10, grossCents: 6900, discountCents: 498, netCents: 6402 };
      const byDay = await get(`from=${FROM}&to=${TO}&groupBy=day`);
      expect(byDay.status).toBe(200);
      expect(byDay.json).toEqual({
        items: [
          { period: '2026-01-26', orders: 1, itemsSold: 2, grossCents: 2000, discountCents: 0, netCents: 2000 },
          { period: '2026-01-27', ...zero },
          { period: '2026-01-28', ...zero },
          { period: '2026-01-29', ...zero },
          { period: '2026-01-30', ...zero },
          { period: '2026-01-31', orders: 1, itemsSold: 1, grossCents: 2500, discountCents: 498, netCents: 2002 },
          { period: '2026-02-01', orders: 1, itemsSold: 4, grossCents: 1900, discountCents: 0, netCents: 1900 },
          { period: '2026-02-02', ...zero },
          { period: '2026-02-03', orders: 1, itemsSold: 3, grossCents: 500, discountCents: 0, netCents: 500 },
        ],
        totals,
      });
      // groupBy defaults to day.
      expect((await get(`from=${FROM}&to=${TO}`)).json).toEqual(byDay.json);

      expect((await get(`from=${FROM}&to=${TO}&groupBy=week`)).json).toEqual({
        items: [
          { period: '2026-01-26', orders: 3, itemsSold: 7, grossCents: 6400, discountCents: 498, netCents: 5902 },
          { period: '2026-02-02', orders: 1, itemsSold: 3, grossCents: 500, discountCents: 0, netCents: 500 },
        ],
        totals,
      });
      expect((await get(`from=${FROM}&to=${TO}&groupBy=month`)).json).toEqual({
        items: [
          { period: '2026-01', orders: 2, itemsSold: 3, grossCents: 4500, discountCents: 498, netCents: 4002 },
          { period: '2026-02', orders: 2, itemsSold: 7, grossCents: 2400, discountCents: 0, netCents: 2400 },
        ],
        totals,
      });
      // A week is reported whole when the range starts mid-week: from Sunday 02-01 counts only C of that week.
      expect((await get('from=2026-02-01&to=2026-02-01&groupBy=week')).json).toEqual({
        items: [{ period: '2026-01-26', orders: 1, itemsSold: 4, grossCents: 1900, discountCents: 0, netCents: 1900 }],
        totals: { orders: 1, itemsSold: 4, grossCents: 1900, discountCents: 0, netCents: 1900 },
      });
      // The day after `to` starts at 00:00:00.000: F is in 02-04 only.
      expect((await get('from=2026-02-04&to=2026-02-04')).json.totals).toEqual({
        orders: 1,
        itemsSold: 5,
        grossCents: 5000,
        discountCents: 0,
        netCents: 5000,
      });
      expect((await get('from=2025-12-30&to=2026-01-02&groupBy=month')).json).toEqual({
        items: [
          { period: '2025-12', ...zero },
          { period: '2026-01', ...zero },
        ],
        totals: zero,
      });
    });

    it('sends the sales report as CSV for format=csv or Accept: text/csv', async () => {
      const t = await createContext(makeStore);
      const { token } = await shop(t);
      const url = `/api/v1/admin/reports/sales?from=${FROM}&to=2026-02-01&groupBy=week`;
      const expected =
        'period,orders,itemsSold,grossCents,discountCents,netCents\r\n' +
        '2026-01-26,3,7,6400,498,5902\r\n' +
        'total,3,7,6400,498,5902\r\n';
      for (const r of [
        await t.api('GET', `${url}&format=csv`, { token }),
        await t.api('GET', url, { token, headers: { accept: 'application/json;q=0.5, text/csv' } }),
      ]) {
        expect(r.status).toBe(200);
        expect(r.body).toBe(expected);
        expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect(r.headers['content-disposition']).toBe(`attachment; filename="sales-${FROM}-2026-02-01.csv"`);
      }
      // JSON when asked for, or preferred.
      for (const r of [
        await t.api('GET', `${url}&format=json`, { token, headers: { accept: 'text/csv' } }),
        await t.api('GET', url, { token, headers: { accept: 'application/json, text/csv;q=0.9' } }),
      ]) {
        expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(r.json.totals.orders).toBe(3);
      }
    });

    it('ranks top products by quantity, then revenue, then id, named as they are now; CSV neutralises formulas', async () => {
      const t = await createContext(makeStore);
      const { token, p1, p2, p3, p4, p5 } = await shop(t);
      const url = `/api/v1/admin/reports/top-products?from=${FROM}&to=${TO}`;
      const [pinA, pinB] = [p4, p5]
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((p) => ({
          productId: p.id,
          name: p.name,
          quantity: 1,
          revenueCents: 100,
        }));
      const all = [
        { productId: p3.id, name: '=HYPERLINK("x")', quantity: 4, revenueCents: 1200 },
        { productId: p1.id, name: 'Mug', quantity: 3, revenueCents: 3000 },
        { productId: p2.id, name: 'Desk lamp', quantity: 1, revenueCents: 2500 },
        pinA,
        pinB,
      ];
      const r = await t.api('GET', url, { token });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ items: all });
      expect((await t.api('GET', `${url}&limit=2`, { token })).json).toEqual({ items: all.slice(0, 2) });
      // F (5 mugs) is the day after `to`.
      expect((await t.api('GET', `${url.replace(TO, '2026-02-04')}&limit=1`, { token })).json.items[0]).toEqual({
        productId: p1.id,
        name: 'Mug',
        quantity: 8,
        revenueCents: 8000,
      });

      const csv = await t.api('GET', `${url}&format=csv&limit=3`, { token });
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="top-products-${FROM}-${TO}.csv"`);
      expect(csv.body).toBe(
        'productId,name,quantity,revenueCents\r\n' +
          `${p3.id},"'=HYPERLINK(""x"")",4,1200\r\n` +
          `${p1.id},Mug,3,3000\r\n` +
          `${p2.id},Desk lamp,1,2500\r\n`,
      );
      const empty = await t.api('GET', '/api/v1/admin/reports/top-products?from=2025-01-01&to=2025-12-31', {
        token,
        headers: { accept: 'text/csv' },
      });
      expect(empty.body).toBe('productId,name,quantity,revenueCents\r\n');
    });

    it('counts new, ordering and repeat customers and the average order value, rounded half up', async () => {
      const t = await createContext(makeStore);
      const { token } = await shop(t);
      const get = async (from: string, to: string) =>
        (await t.api('GET', `/api/v1/admin/reports/customers?from=${from}&to=${to}`, { token })).json;
      // c3 and c4 are new; c1, c2, c3 ordered; c1 (A, C) and c2 (G before the range, B) twice; 6402 / 4 = 1600.5.
      expect(await get(FROM, TO)).toEqual({
        newCustomers: 2,
        customersWhoOrdered: 3,
        repeatCustomers: 2,
        averageOrderValueCents: 1601,
      });
      // Up to the end of 01-31: c1 has one order (A), c2 two (G, B).
      expect(await get(FROM, '2026-01-31')).toEqual({
        newCustomers: 1,
        customersWhoOrdered: 2,
        repeatCustomers: 1,
        averageOrderValueCents: 2001,
      });
      // c3's second order (F) is after the range; D was cancelled.
      expect(await get('2026-02-02', '2026-02-03')).toEqual({
        newCustomers: 1,
        customersWhoOrdered: 1,
        repeatCustomers: 0,
        averageOrderValueCents: 500,
      });
      expect(await get('2025-01-01', '2025-12-31')).toEqual({
        newCustomers: 0,
        customersWhoOrdered: 0,
        repeatCustomers: 0,
        averageOrderValueCents: 0,
      });
    });

    it('refuses bad ranges with 400, naming the field', async () => {
      const t = await createContext(makeStore);
      const { token } = await t.admin();
      const cases: [string, string, string][] = [
        ['sales?from=2026-02-30&to=2026-03-01', 'querystring.from', 'from must be a date as YYYY-MM-DD that exists'],
        ['sales?from=2026-01-01&to=2026-1-2', 'querystring.to', 'to must be a date as YYYY-MM-DD that exists'],
        ['customers?from=yesterday&to=2026-01-02', 'querystring.from', 'from must be a date'],
        ['top-products?from=2026-01-01&to=2026-13-01', 'querystring.to', 'to must be a date'],
        ['sales?from=2026-03-02&to=2026-03-01', 'querystring.to', 'to (2026-03-01) is before from (2026-03-02)'],
        ['top-products?from=2026-03-02&to=2026-03-01', 'querystring.to', 'to (2026-03-01) is before'],
        ['customers?from=2026-03-02&to=2026-03-01', 'querystring.to', 'to (2026-03-01) is before'],
        [
          'sales?from=2020-01-01&to=2025-01-01&groupBy=day',
          'querystring.to',
          'the range from 2020-01-01 to 2025-01-01 is longer than groupBy=day allows (5 years)',
        ],
        ['sales?from=2016-01-01&to=2026-01-01&groupBy=week', 'querystring.to', 'groupBy=week allows (10 years)'],
        ['sales?from=2000-01-01&to=2020-01-01&groupBy=month', 'querystring.to', 'groupBy=month allows (20 years)'],
        ['customers?from=2000-01-01&to=2020-01-01', 'querystring.to', 'this report allows (20 years)'],
        ['sales?from=2026-01-01&to=2026-01-02&groupBy=year', 'querystring.groupBy', ''],
        ['sales?to=2026-01-02', 'querystring.from', ''],
        ['top-products?from=2026-01-01&to=2026-01-02&limit=0', 'querystring.limit', ''],
        ['top-products?from=2026-01-01&to=2026-01-02&limit=101', 'querystring.limit', ''],
        ['sales?from=2026-01-01&to=2026-01-02&format=xml', 'querystring.format', ''],
      ];
      for (const [query, path, message] of cases) {
        const r = await t.api('GET', `/api/v1/admin/reports/${query}`, { token });
        expect(r.status, query).toBe(400);
        expectProblemShape(r);
        expect(r.json.code, query).toBe('VALIDATION');
        expect(r.json.errors[0].path, query).toBe(path);
        expect(r.json.errors[0].message, query).toContain(message);
        expect(r.json.detail, query).toContain(path);
      }
      // The longest ranges allowed, and a leap day.
      for (const query of [
        'sales?from=2020-01-01&to=2024-12-31&groupBy=day',
        'sales?from=2016-01-01&to=2025-12-31&groupBy=week',
        'sales?from=2000-01-01&to=2019-12-31&groupBy=month',
        'customers?from=2024-02-29&to=2024-02-29',
      ]) {
        expect((await t.api('GET', `/api/v1/admin/reports/${query}`, { token })).status, query).toBe(200);
      }
    });

    it('is for administrators only', async () => {
      const t = await createContext(makeStore);
      const customer = await t.customer();
      for (const report of ['sales', 'top-products', 'customers']) {
        const url = `/api/v1/admin/reports/${report}?from=2026-01-01&to=2026-01-31`;
        const anonymous = await t.api('GET', url);
        expect(anonymous.status).toBe(401);
        expectProblemShape(anonymous);
        expect(anonymous.json.code).toBe('TOKEN_MISSING');
        const forbidden = await t.api('GET', url, { token: customer.token, headers: { accept: 'text/csv' } });
        expect(forbidden.status).toBe(403);
        expectProblemShape(forbidden);
        expect(forbidden.json.code).toBe('ADMIN_ONLY');
      }
    });
  });
}
