import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createContext } from './support/context.js';
import { sqliteStore } from './support/sqlite.js';

const CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
  "img-src 'self' data: validator.swagger.io;object-src 'none';script-src 'self';script-src-attr 'none';" +
  "style-src 'self' 'unsafe-inline'";

/**
 * The security headers, in the order helmet sends them, with names in lower case like Fastify's own headers
 * (field names are case-insensitive, RFC 9110 section 5.1): they are kept with Fastify's reply headers.
 */
const SECURITY = [
  `content-security-policy: ${CSP}`,
  'cross-origin-opener-policy: same-origin',
  'cross-origin-resource-policy: same-origin',
  'origin-agent-cluster: ?1',
  'referrer-policy: no-referrer',
  'strict-transport-security: max-age=31536000; includeSubDomains',
  'x-content-type-options: nosniff',
  'x-dns-prefetch-control: off',
  'x-download-options: noopen',
  'x-frame-options: SAMEORIGIN',
  'x-permitted-cross-domain-policies: none',
  'x-xss-protection: 0',
];
const CORS = [
  'access-control-allow-origin: *',
  'access-control-expose-headers: Idempotent-Replayed, Retry-After, X-Request-Id',
];
const TAIL = ['Date: <date>', 'Connection: keep-alive', 'Keep-Alive: timeout=72'];

/** One raw HTTP/1.1 exchange: the status line and header lines exactly as sent, and the body. */
function exchange(port: number, request: string): Promise<{ head: string[]; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = data.slice(0, end).split('\r\n');
      const length = Number(/^content-length: (\d+)$/im.exec(data.slice(0, end))?.[1] ?? 0);
      const body = Buffer.from(data.slice(end + 4), 'latin1');
      if (request.startsWith('HEAD') || body.length >= length) {
        socket.destroy();
        resolve({
          head: head.map((line) =>
            line.replace(/^(Date): .*$/, '$1: <date>').replace(/^(x-request-id): [0-9a-f-]{36}$/, '$1: <uuid>'),
          ),
          body: body.toString('utf8'),
        });
      }
    });
    socket.on('error', reject);
    socket.write(request);
  });
}

describe('response headers', () => {
  it('sends the same security, CORS and framing headers, byte for byte, on catalog reads, errors and docs', async () => {
    const t = await createContext(sqliteStore, { validateResponses: false });
    const product = await t.product({ name: 'Wool Hat', description: 'Warm' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const get = (path: string, method = 'GET') =>
      exchange(address.port, `${method} ${path} HTTP/1.1\r\nHost: localhost\r\nOrigin: https://shop.example\r\n\r\n`);
    const json = (status: string, type: string, body: string) => [
      status,
      ...SECURITY,
      'x-request-id: <uuid>',
      ...CORS,
      `content-type: ${type}`,
      `content-length: ${Buffer.byteLength(body)}`,
      ...TAIL,
    ];

    // Twice each: the second answer of a catalog read may come from a cache and must look the same.
    for (let round = 0; round < 2; round++) {
      const list = await get('/api/v1/products?limit=20');
      expect(list.head).toEqual(json('HTTP/1.1 200 OK', 'application/json; charset=utf-8', list.body));
      expect(JSON.parse(list.body)).toMatchObject({ total: 1, items: [{ id: product.id }] });
      const search = await get('/api/v1/products?q=wool');
      expect(search.head).toEqual(json('HTTP/1.1 200 OK', 'application/json; charset=utf-8', search.body));
      expect(search.body).toBe(list.body);
      const one = await get(`/api/v1/products/${product.id}`);
      expect(one.head).toEqual(json('HTTP/1.1 200 OK', 'application/json; charset=utf-8', one.body));
      expect(JSON.parse(one.body)).toEqual(product);
      const head = await get(`/api/v1/products/${product.id}`, 'HEAD');
      expect(head.head).toEqual(json('HTTP/1.1 200 OK', 'application/json; charset=utf-8', one.body));
    }
    const missing = await get('/api/v1/products/00000000-0000-4000-8000-000000000000');
    expect(missing.head).toEqual(json('HTTP/1.1 404 Not Found', 'application/problem+json', missing.body));
    const bad = await get('/api/v1/products?limit=abc');
    expect(bad.head).toEqual(json('HTTP/1.1 400 Bad Request', 'application/problem+json', bad.body));
    expect(JSON.parse(bad.body)).toEqual({
      type: 'urn:quartet:shop-api:problem:validation',
      title: 'Bad Request',
      status: 400,
      detail: 'querystring.limit: must be a whole number',
      code: 'VALIDATION',
      errors: [{ path: 'querystring.limit', message: 'must be a whole number' }],
    });
    // Answers that carry tokens or personal data, errors included, may not be stored anywhere.
    const body = '{"email":"nobody@example.com","password":"not the password"}';
    const login = await exchange(
      address.port,
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nOrigin: https://shop.example\r\n' +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(login.head).toEqual([
      'HTTP/1.1 401 Unauthorized',
      ...SECURITY,
      'x-request-id: <uuid>',
      ...CORS,
      'cache-control: no-store',
      'x-ratelimit-limit: 1000',
      'x-ratelimit-remaining: 998',
      'x-ratelimit-reset: 60',
      'content-type: application/problem+json',
      `content-length: ${Buffer.byteLength(login.body)}`,
      ...TAIL,
    ]);
    const me = await get('/api/v1/me');
    expect(me.head).toEqual([
      'HTTP/1.1 401 Unauthorized',
      ...SECURITY,
      'x-request-id: <uuid>',
      ...CORS,
      'cache-control: no-store',
      'www-authenticate: Bearer',
      'content-type: application/problem+json',
      `content-length: ${Buffer.byteLength(me.body)}`,
      ...TAIL,
    ]);
    const nowhere = await get('/nowhere');
    expect(nowhere.head).toEqual(json('HTTP/1.1 404 Not Found', 'application/problem+json', nowhere.body));
    const docs = await get('/docs/');
    const preflight = await exchange(
      address.port,
      'OPTIONS /api/v1/orders HTTP/1.1\r\nHost: localhost\r\nOrigin: https://shop.example\r\n' +
        'Access-Control-Request-Method: POST\r\n\r\n',
    );
    expect(preflight.head).toEqual([
      'HTTP/1.1 204 No Content',
      ...SECURITY,
      'x-request-id: <uuid>',
      ...CORS,
      'access-control-allow-methods: GET, POST, PATCH, DELETE',
      'access-control-allow-headers: Authorization, Content-Type, Idempotency-Key',
      'content-length: 0',
      ...TAIL,
    ]);
    // The Swagger UI page replaces the CSP with its own, in the same place.
    expect(docs.head).toEqual([
      ...json('HTTP/1.1 200 OK', 'text/html; charset=utf-8', docs.body).slice(0, 1),
      "content-security-policy: default-src 'self'; base-uri 'self'; font-src 'self' https: data:; " +
        "frame-ancestors 'self'; img-src 'self' data: validator.swagger.io; object-src 'none'; " +
        "script-src 'self' ; script-src-attr 'none'; style-src 'self' https: ;",
      ...json('HTTP/1.1 200 OK', 'text/html; charset=utf-8', docs.body).slice(2),
    ]);
  });
});
