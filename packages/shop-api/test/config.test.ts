import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../src/config.js';
import { resolveJwtSecret } from '../src/jwt-secret.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shop-config-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('loadConfig', () => {
  it('has safe defaults: bcrypt cost 12, rate limit 10/min, database in the data directory', () => {
    const config = loadConfig({}, { SHOP_DATA_DIR: '/data/shop' });
    expect(config).toEqual({
      dataDir: '/data/shop',
      database: { dialect: 'sqlite', file: '/data/shop/shop.db' },
      jwtSecret: undefined,
      bcryptCost: 12,
      adminPassword: undefined,
      authRateLimit: 10,
      corsOrigins: '*',
      lowStockThreshold: 5,
      logLevel: 'info',
      trustProxy: false,
      redisUrl: undefined,
      amqpUrl: undefined,
      smtpUrl: undefined,
      mailFrom: 'Shop <orders@shop.localhost>',
      mailDir: '/data/shop/mail',
      metricsToken: undefined,
      mail: { retryBaseMs: 1000, maxAttempts: 5, pollMs: 1000, queuePrefix: 'shop' },
    });
  });

  it.each([
    ['true', true],
    ['FALSE', false],
    ['', false],
    ['1', 1],
    ['2', 2],
    ['127.0.0.1', ['127.0.0.1']],
    [' 10.0.0.0/8, 192.168.1.10 ,::1,fd00::/8 ', ['10.0.0.0/8', '192.168.1.10', '::1', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('reads SHOP_TRUST_PROXY=%j as %j', (value, expected) => {
    expect(loadConfig({}, { SHOP_DATA_DIR: '/d', SHOP_TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each([
    ['yes', '"yes" is not an IP address, a CIDR range or loopback, linklocal, uniquelocal'],
    ['0', 'a hop count must be at least 1'],
    ['10.0.0.0/33', '"10.0.0.0/33" is not an IP address, a CIDR range or loopback, linklocal, uniquelocal'],
    ['300.1.1.1', '"300.1.1.1" is not an IP address, a CIDR range or loopback, linklocal, uniquelocal'],
    ['10.0.0.1,,10.0.0.2', '"" is not an IP address, a CIDR range or loopback, linklocal, uniquelocal'],
  ])('refuses SHOP_TRUST_PROXY=%j', (value, message) => {
    expect(() => loadConfig({}, { SHOP_DATA_DIR: '/d', SHOP_TRUST_PROXY: value })).toThrow(
      `SHOP_TRUST_PROXY: ${message} (use true, false, a hop count, or addresses and CIDR ranges separated by commas)`,
    );
  });

  it('lets flags win over the environment', () => {
    const env = {
      SHOP_DATA_DIR: '/d',
      SHOP_DB: '/env.db',
      LOG_LEVEL: 'debug',
      SHOP_CORS_ORIGINS: 'https://a.example, https://b.example',
    };
    expect(loadConfig({}, env)).toMatchObject({
      database: { dialect: 'sqlite', file: '/env.db' },
      logLevel: 'debug',
      corsOrigins: ['https://a.example', 'https://b.example'],
    });
    expect(loadConfig({ db: '/flag.db', logLevel: 'warn' }, env)).toMatchObject({
      database: { dialect: 'sqlite', file: '/flag.db' },
      logLevel: 'warn',
    });
  });

  it('selects PostgreSQL with DATABASE_URL or --database-url, with the pool settings', () => {
    const env = { SHOP_DATA_DIR: '/d', DATABASE_URL: 'postgres://shop@db.internal:5432/shop' };
    expect(loadConfig({}, env).database).toEqual({
      dialect: 'postgres',
      url: 'postgres://shop@db.internal:5432/shop',
      pool: { size: 10, connectTimeoutMs: 5000, statementTimeoutMs: 15_000 },
    });
    const tuned = {
      ...env,
      SHOP_PG_POOL_SIZE: '25',
      SHOP_PG_CONNECT_TIMEOUT_MS: '800',
      SHOP_PG_STATEMENT_TIMEOUT_MS: '3000',
    };
    expect(loadConfig({ databaseUrl: 'postgresql://other/shop' }, tuned).database).toEqual({
      dialect: 'postgres',
      url: 'postgresql://other/shop',
      pool: { size: 25, connectTimeoutMs: 800, statementTimeoutMs: 3000 },
    });
    // --db is a flag, so it beats DATABASE_URL from the environment; an empty DATABASE_URL means unset.
    expect(loadConfig({ db: '/flag.db' }, env).database).toEqual({ dialect: 'sqlite', file: '/flag.db' });
    expect(loadConfig({}, { SHOP_DATA_DIR: '/d', DATABASE_URL: '' }).database.dialect).toBe('sqlite');
  });

  it.each([
    [
      { db: '/a.db', databaseUrl: 'postgres://h/db' },
      {},
      'use either --db (SQLite) or --database-url (PostgreSQL), not both',
    ],
    [{}, { DATABASE_URL: 'mysql://h/db' }, 'the database URL must look like postgres://user@host:5432/database'],
    [
      {},
      { DATABASE_URL: 'postgres://h/db', SHOP_PG_POOL_SIZE: '0' },
      'SHOP_PG_POOL_SIZE: Too small: expected number to be >=1',
    ],
  ])('refuses database flags %j with environment %j', (flags, env, message) => {
    expect(() => loadConfig(flags, { SHOP_DATA_DIR: '/d', ...env })).toThrow(message);
  });

  it.each([
    [{ SHOP_BCRYPT_COST: '32' }, 'SHOP_BCRYPT_COST: Too big: expected number to be <=31'],
    [{ SHOP_JWT_SECRET: 'short' }, 'SHOP_JWT_SECRET: SHOP_JWT_SECRET must be at least 32 characters'],
    [{ SHOP_AUTH_RATE_LIMIT: '0' }, 'SHOP_AUTH_RATE_LIMIT: Too small: expected number to be >=1'],
  ])('rejects %j', (env, message) => {
    expect(() => loadConfig({}, { SHOP_DATA_DIR: '/d', ...env })).toThrow(message);
  });
});

describe('resolveJwtSecret', () => {
  it('prefers the configured secret and writes nothing', () => {
    const dir = tempDir();
    expect(resolveJwtSecret('s'.repeat(32), dir)).toEqual({ secret: 's'.repeat(32), warnings: [] });
    expect(() => statSync(join(dir, 'jwt-secret'))).toThrow();
  });

  it('generates a random secret once, mode 0600, and reuses it', () => {
    const dir = join(tempDir(), 'nested');
    const { secret: first, warnings } = resolveJwtSecret(undefined, dir);
    expect(warnings).toEqual([]);
    expect(first).toMatch(/^[A-Za-z0-9_-]{64}$/);
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(resolveJwtSecret(undefined, dir)).toEqual({ secret: first, warnings: [] });
    expect(readFileSync(join(dir, 'jwt-secret'), 'utf8')).toBe(`${first}\n`);
    expect(resolveJwtSecret(undefined, tempDir()).secret).not.toBe(first);
  });

  it('refuses an empty secret file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'jwt-secret'), '\n');
    expect(() => resolveJwtSecret(undefined, dir)).toThrow('holds no usable secret');
  });

  it('makes a secret file that others can read private again, and says so', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'jwt-secret'), `${'k'.repeat(40)}\n`, { mode: 0o644 });
    chmodSync(join(dir, 'jwt-secret'), 0o644);
    expect(resolveJwtSecret(undefined, dir)).toEqual({
      secret: 'k'.repeat(40),
      warnings: ['warning: jwt-secret was open to other users (mode 0644); changed it to 0600'],
    });
    expect(statSync(join(dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });
});
