import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { formatTable, type Table } from '../lib/report.js';
import { freePort, startServer } from '../lib/server.js';
import { median } from '../lib/stats.js';
import type { SuiteContext } from '../lib/suite.js';
import { api } from './http.js';

/**
 * The admin sales reports at 100,000 orders (with about 200,000 lines) over 2025, on SQLite and on
 * PostgreSQL: the rows are written with bulk SQL straight into a migrated database, then each report
 * is asked for over HTTP from `shop-api serve`, and the median of several runs is kept.
 * Run alone: `tsc -b bench && node bench/dist/shop/reports.js [--quick]`.
 */
const ORDERS = 100_000;
const USERS = 2_000;
const PRODUCTS = 200;
const YEAR_START = Date.UTC(2025, 0, 1) / 1000;
const STEP_SECONDS = (365 * 86_400) / ORDERS;
const PASSWORD = 'bench admin password';

const REPORTS: Record<string, string> = {
  'sales by day, 2025': '/api/v1/admin/reports/sales?from=2025-01-01&to=2025-12-31&groupBy=day',
  'sales by week, 2025': '/api/v1/admin/reports/sales?from=2025-01-01&to=2025-12-31&groupBy=week',
  'sales by month, 2025': '/api/v1/admin/reports/sales?from=2025-01-01&to=2025-12-31&groupBy=month',
  'sales by day, one month': '/api/v1/admin/reports/sales?from=2025-06-01&to=2025-06-30&groupBy=day',
  'top products, 2025': '/api/v1/admin/reports/top-products?from=2025-01-01&to=2025-12-31&limit=10',
  'customers, 2025': '/api/v1/admin/reports/customers?from=2025-01-01&to=2025-12-31',
  'customers, one month': '/api/v1/admin/reports/customers?from=2025-06-01&to=2025-06-30',
};

/** Milliseconds per report (median), per database; a database that is not reachable is left out. */
export async function reportsBench(ctx: SuiteContext): Promise<{ table: Table; data: Record<string, unknown> }> {
  const runs = ctx.quick ? 3 : 9;
  const results: Record<string, Record<string, number>> = {};
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bench-reports-'));
  const notes: string[] = [];
  try {
    const file = join(dir, 'shop.db');
    ctx.log(`  reports: seeding ${ORDERS} orders into SQLite`);
    results['SQLite'] = await timeReports(ctx, { SHOP_DATA_DIR: dir, SHOP_DB: file }, () => seedSqlite(file), runs);
    const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
    const schema = `bench_reports_${randomBytes(4).toString('hex')}`;
    try {
      psql(url, `CREATE SCHEMA ${schema}`);
    } catch (error) {
      notes.push(`PostgreSQL left out: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    if (notes.length === 0) {
      try {
        const schemaUrl = new URL(url);
        schemaUrl.searchParams.set('options', `-c search_path=${schema}`);
        ctx.log(`  reports: seeding ${ORDERS} orders into PostgreSQL`);
        const env = { SHOP_DATA_DIR: dir, DATABASE_URL: schemaUrl.href };
        const seed = () => psql(url, `SET search_path TO ${schema};\n${PG_SEED}`);
        results['PostgreSQL'] = await timeReports(ctx, env, seed, runs);
      } finally {
        psql(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const databases = Object.keys(results);
  return {
    table: {
      title: `shop-api admin reports at ${ORDERS.toLocaleString('en-US')} orders (HTTP, median of ${runs} runs, ms)`,
      columns: ['report', ...databases],
      rows: Object.keys(REPORTS).map((report) => [report, ...databases.map((db) => results[db]?.[report] ?? NaN)]),
      notes: [
        `${ORDERS} orders over 2025 (10% cancelled, 20% discounted), 1-3 lines each, ${USERS} customers, ` +
          `${PRODUCTS} products; written with bulk SQL into a migrated database. Each figure includes the HTTP ` +
          'round trip and JSON serialization.',
        ...notes,
      ],
    },
    data: { orders: ORDERS, runs, ms: results },
  };
}

async function timeReports(
  ctx: SuiteContext,
  dbEnv: Record<string, string>,
  seed: () => void,
  runs: number,
): Promise<Record<string, number>> {
  const cli = join(ctx.root, 'packages/shop-api/dist/cli.js');
  // Only the database chosen here: an inherited DATABASE_URL would otherwise select PostgreSQL.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const env = {
    ...inherited,
    ...dbEnv,
    SHOP_JWT_SECRET: 'bench-secret-bench-secret-bench-secret-1234',
    SHOP_BCRYPT_COST: '4',
    SHOP_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'warn',
  };
  execFileSync(process.execPath, [cli, 'migrate'], { env, stdio: 'ignore' });
  const started = performance.now();
  seed();
  ctx.log(`  reports: seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  execFileSync(process.execPath, [cli, 'admin', 'create', 'admin@bench.local'], { env, stdio: 'ignore' });
  const port = await freePort();
  const server = await startServer('shop-api', process.execPath, [cli, 'serve', '--port', String(port)], port, env);
  const base = `http://127.0.0.1:${port}`;
  try {
    const { accessToken } = await api<{ accessToken: string }>(base, 'POST', '/api/v1/auth/login', {
      email: 'admin@bench.local',
      password: PASSWORD,
    });
    const ms: Record<string, number> = {};
    for (const [report, path] of Object.entries(REPORTS)) {
      const times: number[] = [];
      for (let run = 0; run <= runs; run++) {
        const t0 = performance.now();
        await api(base, 'GET', path, undefined, accessToken);
        // The first run warms the statement caches and the pages; it is not counted.
        if (run > 0) times.push(performance.now() - t0);
      }
      ms[report] = median(times);
      ctx.log(`  ${report}: ${ms[report].toFixed(1)} ms`);
    }
    return ms;
  } finally {
    await server.stop();
  }
}

// Prices: 100 + 7p cents for product p; order i has 1 + i % 3 lines, of products (i + 37k) % 200
// (distinct), quantity 1 + (i + k) % 4. Every 10th order is cancelled, every 5th has 10% off.
const uuid = (group: string, n: string) => `'00000000-0000-4000-${group}-' || ${n}`;

export function seedSqlite(file: string): void {
  const db = new Database(file);
  try {
    const pad = (n: string) => `printf('%012d', ${n})`;
    const time = (seconds: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')`;
    const series = (n: number) => `WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${n - 1})`;
    db.exec('BEGIN');
    db.exec(`${series(USERS)} INSERT INTO users (id, email, name, password_hash, role, active, created_at, updated_at)
      SELECT ${uuid('a000', pad('i'))}, 'c' || i || '@bench.local', 'Customer ' || i, 'x', 'customer', 1,
        ${time(`${YEAR_START - 365 * 86_400} + i * 31536`)}, ${time(`${YEAR_START - 365 * 86_400} + i * 31536`)} FROM s`);
    db.exec(`${series(PRODUCTS)} INSERT INTO products (id, sku, name, description, price_cents, currency, stock,
        category, active, created_at, updated_at)
      SELECT ${uuid('b000', pad('i'))}, 'SKU-' || i, 'Product ' || i, '', 100 + 7 * i, 'USD', 1000, 'bench', 1,
        '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z' FROM s`);
    db.exec(`${series(ORDERS)} INSERT INTO orders (id, user_id, status, currency, total_cents, subtotal_cents,
        discount_cents, created_at, updated_at)
      SELECT ${uuid('8000', pad('i'))}, ${uuid('a000', pad(`i % ${USERS}`))},
        CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'delivered' END, 'USD', 0, 0, 0,
        ${time(`${YEAR_START} + i * ${STEP_SECONDS}`)}, ${time(`${YEAR_START} + i * ${STEP_SECONDS}`)} FROM s`);
    db.exec(`${series(ORDERS)}, k(k) AS (VALUES (1), (2), (3))
      INSERT INTO order_items (order_id, product_id, sku, name, quantity, price_at_purchase_cents)
      SELECT ${uuid('8000', pad('i'))}, ${uuid('b000', pad(`(i + 37 * k) % ${PRODUCTS}`))},
        'SKU-' || ((i + 37 * k) % ${PRODUCTS}), 'Product ' || ((i + 37 * k) % ${PRODUCTS}),
        1 + (i + k) % 4, 100 + 7 * ((i + 37 * k) % ${PRODUCTS})
      FROM s JOIN k ON k.k <= 1 + i % 3`);
    db.exec(`UPDATE orders SET subtotal_cents = (SELECT sum(quantity * price_at_purchase_cents) FROM order_items
      WHERE order_id = orders.id)`);
    db.exec(`UPDATE orders SET discount_cents = CASE WHEN CAST(substr(id, 25) AS INTEGER) % 5 = 0
      THEN subtotal_cents / 10 ELSE 0 END`);
    db.exec('UPDATE orders SET total_cents = subtotal_cents - discount_cents');
    db.exec('COMMIT');
    db.exec('ANALYZE');
  } finally {
    db.close();
  }
}

const pgPad = (n: string) => `lpad((${n})::text, 12, '0')`;
const pgTime = (seconds: string) =>
  `to_char(to_timestamp(${seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
export const PG_SEED = `
BEGIN;
INSERT INTO users (id, email, name, password_hash, role, active, created_at, updated_at)
  SELECT ${uuid('a000', pgPad('i'))}, 'c' || i || '@bench.local', 'Customer ' || i, 'x', 'customer', true,
    ${pgTime(`${YEAR_START - 365 * 86_400} + i * 31536`)}, ${pgTime(`${YEAR_START - 365 * 86_400} + i * 31536`)}
  FROM generate_series(0, ${USERS - 1}) AS i;
INSERT INTO products (id, sku, name, description, price_cents, currency, stock, category, active, created_at, updated_at)
  SELECT ${uuid('b000', pgPad('i'))}, 'SKU-' || i, 'Product ' || i, '', 100 + 7 * i, 'USD', 1000, 'bench', true,
    '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z'
  FROM generate_series(0, ${PRODUCTS - 1}) AS i;
INSERT INTO orders (id, user_id, status, currency, total_cents, subtotal_cents, discount_cents, created_at, updated_at)
  SELECT ${uuid('8000', pgPad('i'))}, ${uuid('a000', pgPad(`i % ${USERS}`))},
    CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'delivered' END, 'USD', 0, 0, 0,
    ${pgTime(`${YEAR_START} + i * ${STEP_SECONDS}`)}, ${pgTime(`${YEAR_START} + i * ${STEP_SECONDS}`)}
  FROM generate_series(0, ${ORDERS - 1}) AS i;
INSERT INTO order_items (order_id, product_id, sku, name, quantity, price_at_purchase_cents)
  SELECT ${uuid('8000', pgPad('i'))}, ${uuid('b000', pgPad(`(i + 37 * k) % ${PRODUCTS}`))},
    'SKU-' || ((i + 37 * k) % ${PRODUCTS}), 'Product ' || ((i + 37 * k) % ${PRODUCTS}),
    1 + (i + k) % 4, 100 + 7 * ((i + 37 * k) % ${PRODUCTS})
  FROM generate_series(0, ${ORDERS - 1}) AS i JOIN generate_series(1, 3) AS k ON k <= 1 + i % 3;
UPDATE orders o SET subtotal_cents = s.sum, discount_cents = CASE WHEN right(o.id, 12)::bigint % 5 = 0
    THEN div(s.sum, 10) ELSE 0 END
  FROM (SELECT order_id, sum(quantity * price_at_purchase_cents) AS sum FROM order_items GROUP BY order_id) s
  WHERE s.order_id = o.id;
UPDATE orders SET total_cents = subtotal_cents - discount_cents;
COMMIT;
VACUUM ANALYZE users, products, orders, order_items;
`;

function psql(url: string, script: string): void {
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url], {
    input: script,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
  const quick = process.argv.includes('--quick');
  const { table } = await reportsBench({ root, quick, log: (line) => console.log(line) });
  console.log('\n' + formatTable(table));
}
