/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, PASSWORD, type Response } from './support/context.js';
import { sqliteStore } from './support/sqlite.js';

/** What an answer says about caching: the status, Cache-Control and Pragma as sent. */
const caching = (r: Response) => [r.status, r.headers['cache-control'], r.headers['pragma']];
const noStore = (status: number) => [status, 'no-store', undefined];
const unset = (status: number) => [status, undefined, undefined];

describe('Cache-Control (ASVS 8.2.1)', () => {
  it('marks every answer that carries a token or personal data no-store, errors included', async () => {
    const t = await createContext(sqliteStore);
    const admin = await t.admin();
    const product = await t.product({ stock: 5 });
    const body = { email: 'cc@example.com', password: PASSWORD, name: 'C' };
    const seen: [string, unknown[]][] = [];
    const check = async (name: string, answer: Promise<Response>) => {
      const r = await answer;
      seen.push([name, caching(r)]);
      return r;
    };
    await check('register 201', t.api('POST', '/api/v1/auth/register', { body }));
    await check('register 409', t.api('POST', '/api/v1/auth/register', { body }));
    await check('register 400', t.api('POST', '/api/v1/auth/register', { body: { ...body, email: 'x' } }));
    const credentials = { email: body.email, password: PASSWORD };
    const login = await check('login 200', t.api('POST', '/api/v1/auth/login', { body: credentials }));
    const wrong = { ...credentials, password: 'wrong password!' };
    await check('login 401', t.api('POST', '/api/v1/auth/login', { body: wrong }));
    const { refreshToken } = login.json;
    const refreshed = await check('refresh 200', t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken } }));
    await check('refresh 401', t.api('POST', '/api/v1/auth/refresh', { body: { refreshToken: 'x'.repeat(43) } }));
    await check('me 200', t.api('GET', '/api/v1/me', { token: refreshed.json.accessToken }));
    await check('me 401', t.api('GET', '/api/v1/me'));
    const user = refreshed.json.accessToken as string;
    await check('cart add 200', t.addToCart(user, product.id, 1));
    await check('cart 200', t.api('GET', '/api/v1/cart', { token: user }));
    const headers = { 'idempotency-key': 'k1' };
    const order = await check('checkout 201', t.api('POST', '/api/v1/orders', { token: user, headers }));
    await check('checkout replay 201', t.api('POST', '/api/v1/orders', { token: user, headers }));
    await check('orders 200', t.api('GET', '/api/v1/orders', { token: user }));
    await check('order 200', t.api('GET', `/api/v1/orders/${order.json.id}`, { token: user }));
    await check('admin users 200', t.api('GET', '/api/v1/admin/users', { token: admin.token }));
    await check('admin activity 200', t.api('GET', '/api/v1/admin/activity', { token: admin.token }));
    await check('admin 403', t.api('GET', '/api/v1/admin/users', { token: user }));
    const logout = t.api('POST', '/api/v1/auth/logout', { body: { refreshToken: refreshed.json.refreshToken } });
    await check('logout 204', logout);
    expect(seen).toEqual([
      ['register 201', noStore(201)],
      ['register 409', noStore(409)],
      ['register 400', noStore(400)],
      ['login 200', noStore(200)],
      ['login 401', noStore(401)],
      ['refresh 200', noStore(200)],
      ['refresh 401', noStore(401)],
      ['me 200', noStore(200)],
      ['me 401', noStore(401)],
      ['cart add 200', noStore(200)],
      ['cart 200', noStore(200)],
      ['checkout 201', noStore(201)],
      ['checkout replay 201', noStore(201)],
      ['orders 200', noStore(200)],
      ['order 200', noStore(200)],
      ['admin users 200', noStore(200)],
      ['admin activity 200', noStore(200)],
      ['admin 403', noStore(403)],
      ['logout 204', noStore(204)],
    ]);
  });

  it('marks a rate-limited login no-store', async () => {
    const t = await createContext(sqliteStore, { authRateLimit: 1 });
    const body = { email: 'cc@example.com', password: PASSWORD };
    expect(caching(await t.api('POST', '/api/v1/auth/login', { body }))).toEqual(noStore(401));
    expect(caching(await t.api('POST', '/api/v1/auth/login', { body }))).toEqual(noStore(429));
  });

  it('leaves the public catalog cacheable, from the response cache too', async () => {
    const t = await createContext(sqliteStore);
    const product = await t.product();
    const answers = [];
    for (let round = 0; round < 2; round++) {
      answers.push(caching(await t.api('GET', '/api/v1/products?limit=5')));
      answers.push(caching(await t.api('GET', `/api/v1/products/${product.id}`)));
      answers.push(caching(await t.api('GET', '/api/v1/categories')));
    }
    answers.push(caching(await t.api('GET', '/api/v1/products/00000000-0000-4000-8000-000000000000')));
    expect(answers).toEqual([...Array(6).fill(unset(200)), unset(404)]);
  });
});
