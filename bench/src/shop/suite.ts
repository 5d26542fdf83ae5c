import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SuiteResult } from '../lib/report.js';
import { freePort, startServer } from '../lib/server.js';
import type { SuiteContext } from '../lib/suite.js';
import { api, pool } from './http.js';
import { reportsBench } from './reports.js';
import { cpuCell, load, pairedLoad, share, type ReadPair } from './load.js';
import { redisReads, type RedisReads } from './redis-reads.js';

/**
 * shop-api catalog reads under load beside a bare Fastify server that sends
 * the same bodies from memory (the framework's ceiling on this machine),
 * then checkouts per second on SQLite.
 */
export async function shopSuite(ctx: SuiteContext): Promise<SuiteResult> {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bench-shop-'));
  const cli = join(ctx.root, 'packages/shop-api/dist/cli.js');
  // Always SQLite here: an inherited DATABASE_URL would silently select PostgreSQL.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = {
    ...inherited,
    SHOP_DATA_DIR: dir,
    SHOP_DB: join(dir, 'shop.db'),
    SHOP_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234',
    SHOP_BCRYPT_COST: '4', // setup registers thousands of users; hashing cost is not what is measured
    SHOP_AUTH_RATE_LIMIT: '100000000',
    SHOP_ADMIN_PASSWORD: 'bench admin password',
    LOG_LEVEL: 'warn',
  };
  // Three rounds of 4 s per request and server, the median kept (pairedLoad); one of 2 s when quick.
  const [rounds, seconds] = ctx.quick ? [1, 2] : [3, 4];
  try {
    execFileSync(process.execPath, [cli, 'seed'], { env, stdio: 'ignore' });
    execFileSync(process.execPath, [cli, 'admin', 'create', 'admin@bench.local', '--name', 'Admin'], {
      env,
      stdio: 'ignore',
    });
    const port = await freePort();
    const shop = await startServer(
      'shop-api',
      process.execPath,
      [cli, 'serve', '--port', String(port), '--log-level', 'warn'],
      port,
      env,
    );
    const base = `http://127.0.0.1:${port}`;
    const rows: (string | number)[][] = [];
    const reads: Record<string, ReadPair> = {};
    let cached: RedisReads = { skipped: 'not run' };
    let checkout: { orders: number; seconds: number; perSec: number };
    try {
      const list = await api<{ items: { id: string; name: string }[] }>(base, 'GET', '/api/v1/products?limit=20');
      const first = list.items[0];
      if (!first) throw new Error('the seeded catalog is empty');
      const paths = catalogPaths(first);
      const bodies: Record<string, string> = {};
      for (const path of Object.values(paths)) bodies[path] = await (await fetch(base + path)).text();
      const bodiesFile = join(dir, 'bodies.json');
      writeFileSync(bodiesFile, JSON.stringify(bodies));
      const barePort = await freePort();
      const bare = await startServer(
        'bare fastify',
        process.execPath,
        [join(ctx.root, 'bench/dist/shop/bare-server.js'), String(barePort), bodiesFile],
        barePort,
      );
      const bareLoad = (label: string) => load(`http://127.0.0.1:${barePort}${paths[label]!}`, seconds, bare.child.pid);
      try {
        for (const [label, path] of Object.entries(paths)) {
          ctx.log(`  ${label}`);
          const ours = () => load(base + path, seconds, shop.child.pid);
          const pair = await pairedLoad(ours, () => bareLoad(label), rounds);
          reads[label] = pair;
          rows.push(ratioRow(label, pair));
        }
        // The same requests on PostgreSQL with the Redis cache on, each followed by the bare server again.
        // Same search word; the product id is the PostgreSQL catalog's own.
        cached = await redisReads(ctx, {
          cli,
          env,
          seconds,
          rounds,
          paths: (own) => catalogPaths({ id: own.id, name: first.name }),
          bare: bareLoad,
        });
        if ('reads' in cached) {
          for (const [label, pair] of Object.entries(cached.reads)) {
            rows.push(ratioRow(`${label} (PostgreSQL, Redis cache on)`, pair));
          }
        }
      } finally {
        await bare.stop();
      }
      checkout = await checkouts(base, ctx.quick ? 200 : 2000, ctx);
    } finally {
      await shop.stop();
    }
    const reports = await reportsBench(ctx);
    const worst = Math.min(...Object.values(reads).map(share));
    const cachedWorst = 'reads' in cached ? Math.min(...Object.values(cached.reads).map(share)) : undefined;
    return {
      tool: 'shop-api',
      tables: [
        {
          title: `shop-api catalog reads vs bare Fastify (autocannon, 50 connections, ${seconds} s each, median of ${rounds} paired rounds)`,
          columns: [
            'request',
            'shop-api req/s',
            'p99 ms',
            'bare Fastify req/s',
            'p99 ms',
            'share of ceiling',
            'shop-api CPU µs/req',
            'bare CPU µs/req',
          ],
          rows,
          notes: [
            'reads' in cached
              ? 'Rows marked "Redis cache on": the same requests to shop-api on PostgreSQL with SHOP_REDIS_URL set ' +
                '(X-Cache: HIT after one miss), each followed at once by the bare server again.'
              : `No "Redis cache on" rows: ${cached.skipped}.`,
            "CPU µs/req: the server process's user + system time over the run (/proc/<pid>/stat) divided by the " +
              'requests it answered; steadier than req/s on a shared machine.',
          ],
        },
        {
          title: 'shop-api checkout on SQLite (synchronous=FULL)',
          columns: ['orders', 'seconds', 'orders/s'],
          rows: [[checkout.orders, checkout.seconds, checkout.perSec]],
          notes: ['Each order: a fresh user with one cart line; 32 checkouts in flight; POST /api/v1/orders.'],
        },
        reports.table,
      ],
      data: { reads, checkout, redisCache: cached, reports: reports.data },
      targets: [
        {
          what: 'catalog reads, worst endpoint',
          value: `${Math.round(worst * 100)}% of ceiling`,
          target: '≥ 60%',
          met: worst >= 0.6,
        },
        ...(cachedWorst === undefined
          ? []
          : [
              {
                what: 'catalog reads, Redis cache on (PostgreSQL store), worst endpoint',
                value: `${Math.round(cachedWorst * 100)}% of ceiling`,
                target: '≥ 60%',
                met: cachedWorst >= 0.6,
              },
            ]),
        {
          what: 'checkout on SQLite',
          value: `${Math.round(checkout.perSec)} orders/s`,
          target: '≥ 1000 orders/s',
          met: checkout.perSec >= 1000,
        },
      ],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A table row: both servers' figures side by side, and the share. */
function ratioRow(label: string, { ours, bare }: ReadPair): (string | number)[] {
  return [
    label,
    ours.reqPerSec,
    ours.p99Ms,
    bare.reqPerSec,
    bare.p99Ms,
    `${Math.round(100 * share({ ours, bare }))}%`,
    cpuCell(ours.cpuMicrosPerRequest),
    cpuCell(bare.cpuMicrosPerRequest),
  ];
}

/** The benchmarked catalog reads, by label, on a server whose first listed product is `first`. */
function catalogPaths(first: { id: string; name: string }): Record<string, string> {
  const word = first.name.split(' ')[0]!.toLowerCase();
  return {
    'GET /products?limit=20': '/api/v1/products?limit=20',
    [`GET /products?q=${word}`]: `/api/v1/products?q=${encodeURIComponent(word)}`,
    'GET /products/:id': `/api/v1/products/${first.id}`,
  };
}

async function checkouts(base: string, count: number, ctx: SuiteContext) {
  ctx.log(`  checkout: preparing ${count} users with a cart line`);
  const admin = await api<{ accessToken: string }>(base, 'POST', '/api/v1/auth/login', {
    email: 'admin@bench.local',
    password: 'bench admin password',
  });
  const sku = `BENCH-${Date.now()}`;
  const product = await api<{ id: string }>(
    base,
    'POST',
    '/api/v1/products',
    {
      sku,
      name: 'Bench Widget',
      description: 'for checkout load',
      priceCents: 100,
      stock: 10_000_000,
      category: 'bench',
    },
    admin.accessToken,
  );
  const run = Math.random().toString(36).slice(2, 8);
  const tokens = await pool(
    Array.from({ length: count }, (_, i) => i),
    16,
    async (i) => {
      const email = `u${run}${i}@bench.local`;
      const password = 'bench user password';
      await api(base, 'POST', '/api/v1/auth/register', { email, password, name: `User ${i}` });
      const { accessToken } = await api<{ accessToken: string }>(base, 'POST', '/api/v1/auth/login', {
        email,
        password,
      });
      await api(base, 'POST', '/api/v1/cart/items', { productId: product.id, quantity: 1 }, accessToken);
      return accessToken;
    },
  );
  ctx.log(`  checkout: ${count} orders`);
  const started = performance.now();
  await pool(tokens, 32, (token) => api(base, 'POST', '/api/v1/orders', {}, token));
  const seconds = (performance.now() - started) / 1000;
  return { orders: count, seconds, perSec: count / seconds };
}
