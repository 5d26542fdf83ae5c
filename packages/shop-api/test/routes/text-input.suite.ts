/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import { createContext, PASSWORD, type StoreFactory } from '../support/context.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Input = { body?: unknown; headers?: Record<string, string> };

/** The exact 400 for one field: the problem+json body names it in detail and errors[]. */
const invalid = (path: string, message: string) => ({
  type: 'urn:quartet:shop-api:problem:validation',
  title: 'Bad Request',
  status: 400,
  detail: `${path}: ${message}`,
  code: 'VALIDATION',
  errors: [{ path, message }],
});
const control = (field: string, char = 'U+0000') =>
  `${field} must not contain control or bidirectional formatting characters (found ${char})`;
const nul = (field: string) => `${field} must not contain the NUL character (U+0000)`;

const NUL = '\u0000';
const product = { sku: 'T-1', name: 'Thing', priceCents: 100, stock: 5, category: 'misc' };

/** One request per kind of text field, each with a NUL where a real value goes. */
function nulCases(ids: { product: string }): [string, Method, string, Input, ReturnType<typeof invalid>][] {
  const url = `/api/v1/products/${ids.product}`;
  const signUp = { email: 'n@example.com', password: PASSWORD, name: 'N' };
  return [
    [
      'register name',
      'POST',
      '/api/v1/auth/register',
      { body: { ...signUp, name: `A${NUL}B` } },
      invalid('body.name', control('name')),
    ],
    [
      'register email',
      'POST',
      '/api/v1/auth/register',
      { body: { ...signUp, email: `n${NUL}@example.com` } },
      invalid('body.email', 'email must be a valid address such as name@example.com'),
    ],
    [
      'register password',
      'POST',
      '/api/v1/auth/register',
      { body: { ...signUp, password: `${PASSWORD}${NUL}` } },
      invalid('body.password', nul('password')),
    ],
    [
      'login password',
      'POST',
      '/api/v1/auth/login',
      { body: { email: 'n@example.com', password: `${PASSWORD}${NUL}` } },
      invalid('body.password', nul('password')),
    ],
    [
      'refresh token',
      'POST',
      '/api/v1/auth/refresh',
      { body: { refreshToken: `abc${NUL}` } },
      invalid('body.refreshToken', nul('refreshToken')),
    ],
    [
      'logout token',
      'POST',
      '/api/v1/auth/logout',
      { body: { refreshToken: `abc${NUL}` } },
      invalid('body.refreshToken', nul('refreshToken')),
    ],
    [
      'product name',
      'POST',
      '/api/v1/products',
      { body: { ...product, name: `T${NUL}` } },
      invalid('body.name', control('name')),
    ],
    [
      'product description',
      'POST',
      '/api/v1/products',
      { body: { ...product, description: `line${NUL}` } },
      invalid('body.description', control('description')),
    ],
    [
      'product category',
      'POST',
      '/api/v1/products',
      { body: { ...product, category: `m${NUL}` } },
      invalid('body.category', control('category')),
    ],
    [
      'product sku',
      'POST',
      '/api/v1/products',
      { body: { ...product, sku: `T${NUL}` } },
      invalid('body.sku', 'sku must be 1-64 letters, digits, ".", "_" or "-"'),
    ],
    ['patch name', 'PATCH', url, { body: { name: `T${NUL}` } }, invalid('body.name', control('name'))],
    [
      'patch description',
      'PATCH',
      url,
      { body: { description: NUL } },
      invalid('body.description', control('description')),
    ],
    ['patch category', 'PATCH', url, { body: { category: `${NUL}m` } }, invalid('body.category', control('category'))],
    [
      'checkout note',
      'POST',
      '/api/v1/orders',
      { body: { note: `leave it${NUL}` } },
      invalid('body.note', control('note')),
    ],
    [
      'idempotency key',
      'POST',
      '/api/v1/orders',
      { headers: { 'idempotency-key': `k${NUL}` } },
      invalid('headers.idempotency-key', control('Idempotency-Key')),
    ],
    ['search q', 'GET', '/api/v1/products?q=shoe%00', {}, invalid('querystring.q', control('q'))],
    [
      'category filter',
      'GET',
      '/api/v1/products?category=misc%00',
      {},
      invalid('querystring.category', control('category')),
    ],
    [
      'activity action',
      'GET',
      '/api/v1/admin/activity?action=login%00',
      {},
      invalid('querystring.action', 'action must be 1-64 of a-z, "_" and "."'),
    ],
    ['product id', 'GET', '/api/v1/products/%00', {}, invalid('params.id', 'id must be a UUID')],
    ['cart line id', 'DELETE', '/api/v1/cart/items/%00', {}, invalid('params.productId', 'productId must be a UUID')],
  ];
}

export function textInputSuite(makeStore: StoreFactory): void {
  describe('text input', () => {
    it.each([
      [
        'a breached password',
        'qwerty123456',
        'password is too common: it appears in lists of breached passwords; choose another',
      ],
      ['12 spaces', ' '.repeat(12), 'password must not be only whitespace'],
      ['73 bytes', `${'é'.repeat(36)}a`, 'password must be at most 72 bytes of UTF-8'],
      [
        'a sequence',
        'abcdefghijklm',
        'password must not be one repeated character or a simple sequence such as 123456789012 or abcdefghijkl',
      ],
    ])('refuses %s as a new password with the exact problem', async (_name, password, message) => {
      const t = await createContext(makeStore);
      const r = await t.api('POST', '/api/v1/auth/register', { body: { email: 'p@example.com', password, name: 'P' } });
      expect([r.status, r.headers['content-type'], r.json]).toEqual([
        400,
        'application/problem+json',
        invalid('body.password', message),
      ]);
      const count = await t.api('POST', '/api/v1/auth/login', { body: { email: 'p@example.com', password } });
      expect(count.json.code).toBe('INVALID_CREDENTIALS');
    });

    it('answers a NUL in every kind of text field with 400 naming the field, and stores nothing', async () => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const thing = await t.product({ name: 'Untouched' });
      await t.addToCart(admin.token, thing.id, 1);
      const stats = () => t.api('GET', '/api/v1/admin/stats', { token: admin.token });
      const before = (await stats()).json;
      const answers = [];
      for (const [name, method, url, input] of nulCases({ product: thing.id })) {
        const r = await t.api(method, url, { token: admin.token, ...input });
        answers.push([name, r.status, r.headers['content-type'], r.json]);
      }
      expect(answers).toEqual(
        nulCases({ product: thing.id }).map(([name, , , , body]) => [name, 400, 'application/problem+json', body]),
      );
      expect((await stats()).json).toEqual(before);
      expect((await t.api('GET', `/api/v1/products/${thing.id}`)).json.name).toBe('Untouched');
      expect((await t.api('GET', '/api/v1/orders', { token: admin.token })).json.total).toBe(0);
    });

    it.each([
      [
        'a right-to-left override in a name',
        'POST',
        '/api/v1/auth/register',
        { email: 'r@example.com', password: PASSWORD, name: 'evil\u202egnp.exe' },
        invalid('body.name', control('name', 'U+202E')),
      ],
      [
        'an escape sequence in a product name',
        'POST',
        '/api/v1/products',
        { ...product, name: '\u001b[31mred' },
        invalid('body.name', control('name', 'U+001B')),
      ],
      [
        'a newline in a product name',
        'POST',
        '/api/v1/products',
        { ...product, name: 'two\nlines' },
        invalid('body.name', control('name', 'U+000A')),
      ],
      [
        'a bidi isolate in a description',
        'POST',
        '/api/v1/products',
        { ...product, description: 'a\u2066b' },
        invalid('body.description', control('description', 'U+2066')),
      ],
      [
        'a C1 control in a category',
        'POST',
        '/api/v1/products',
        { ...product, category: 'x\u0085' },
        invalid('body.category', control('category', 'U+0085')),
      ],
      [
        'a lone surrogate in a name',
        'POST',
        '/api/v1/auth/register',
        { email: 's@example.com', password: PASSWORD, name: 'x\ud800' },
        invalid('body.name', 'name must be well-formed Unicode (found a lone surrogate)'),
      ],
    ])('refuses %s', async (_name, method, url, body, expected) => {
      const t = await createContext(makeStore);
      const admin = await t.admin();
      const r = await t.api(method as Method, url, { token: admin.token, body });
      expect([r.status, r.json]).toEqual([400, expected]);
    });

    it('keeps tabs and line breaks where text may span lines, and any other script anywhere', async () => {
      const t = await createContext(makeStore);
      const made = await t.product({ name: 'Théière 急須 🍵', description: 'Cast iron.\n\tHolds 1 l.\r\nمرحبا' });
      expect([made.name, made.description]).toEqual(['Théière 急須 🍵', 'Cast iron.\n\tHolds 1 l.\r\nمرحبا']);
      const user = await t.customer();
      await t.addToCart(user.token, made.id, 1);
      const order = await t.api('POST', '/api/v1/orders', {
        token: user.token,
        body: { note: 'Ring twice.\nThanks!' },
      });
      expect([order.status, order.json.note]).toEqual([201, 'Ring twice.\nThanks!']);
    });
  });
}
