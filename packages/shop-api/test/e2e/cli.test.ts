/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- response bodies are untyped JSON; the assertions are the type check. */
import { chmodSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/db/sqlite/store.js';
import { ADMIN_PASSWORD, call, runCli, startServer, tempShop } from './server.js';

describe('shop-api CLI', () => {
  it('migrates once, then has nothing to do', async () => {
    const shop = tempShop();
    const first = await runCli(['migrate'], shop.env);
    expect(first).toMatchObject({ code: 0, stdout: `${shop.db}: 6 migration(s) applied\n` });
    expect((await runCli(['migrate'], shop.env)).stdout).toBe(`${shop.db}: 0 migration(s) applied\n`);
  });

  it('creates the database private (directory 0700, file 0600) and tightens one that others can read, saying so', async () => {
    const shop = tempShop();
    const db = join(shop.dir, 'nested', 'shop.db');
    const env = { ...shop.env, SHOP_DB: db };
    expect(await runCli(['migrate'], env)).toMatchObject({ code: 0, stderr: '' });
    expect([statSync(dirname(db)).mode & 0o777, statSync(db).mode & 0o777]).toEqual([0o700, 0o600]);

    chmodSync(db, 0o644);
    const warning = 'shop-api: warning: shop.db was open to other users (mode 0644); changed it to 0600\n';
    expect(await runCli(['migrate'], env)).toEqual({
      code: 0,
      stdout: `${db}: 0 migration(s) applied\n`,
      stderr: warning,
    });
    expect(statSync(db).mode & 0o777).toBe(0o600);
    expect((await runCli(['seed'], env)).stderr).toBe('');
    chmodSync(db, 0o664);
    const seeded = await runCli(['seed'], env);
    expect(seeded.stderr).toBe('shop-api: warning: shop.db was open to other users (mode 0664); changed it to 0600\n');
    chmodSync(db, 0o640);
    const server = await startServer([], env);
    expect(server.stderrLines[0]).toBe(
      'shop-api: warning: shop.db was open to other users (mode 0640); changed it to 0600',
    );
    expect(await server.stop()).toBe(0);
  });

  it('takes the database from --db, then SHOP_DB, then the data directory', async () => {
    const shop = tempShop();
    const viaEnv = join(shop.dir, 'env.db');
    const viaFlag = join(shop.dir, 'flag.db');
    expect((await runCli(['migrate'], { ...shop.env, SHOP_DB: viaEnv })).stdout).toContain(viaEnv);
    expect((await runCli(['migrate', '--db', viaFlag], { ...shop.env, SHOP_DB: viaEnv })).stdout).toContain(viaFlag);
    expect(existsSync(viaEnv) && existsSync(viaFlag)).toBe(true);
  });

  it('seeds the demo catalog idempotently', async () => {
    const shop = tempShop();
    expect((await runCli(['seed'], shop.env)).stdout).toBe('seeded 50 new product(s); 0 already present\n');
    expect((await runCli(['seed'], shop.env)).stdout).toBe('seeded 0 new product(s); 50 already present\n');
    const store = openSqliteStore({ file: shop.db });
    try {
      const categories = await store.products.categories();
      expect(categories.map((c) => [c.name, c.productCount])).toEqual([
        ['books', 10],
        ['electronics', 10],
        ['home', 10],
        ['outdoor', 10],
        ['toys', 10],
      ]);
    } finally {
      await store.close();
    }
  });

  it('creates administrators from SHOP_ADMIN_PASSWORD or stdin, and promotes existing users', async () => {
    const shop = tempShop();
    const viaEnv = await runCli(['admin', 'create', 'Root@Example.com', '--name', 'Root'], {
      ...shop.env,
      SHOP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    expect(viaEnv.code).toBe(0);
    expect(viaEnv.stdout).toMatch(/^created administrator root@example\.com \([0-9a-f-]{36}\)\n$/);
    const viaStdin = await runCli(
      ['admin', 'create', 'ops@example.com', '--password-stdin'],
      shop.env,
      'stdin password 1\n',
    );
    expect(viaStdin.code).toBe(0);

    const server = await startServer([], shop.env);
    const login = await call(server.url, 'POST', '/api/v1/auth/login', {
      body: { email: 'ops@example.com', password: 'stdin password 1' },
    });
    expect(login.status).toBe(200);
    const me = await call(server.url, 'GET', '/api/v1/me', { token: login.json.accessToken });
    expect(me.json).toMatchObject({ email: 'ops@example.com', name: 'ops', role: 'admin' });

    const body = { email: 'cust@example.com', password: 'customer password', name: 'Cust' };
    const registered = await call(server.url, 'POST', '/api/v1/auth/register', { body });
    const promoted = await runCli(['admin', 'create', 'cust@example.com'], shop.env);
    expect(promoted.stdout).toBe(`promoted administrator cust@example.com (${registered.json.id})\n`);
    const token = (
      await call(server.url, 'POST', '/api/v1/auth/login', { body: { email: body.email, password: body.password } })
    ).json.accessToken as string;
    expect((await call(server.url, 'GET', '/api/v1/admin/stats', { token })).status).toBe(200);
  });

  it.each([
    [
      ['admin', 'create', 'weak@example.com', '--password-stdin'],
      'short\n',
      2,
      'shop-api: password must be at least 12 characters\n',
    ],
    [
      ['admin', 'create', 'weak@example.com', '--password-stdin'],
      'qwerty123456\n',
      2,
      'shop-api: password is too common: it appears in lists of breached passwords; choose another\n',
    ],
    [
      ['admin', 'create', 'nul@example.com', '--password-stdin'],
      'long enough\u0000pass\n',
      2,
      'shop-api: password must not contain the NUL character (U+0000)\n',
    ],
    [
      ['admin', 'create', 'evil@example.com', '--name', 'evil\u202etxt.exe', '--password-stdin'],
      'long enough pass\n',
      2,
      'shop-api: name must not contain control or bidirectional formatting characters (found U+202E)\n',
    ],
    [
      ['admin', 'create', 'not-an-email', '--password-stdin'],
      'long enough pass\n',
      2,
      'shop-api: email must be a valid address such as name@example.com\n',
    ],
    [['serve', '--port', '70000'], '', 2, 'shop-api: Too big: expected number to be <=65535\n'],
    [['serve', '--bogus'], '', 2, "error: unknown option '--bogus'\n"],
    [['bogus'], '', 2, "error: too many arguments for 'serve'. Expected 0 arguments but got 1.\n"],
    [
      ['serve', '--log-level', 'loud'],
      '',
      2,
      'shop-api: log level must be one of fatal, error, warn, info, debug, trace, silent\n',
    ],
    [
      ['migrate', '--db', 'x.db', '--database-url', 'postgres://h/db'],
      '',
      2,
      'shop-api: use either --db (SQLite) or --database-url (PostgreSQL), not both\n',
    ],
    [
      ['seed', '--database-url', 'mysql://h/db'],
      '',
      2,
      'shop-api: the database URL must look like postgres://user@host:5432/database\n',
    ],
  ])('fails cleanly: %j', async (args, input, code, stderr) => {
    const shop = tempShop();
    const r = await runCli(args, shop.env, input);
    expect(r).toMatchObject({ code, stderr, stdout: '' });
  });

  it('refuses a bad environment with a one-line error', async () => {
    const shop = tempShop();
    const r = await runCli(['migrate'], { ...shop.env, SHOP_BCRYPT_COST: '3' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('shop-api: SHOP_BCRYPT_COST: Too small: expected number to be >=4\n');
  });

  it('refuses a bad SHOP_TRUST_PROXY at start with a one-line error', async () => {
    const shop = tempShop();
    const r = await runCli(['serve', '--port', '0'], { ...shop.env, SHOP_TRUST_PROXY: '10.0.0.0/33' });
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'shop-api: SHOP_TRUST_PROXY: "10.0.0.0/33" is not an IP address, a CIDR range or loopback, linklocal, ' +
        'uniquelocal (use true, false, a hop count, or addresses and CIDR ranges separated by commas)\n',
    });
  });

  it('reports a port in use in one line', async () => {
    const shop = tempShop();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(['serve', '--port', String(port)], shop.env);
      expect(r.code).toBe(6);
      expect(r.stderr).toMatch(
        /^shop-api: cannot listen: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/,
      );
    } finally {
      blocker.close();
    }
  });

  it('generates the JWT secret once, mode 0600, and keeps using it across restarts', async () => {
    const shop = tempShop();
    const first = await startServer([], shop.env);
    const secretFile = join(shop.dir, 'jwt-secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);
    const body = { email: 'keep@example.com', password: 'keep me signed in', name: 'K' };
    await call(first.url, 'POST', '/api/v1/auth/register', { body });
    const token = (
      await call(first.url, 'POST', '/api/v1/auth/login', { body: { email: body.email, password: body.password } })
    ).json.accessToken as string;
    expect(await first.stop()).toBe(0);
    const second = await startServer([], shop.env);
    expect((await call(second.url, 'GET', '/api/v1/me', { token })).status).toBe(200);
    // A server with its own secret does not accept the token.
    const other = await startServer(['--db', shop.db], { ...shop.env, SHOP_JWT_SECRET: 'x'.repeat(32) });
    expect((await call(other.url, 'GET', '/api/v1/me', { token })).status).toBe(401);
  });

  it('finishes in-flight requests on SIGTERM, then closes the database and exits 0', async () => {
    const shop = tempShop();
    // bcrypt at cost 12 keeps the registration in flight long enough to signal during it.
    const server = await startServer([], { ...shop.env, SHOP_BCRYPT_COST: '12', LOG_LEVEL: 'info' });
    const incoming = server.onStderrLine((line) => line.includes('"url":"/api/v1/auth/register"'));
    const pending = call(server.url, 'POST', '/api/v1/auth/register', {
      body: { email: 'late@example.com', password: 'registered late', name: 'Late' },
    });
    await incoming;
    server.child.kill('SIGTERM');
    const response = await pending;
    expect(response.status).toBe(201);
    expect(await server.stop()).toBe(0);
    // The last connection closed cleanly: SQLite checkpointed and removed the WAL.
    expect(existsSync(`${shop.db}-wal`)).toBe(false);
    const store = openSqliteStore({ file: shop.db });
    try {
      expect((await store.users.findByEmail('late@example.com'))?.name).toBe('Late');
    } finally {
      await store.close();
    }
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
