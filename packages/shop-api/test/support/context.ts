/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-explicit-any -- response bodies are untyped JSON; the assertions are the type check. */
import type { FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { buildApp, type AppOptions } from '../../src/app.js';
import type { Store } from '../../src/db/store.js';
import type { Product } from '../../src/domain/types.js';

/** Builds a fresh, migrated, empty store; each dialect's test file passes its own. */
export type StoreFactory = () => Promise<Store>;

export const PASSWORD = 'correct horse battery';
export const JWT_SECRET = 'test-secret-test-secret-test-secret-0123';

export interface Response {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  json: any;
}

export interface TestContext {
  app: FastifyInstance;
  store: Store;
  /** The app's clock: tests move it to expire tokens and idempotency keys. */
  clock: { now: number };
  api(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; payload?: string },
  ): Promise<Response>;
  /** Register and log in a customer; returns the user id and an access token. */
  customer(email?: string): Promise<{ id: string; token: string; refreshToken: string; email: string }>;
  admin(email?: string): Promise<{ id: string; token: string; email: string }>;
  product(overrides?: Partial<Product>): Promise<Product>;
  addToCart(token: string, productId: string, quantity: number): Promise<Response>;
}

let seq = 0;

export async function createContext(makeStore: StoreFactory, options: Partial<AppOptions> = {}): Promise<TestContext> {
  const store = await makeStore();
  const clock = { now: Date.now() };
  const app = await buildApp({
    store,
    jwtSecret: JWT_SECRET,
    bcryptCost: 4,
    authRateLimit: 1000,
    validateResponses: true,
    clock: () => new Date(clock.now),
    ...options,
  });
  onTestFinished(() => app.close());

  const api: TestContext['api'] = async (method, url, { token, body, headers, payload } = {}) => {
    const response = await app.inject({
      method,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload !== undefined ? { payload } : body !== undefined ? { payload: body as object } : {}),
    });
    let json: unknown;
    try {
      json = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, body: response.body, json };
  };

  async function customer(email = `user${++seq}@example.com`) {
    const registered = await api('POST', '/api/v1/auth/register', {
      body: { email, password: PASSWORD, name: 'Test' },
    });
    if (registered.status !== 201) throw new Error(`register ${email}: ${registered.body}`);
    const login = await api('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
    if (login.status !== 200) throw new Error(`login ${email}: ${login.body}`);
    return {
      id: registered.json.id as string,
      token: login.json.accessToken as string,
      refreshToken: login.json.refreshToken as string,
      email,
    };
  }

  async function admin(email = `admin${++seq}@example.com`) {
    const user = await customer(email);
    await store.users.update(user.id, { role: 'admin' }, new Date().toISOString());
    return user;
  }

  let adminToken: string | undefined;
  async function product(overrides: Partial<Product> = {}) {
    adminToken ??= (await admin()).token;
    const n = ++seq;
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = overrides;
    const created = await api('POST', '/api/v1/products', {
      token: adminToken,
      body: { sku: `SKU-${n}`, name: `Product ${n}`, priceCents: 1000, stock: 10, category: 'misc', ...fields },
    });
    if (created.status !== 201) throw new Error(`create product: ${created.body}`);
    return created.json as Product;
  }

  const addToCart: TestContext['addToCart'] = (token, productId, quantity) =>
    api('POST', '/api/v1/cart/items', { token, body: { productId, quantity } });

  return { app, store, clock, api, customer, admin, product, addToCart };
}

/** Every error must be problem+json with these members. */
export function expectProblemShape(response: Response): void {
  if (!String(response.headers['content-type']).startsWith('application/problem+json')) {
    throw new Error(`expected problem+json, got ${String(response.headers['content-type'])}: ${response.body}`);
  }
  const { type, title, status, detail, code } = response.json ?? {};
  if (typeof type !== 'string' || typeof title !== 'string' || status !== response.status) {
    throw new Error(`malformed problem: ${response.body}`);
  }
  if (typeof detail !== 'string' || typeof code !== 'string') throw new Error(`malformed problem: ${response.body}`);
}
