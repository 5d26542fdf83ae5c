import { UnavailableError } from '@quartet/core';
import { describe, expect, it } from 'vitest';
import { guardStore } from '../src/db/guard.js';
import { describeTarget } from '../src/db/open.js';
import { isUniqueViolation, translateError } from '@quartet/core/pg';
import { tsQuery } from '../src/db/pg/products.js';
import type { Store } from '../src/db/store.js';
import { decideClaim, type HeldKey } from '../src/domain/idempotency.js';
import { decideRotation } from '../src/domain/refresh-token.js';

const NOW = '2026-01-01T12:00:00.000Z';
const held = (over: Partial<HeldKey> = {}): HeldKey => ({
  fingerprint: 'f1',
  state: 'in_flight',
  responseStatus: null,
  responseBody: null,
  createdAt: '2026-01-01T11:59:59.000Z',
  expiresAt: '2026-01-02T12:00:00.000Z',
  ...over,
});
const claim = { fingerprint: 'f1', now: NOW, staleBefore: '2026-01-01T11:59:00.000Z' };

describe('decideClaim (both dialects decide idempotency claims with it)', () => {
  it.each([
    ['nothing held', undefined, { kind: 'insert' }],
    [
      'an expired key',
      held({ expiresAt: NOW, state: 'done', responseStatus: 201, responseBody: '{}' }),
      { kind: 'take_over' },
    ],
    ['another request body', held({ fingerprint: 'f2' }), { kind: 'mismatch' }],
    [
      'a finished key',
      held({ state: 'done', responseStatus: 409, responseBody: '{"a":1}' }),
      { kind: 'replay', status: 409, body: '{"a":1}' },
    ],
    ['a live claim', held(), { kind: 'in_flight' }],
    ['an abandoned claim', held({ createdAt: '2026-01-01T11:58:00.000Z' }), { kind: 'take_over' }],
  ])('%s', (_, key, expected) => {
    expect(decideClaim(key, claim)).toEqual(expected);
  });
});

describe('decideRotation', () => {
  const token = { expiresAt: '2026-02-01T00:00:00.000Z', usedAt: null, revokedAt: null };
  it.each([
    ['a fresh token', token, 'rotate'],
    ['an unknown token', undefined, 'invalid'],
    ['a revoked token, even if used', { ...token, usedAt: NOW, revokedAt: NOW }, 'invalid'],
    ['a used token (leaked)', { ...token, usedAt: NOW }, 'reuse'],
    ['an expired token', { ...token, expiresAt: NOW }, 'invalid'],
  ])('%s', (_, current, expected) => {
    expect(decideRotation(current, NOW)).toBe(expected);
  });
});

/** An error shaped like the ones pg and drizzle throw: a code, maybe wrapped in a cause. */
const pgError = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);

describe('PostgreSQL errors', () => {
  it.each([
    ['refused', pgError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' })],
    ['terminated backend', pgError('terminating connection due to administrator command', { code: '57P01' })],
    ['statement timeout', pgError('canceling statement due to statement timeout', { code: '57014' })],
    ['connection exception class 08', pgError('connection failure', { code: '08006' })],
    ['pool connect timeout', pgError('timeout exceeded when trying to connect')],
    ['socket closed', pgError('Connection terminated unexpectedly')],
    ['client read timeout', pgError('Query read timeout')],
    ['wrapped by drizzle', new Error('Failed query: select 1', { cause: pgError('x', { code: '57P01' }) })],
  ])('turns %s into UnavailableError DATABASE_UNAVAILABLE (503), keeping the cause', (_, error) => {
    const translated = translateError(error);
    expect(translated).toBeInstanceOf(UnavailableError);
    expect(translated).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: 'the database is not answering' });
    expect((translated as Error).cause).toBe(error);
  });

  it.each([
    ['a unique violation', pgError('duplicate key', { code: '23505', constraint: 'users_email_unique' })],
    ['a syntax error', pgError('syntax error at or near', { code: '42601' })],
    ['a bug', new TypeError('x is undefined')],
  ])('leaves %s alone', (_, error) => {
    expect(translateError(error)).toBe(error);
  });

  it('names the violated unique constraint, through drizzle’s wrapping', () => {
    const error = new Error('Failed query', {
      cause: pgError('dup', { code: '23505', constraint: 'products_sku_unique' }),
    });
    expect(isUniqueViolation(error, 'products_sku_unique')).toBe(true);
    expect(isUniqueViolation(error, 'users_email_unique')).toBe(false);
    expect(isUniqueViolation(pgError('other', { code: '23503' }), 'products_sku_unique')).toBe(false);
  });
});

describe('guardStore', () => {
  it('passes every repository method’s failure through the translation, and results through unchanged', async () => {
    const down = pgError('Connection terminated unexpectedly');
    const store = {
      dialect: 'test',
      ping: () => Promise.reject(down),
      users: { findById: (id: string) => Promise.resolve({ id }) },
      orders: { list: () => Promise.reject(down) },
      ...Object.fromEntries(
        ['tokens', 'products', 'carts', 'idempotency', 'activity', 'coupons', 'reports'].map((name) => [name, {}]),
      ),
    } as unknown as Store;
    const guarded = guardStore(store, translateError);
    expect(guarded.dialect).toBe('test');
    await expect(guarded.users.findById('u1')).resolves.toEqual({ id: 'u1' });
    await expect(guarded.ping()).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    await expect(guarded.orders.list({ page: 1, limit: 1 })).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('tsQuery', () => {
  it.each([
    ['blue sho', 'blue:* & sho:*'],
    ['Café  CRÈME', 'cafe:* & creme:*'],
    ['"OR AND NEAR( !:* &|', 'or:* & and:* & near:*'],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(tsQuery(input)).toBe(expected);
  });
});

describe('describeTarget', () => {
  it('shows the SQLite file, or the PostgreSQL URL without its password', () => {
    expect(describeTarget({ dialect: 'sqlite', file: '/d/shop.db' })).toBe('/d/shop.db');
    const pool = { size: 10, connectTimeoutMs: 1, statementTimeoutMs: 1 };
    expect(describeTarget({ dialect: 'postgres', url: 'postgres://shop:s3cret@db:5432/shop', pool })).toBe(
      'postgres://shop:***@db:5432/shop',
    );
  });
});
