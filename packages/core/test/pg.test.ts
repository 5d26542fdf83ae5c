import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../src/errors.js';
import {
  createPool,
  inTransaction,
  isUnavailable,
  isUniqueViolation,
  migratePg,
  sqlState,
  translateError,
} from '../src/pg.js';
import { serviceForTests, serviceUrl } from '../src/services.js';

const postgres = await serviceForTests('postgres');
if (!postgres.available) console.warn(`core PostgreSQL tests ${postgres.reason}`);

const MIGRATIONS = fileURLToPath(new URL('./fixtures/pg-migrations', import.meta.url));
const SETTINGS = { size: 4, connectTimeoutMs: 5000, statementTimeoutMs: 10_000 };

const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('telling an unreachable database from other failures', () => {
  it('knows connection failures by code, by SQLSTATE class 08 and 57P0x, and by message, also when wrapped', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', '08006', '08001', '57P01', '57014']) {
      expect([code, isUnavailable(withCode(code))]).toEqual([code, true]);
    }
    expect(isUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isUnavailable(new Error('query failed', { cause: withCode('ECONNREFUSED') }))).toBe(true);
    for (const code of ['23505', '40001', '42P01'])
      expect([code, isUnavailable(withCode(code))]).toEqual([code, false]);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
    expect(isUnavailable(undefined)).toBe(false);
  });

  it('turns only connection failures into UnavailableError, keeping the cause', () => {
    const refused = withCode('ECONNREFUSED');
    const translated = translateError(new Error('drizzle: query failed', { cause: refused }));
    expect(translated).toBeInstanceOf(UnavailableError);
    expect(translated).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: 'the database is not answering' });
    const unique = withCode('23505');
    expect(translateError(unique)).toBe(unique);
    const already = new UnavailableError('down', 'DATABASE_UNAVAILABLE');
    expect(translateError(already)).toBe(already);
  });

  it('reads the SQLSTATE and the violated unique constraint through wrappers', () => {
    const violation = Object.assign(withCode('23505'), { constraint: 'users_email_unique' });
    const wrapped = new Error('drizzle', { cause: violation });
    expect(sqlState(wrapped)).toBe('23505');
    expect(sqlState(new Error('no code'))).toBeUndefined();
    expect(isUniqueViolation(wrapped, 'users_email_unique')).toBe(true);
    expect(isUniqueViolation(wrapped, 'accounts_number_unique')).toBe(false);
    expect(isUniqueViolation(withCode('23503'), 'users_email_unique')).toBe(false);
  });

  it('a pool on a port that refuses connections fails the query as unavailable, not with a hang', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const pool = createPool(`postgres://postgres@127.0.0.1:${port}/test`, SETTINGS, 'core-test');
    try {
      const error: unknown = await pool.query('SELECT 1').catch((e: unknown) => e);
      expect(isUnavailable(error)).toBe(true);
      expect(translateError(error)).toBeInstanceOf(UnavailableError);
    } finally {
      await pool.end();
    }
  });
});

describe.skipIf(!postgres.available)('transactions and migrations on a real PostgreSQL', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function admin(text: string): Promise<void> {
    const client = new pg.Client({ connectionString: serviceUrl('postgres') });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  }

  /** A schema of its own, dropped afterwards, and a URL whose connections work in it. */
  async function schemaUrl(): Promise<string> {
    const schema = `quartet_core_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE SCHEMA ${schema}`);
    cleanups.push(() => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    const url = new URL(serviceUrl('postgres'));
    url.searchParams.set('options', `-c search_path=${schema}`);
    return url.href;
  }

  async function migratedPool() {
    const url = await schemaUrl();
    expect(
      await migratePg({ url, migrationsFolder: MIGRATIONS, connectTimeoutMs: 5000, applicationName: 'core-test' }),
    ).toBe(2);
    const pool = createPool(url, SETTINGS, 'core-test');
    cleanups.push(() => pool.end());
    return { url, pool };
  }

  const balances = async (pool: pg.Pool) =>
    (await pool.query<{ id: number; balance: string }>('SELECT id, balance FROM accounts ORDER BY id')).rows.map(
      (r) => [r.id, Number(r.balance)],
    );

  it('applies pending migrations once: 2, then 0; five connections migrating at once apply them once', async () => {
    const { url, pool } = await migratedPool();
    const options = { url, migrationsFolder: MIGRATIONS, connectTimeoutMs: 5000, applicationName: 'core-test' };
    expect(await migratePg(options)).toBe(0);
    expect(await balances(pool)).toEqual([
      [1, 100],
      [2, 100],
    ]);

    const fresh = await schemaUrl();
    const counts = await Promise.all(Array.from({ length: 5 }, () => migratePg({ ...options, url: fresh })));
    expect(counts.sort()).toEqual([0, 0, 0, 0, 2]);
    const freshPool = createPool(fresh, SETTINGS, 'core-test');
    cleanups.push(() => freshPool.end());
    // The seed row of 0000 was inserted once, not five times.
    expect(await balances(freshPool)).toEqual([
      [1, 100],
      [2, 100],
    ]);
  });

  it('a migration against an unreachable server is UnavailableError', async () => {
    const error: unknown = await migratePg({
      url: 'postgres://postgres@127.0.0.1:1/test',
      migrationsFolder: MIGRATIONS,
      connectTimeoutMs: 2000,
      applicationName: 'core-test',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
  });

  it('commits what fn did, and rolls all of it back when fn throws', async () => {
    const { pool } = await migratedPool();
    await inTransaction(pool, async (client) => {
      await client.query('UPDATE accounts SET balance = balance - 30 WHERE id = 1');
      await client.query('UPDATE accounts SET balance = balance + 30 WHERE id = 2');
    });
    const refused = await inTransaction(pool, async (client) => {
      await client.query('UPDATE accounts SET balance = balance - 50 WHERE id = 1');
      throw new Error('insufficient funds');
    }).catch((e: unknown) => (e as Error).message);
    expect(refused).toBe('insufficient funds');
    expect(await balances(pool)).toEqual([
      [1, 70],
      [2, 130],
    ]);
  });

  it('retries the deadlock victim: two opposite transfers that lock in opposite orders both commit', async () => {
    const { pool } = await migratedPool();
    let runs = 0;
    // Each holds its first row until the other has locked its own first row, so that PostgreSQL
    // must abort one of them (40P01); that one runs again and commits.
    let arrived = 0;
    let release: () => void = () => {};
    const bothLocked = new Promise<void>((resolve) => (release = resolve));
    const transfer = (from: number, to: number, amount: number) =>
      inTransaction(pool, async (client) => {
        runs++;
        await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
        if (++arrived === 2) release();
        await bothLocked;
        await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
      });
    await Promise.all([transfer(1, 2, 10), transfer(2, 1, 25)]);
    expect(runs).toBe(3);
    expect(await balances(pool)).toEqual([
      [1, 115],
      [2, 85],
    ]);
  });

  it('gives up after the attempts it was given, with the last error', async () => {
    const { pool } = await migratedPool();
    let runs = 0;
    const error: unknown = await inTransaction(
      pool,
      () => {
        runs++;
        return Promise.reject(withCode('40001', 'could not serialize access'));
      },
      { attempts: 2 },
    ).catch((e: unknown) => e);
    expect([runs, sqlState(error)]).toEqual([2, '40001']);
  });

  it('destroys a connection the server terminated instead of handing it back to the pool', async () => {
    const { pool } = await migratedPool();
    const error: unknown = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin(`SELECT pg_terminate_backend(${rows[0]!.pid})`);
      await client.query('UPDATE accounts SET balance = 0 WHERE id = 1');
    }).catch((e: unknown) => e);
    expect(isUnavailable(error)).toBe(true);
    // The pool opens a new connection for the next caller; nothing of the failed transaction stayed.
    expect(await balances(pool)).toEqual([
      [1, 100],
      [2, 100],
    ]);
    expect(pool.totalCount).toBe(1);
  });
});
