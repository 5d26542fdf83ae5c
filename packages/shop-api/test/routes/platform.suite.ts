/* eslint-disable @typescript-eslint/no-unsafe-member-access -- response bodies are untyped JSON; the assertions are the type check. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/store.js';
import { createContext, expectProblemShape, type StoreFactory } from '../support/context.js';

export function platformSuite(makeStore: StoreFactory): void {
  describe('health, docs and errors', () => {
    it('reports health with a database round trip, and 503 when the database fails', async () => {
      const t = await createContext(makeStore);
      for (const url of ['/health', '/api/v1/health']) {
        const r = await t.api('GET', url);
        expect(r.status).toBe(200);
        expect(r.json).toEqual({ status: 'ok', database: 'ok' });
      }
      const broken = await createContext(async () => {
        const store = await makeStore();
        return { ...store, ping: () => Promise.reject(new Error('disk on fire at /secret/path')) } satisfies Store;
      });
      const r = await broken.api('GET', '/health');
      expect(r.status).toBe(503);
      expect(r.json.code).toBe('DATABASE_UNAVAILABLE');
      expect(r.body).not.toContain('/secret/path');
    });

    it('hides the internals of unexpected errors and names the request id', async () => {
      const t = await createContext(async () => {
        const store = await makeStore();
        const products = {
          ...store.products,
          categories: () => Promise.reject(new Error('SQLITE_CORRUPT at /var/x.db')),
        };
        return { ...store, products };
      });
      const r = await t.api('GET', '/api/v1/categories');
      expect(r.status).toBe(500);
      expectProblemShape(r);
      expect(r.json.code).toBe('INTERNAL');
      expect(r.body).not.toMatch(/SQLITE|x\.db|stack/);
      expect(r.json.detail).toContain(String(r.headers['x-request-id']));
    });

    it('answers unknown routes with a problem+json 404', async () => {
      const t = await createContext(makeStore);
      const r = await t.api('GET', '/api/v1/nothing-here?x=1');
      expect(r.status).toBe(404);
      expectProblemShape(r);
      expect(r.json).toMatchObject({ code: 'ROUTE_NOT_FOUND', detail: 'no route for GET /api/v1/nothing-here' });
    });

    it('documents every route with its schemas and error responses in OpenAPI', async () => {
      const t = await createContext(makeStore);
      const r = await t.api('GET', '/openapi.json');
      expect(r.status).toBe(200);
      const paths = r.json.paths as Record<
        string,
        Record<string, { responses: Record<string, unknown>; security?: unknown }>
      >;
      const routes = Object.entries(paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
      );
      expect(routes.sort()).toEqual(
        [
          'GET /health',
          'GET /api/v1/health',
          'POST /api/v1/auth/register',
          'POST /api/v1/auth/login',
          'POST /api/v1/auth/refresh',
          'POST /api/v1/auth/logout',
          'GET /api/v1/me',
          'GET /api/v1/products',
          'POST /api/v1/products',
          'GET /api/v1/products/{id}',
          'PATCH /api/v1/products/{id}',
          'DELETE /api/v1/products/{id}',
          'GET /api/v1/categories',
          'GET /api/v1/cart',
          'DELETE /api/v1/cart',
          'POST /api/v1/cart/items',
          'PATCH /api/v1/cart/items/{productId}',
          'DELETE /api/v1/cart/items/{productId}',
          'POST /api/v1/orders',
          'GET /api/v1/orders',
          'GET /api/v1/orders/{id}',
          'POST /api/v1/orders/{id}/cancel',
          'GET /api/v1/admin/users',
          'PATCH /api/v1/admin/users/{id}',
          'GET /api/v1/admin/orders',
          'GET /api/v1/admin/orders/{id}',
          'PATCH /api/v1/admin/orders/{id}/status',
          'GET /api/v1/admin/stats',
          'GET /api/v1/admin/activity',
          'GET /api/v1/admin/reports/sales',
          'GET /api/v1/admin/reports/top-products',
          'GET /api/v1/admin/reports/customers',
          'PUT /api/v1/cart/coupon',
          'DELETE /api/v1/cart/coupon',
          'POST /api/v1/admin/coupons',
          'GET /api/v1/admin/coupons',
          'GET /api/v1/admin/coupons/{code}',
          'PATCH /api/v1/admin/coupons/{code}',
        ].sort(),
      );
      for (const [route, ops] of Object.entries(paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const codes = Object.keys(op.responses);
          expect(
            codes.some((c) => c.startsWith('2')),
            `${method} ${route}`,
          ).toBe(true);
          if (route !== '/api/v1/categories')
            expect(
              codes.some((c) => c.startsWith('4') || c === '503'),
              `${method} ${route}`,
            ).toBe(true);
        }
      }
      expect(paths['/api/v1/orders']!['post']!.security).toEqual([{ bearerAuth: [] }]);
      expect(JSON.stringify(paths['/api/v1/orders']!['post'])).toContain('idempotency-key');
      expect(r.json.components.schemas.Product.properties.priceCents).toEqual({
        type: 'integer',
        maximum: 9007199254740991,
        minimum: -9007199254740991,
      });
    });

    it('serves the Swagger UI at /docs', async () => {
      const t = await createContext(makeStore);
      const r = await t.app.inject({ method: 'GET', url: '/docs/' });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      expect(r.body).toContain('swagger-ui');
      // Plain HTTP: the page's assets must not be upgraded to https.
      expect(r.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      const spec = await t.app.inject({ method: 'GET', url: '/docs/json' });
      expect(spec.statusCode).toBe(200);
    });

    it('sends security headers, CORS headers and a request id', async () => {
      const t = await createContext(makeStore);
      const r = await t.api('GET', '/api/v1/products', { headers: { origin: 'https://shop.example' } });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['access-control-allow-origin']).toBe('*');
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      const preflight = await t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/orders',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.statusCode).toBe(204);
      expect(String(preflight.headers['access-control-allow-headers'])).toContain('Idempotency-Key');
    });
  });
}
