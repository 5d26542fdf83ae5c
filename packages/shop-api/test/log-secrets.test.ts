/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type LogLevel } from '@quartet/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Store } from '../src/db/store.js';
import { safeError } from '../src/plugins/log-safety.js';
import { createContext, JWT_SECRET, type StoreFactory } from './support/context.js';
import { pgStoreFactory, postgres } from './support/pg.js';
import { sqliteStore } from './support/sqlite.js';

const CUSTOMER = { email: 'secret.shopper@example.com', password: 'hunter2 but longer', name: 'Shopper' };
const ADMIN = { email: 'secret.admin@example.com', password: 'the admin passphrase' };

/**
 * A whole session at `level`, with every log line captured: registration, login, refresh, browsing,
 * cart, checkout, admin actions, logout, and failures (a wrong password, an unknown email, a bad and
 * a revoked token, bad input, and a 500 from a failed INSERT that names every value it tried to write).
 */
async function walkThrough(makeStore: StoreFactory, level: LogLevel) {
  const dir = mkdtempSync(join(tmpdir(), 'shop-api-log-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'log.ndjson');
  const logger = createLogger({ name: 'shop-api', defaultLevel: level, env: {}, destination: file });
  let failNextInsert = false;
  const t = await createContext(
    async () => {
      const store = await makeStore();
      // The first user's id, reused: the INSERT fails on the primary key, in the driver, with all its values.
      const users = {
        ...store.users,
        create: async (user: Parameters<Store['users']['create']>[0]) => {
          if (!failNextInsert) return store.users.create(user);
          const [first] = (await store.users.list({ page: 1, limit: 1 })).items;
          return store.users.create({ ...user, id: first?.id ?? user.id });
        },
      };
      return { ...store, users };
    },
    { logger },
  );
  const secrets = new Set<string>([CUSTOMER.password, ADMIN.password, CUSTOMER.email, ADMIN.email, JWT_SECRET]);
  const keep = (...values: unknown[]) => values.forEach((value) => secrets.add(String(value)));

  const api = (...args: Parameters<typeof t.api>) => t.api(...args);
  await api('POST', '/api/v1/auth/register', { body: { ...ADMIN, name: 'Admin' } });
  const adminRow = await t.store.users.findByEmail(ADMIN.email);
  await t.store.users.update(adminRow!.id, { role: 'admin' }, new Date().toISOString());
  const adminLogin = (await api('POST', '/api/v1/auth/login', { body: ADMIN })).json;
  keep(adminLogin.accessToken, adminLogin.refreshToken, adminRow!.passwordHash);
  const admin = adminLogin.accessToken as string;

  const user = (await api('POST', '/api/v1/auth/register', { body: CUSTOMER })).json;
  keep((await t.store.users.findByEmail(CUSTOMER.email))!.passwordHash);
  await api('POST', '/api/v1/auth/login', { body: { email: CUSTOMER.email, password: 'wrong but long enough' } });
  await api('POST', '/api/v1/auth/login', {
    body: { email: 'nobody.secret@example.com', password: CUSTOMER.password },
  });
  keep('nobody.secret@example.com');
  const login = (
    await api('POST', '/api/v1/auth/login', { body: { email: CUSTOMER.email, password: CUSTOMER.password } })
  ).json;
  const refreshed = (await api('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } })).json;
  keep(login.accessToken, login.refreshToken, refreshed.accessToken, refreshed.refreshToken);
  keep(createHash('sha256').update(String(login.refreshToken)).digest('hex'));
  const token = refreshed.accessToken as string;
  await api('GET', '/api/v1/me', { token });
  await api('GET', '/api/v1/me', { token: login.accessToken });
  await api('GET', '/api/v1/me', { headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } });

  const product = (
    await api('POST', '/api/v1/products', {
      token: admin,
      body: { sku: 'LOG-1', name: 'Lamp', priceCents: 2500, stock: 3, category: 'home' },
    })
  ).json;
  await api('GET', '/api/v1/products?q=lamp');
  await api('GET', `/api/v1/products/${product.id}`);
  await t.addToCart(token, product.id as string, 1);
  await api('POST', '/api/v1/orders', {
    token,
    body: { note: 'leave at the door' },
    headers: { 'idempotency-key': 'k-1' },
  });
  await api('GET', '/api/v1/orders', { token });
  await api('PATCH', `/api/v1/admin/users/${user.id}`, { token: admin, body: { role: 'customer' } });
  await api('GET', '/api/v1/admin/users', { token: admin });
  await api('GET', '/api/v1/admin/activity', { token: admin });
  await api('POST', '/api/v1/auth/register', { body: { ...CUSTOMER, email: 'bad', name: 'x\u0000' } });
  failNextInsert = true;
  const second = { email: 'second.secret@example.com', password: 'another long secret', name: 'Second' };
  keep(second.email, second.password);
  const failed = await api('POST', '/api/v1/auth/register', { body: second });
  await api('POST', '/api/v1/auth/logout', { body: { refreshToken: refreshed.refreshToken } });
  await api('GET', '/api/v1/me', { token });

  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  return { lines, secrets: [...secrets], failed };
}

describe('logs hold no secrets and no personal data', () => {
  for (const level of ['trace', 'debug'] as const) {
    it(`at ${level} on SQLite`, async () => {
      const { lines, secrets, failed } = await walkThrough(sqliteStore, level);
      expect(failed.status).toBe(500);
      expect(lines.length).toBeGreaterThan(40);
      expect(lines.some((line) => line.includes('"msg":"request failed"'))).toBe(true);
      expect(secrets.filter((secret) => lines.some((line) => line.includes(secret)))).toEqual([]);
      expect(lines.filter((line) => /\$2[aby]\$\d\d\$/.test(line))).toEqual([]);
    });
  }
});

describe.skipIf(!postgres.available)('logs hold no secrets and no personal data, on PostgreSQL', () => {
  const pgStore = pgStoreFactory();
  it('at trace', async () => {
    const { lines, secrets, failed } = await walkThrough(pgStore, 'trace');
    expect(failed.status).toBe(500);
    expect(lines.some((line) => line.includes('"msg":"request failed"'))).toBe(true);
    expect(secrets.filter((secret) => lines.some((line) => line.includes(secret)))).toEqual([]);
    expect(lines.filter((line) => /\$2[aby]\$\d\d\$/.test(line))).toEqual([]);
  });
});

describe('safeError', () => {
  it('logs a failed query with its SQL and the number of values, not the values, in message and stack', async () => {
    const { DrizzleQueryError } = await import('drizzle-orm/errors');
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "users_email_unique"'), {
      code: '23505',
      constraint: 'users_email_unique',
      detail: 'Key (email)=(ann@example.com) already exists.',
    });
    const query = 'insert into "users" ("email", "password_hash") values ($1, $2)';
    const error = new DrizzleQueryError(query, ['ann@example.com', '$2b$12$abcdefghijklmnopqrstuv'], cause);
    const shown = safeError(error) as Record<string, unknown>;
    const message = `Failed query: ${query}\nparams: 2 value(s), not logged`;
    expect(shown).toMatchObject({
      type: 'DrizzleQueryError',
      message,
      cause: { type: 'Error', code: '23505', constraint: 'users_email_unique', message: cause.message },
    });
    expect(String(shown['stack'])).toMatch(/^Error: Failed query: .*\nparams: 2 value\(s\), not logged\n {4}at /);
    expect(JSON.stringify(shown)).not.toMatch(/ann@example\.com|\$2b\$/);
  });
});
