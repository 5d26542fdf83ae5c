import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, startServer } from '../lib/server.js';
import type { SuiteContext } from '../lib/suite.js';
import { api } from './http.js';
import { load, pairedLoad, type Load, type ReadPair } from './load.js';

/** The catalog paths of the shop suite, by label, for a server whose first listed product is `first`. */
export type CatalogPaths = (first: { id: string; name: string }) => Record<string, string>;

export type RedisReads = { reads: Record<string, ReadPair> } | { skipped: string };

/**
 * The same catalog reads against shop-api on PostgreSQL with the Redis cache on (SHOP_REDIS_URL), in a
 * schema of its own (created with psql, dropped afterwards). $DATABASE_URL and $REDIS_URL say where the
 * services are (defaults: the local ones); when either does not answer, the row is skipped with the reason.
 * Each request is measured on the bare server (`bare`) right after shop-api (pairedLoad), so that the
 * ratio compares adjacent runs rather than runs minutes apart on a machine whose speed drifts.
 */
export async function redisReads(
  ctx: SuiteContext,
  options: {
    cli: string;
    env: NodeJS.ProcessEnv;
    seconds: number;
    rounds: number;
    paths: CatalogPaths;
    /** The bare server's figures for the request with this label, measured when called. */
    bare: (label: string) => Promise<Load>;
  },
): Promise<RedisReads> {
  const database = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const redis = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const schema = `quartet_bench_${randomBytes(4).toString('hex')}`;
  const psql = (sql: string) => execFileSync('psql', [database, '-qc', sql], { stdio: 'pipe' });
  try {
    psql(`CREATE SCHEMA ${schema}`);
  } catch (error) {
    return { skipped: `PostgreSQL not reachable with psql (${(error as Error).message.split('\n')[0]})` };
  }
  try {
    const url = new URL(database);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const env = { ...options.env, DATABASE_URL: url.href, SHOP_REDIS_URL: redis };
    for (const args of [['migrate'], ['seed']]) {
      execFileSync(process.execPath, [options.cli, ...args], { env, stdio: 'ignore' });
    }
    const port = await freePort();
    const shop = await startServer(
      'shop-api (PostgreSQL, Redis cache)',
      process.execPath,
      [options.cli, 'serve', '--port', String(port), '--log-level', 'warn'],
      port,
      env,
    );
    const base = `http://127.0.0.1:${port}`;
    try {
      // The instance connects to Redis and bumps the version before it uses the cache.
      let health: { cache?: string } = {};
      for (let i = 0; i < 100 && health.cache !== 'ok'; i++) {
        if (i > 0) await sleep(50);
        health = await api<{ cache?: string }>(base, 'GET', '/health');
      }
      if (health.cache !== 'ok') return { skipped: `the Redis cache is ${health.cache ?? 'not configured'}` };
      const list = await api<{ items: { id: string; name: string }[] }>(base, 'GET', '/api/v1/products?limit=20');
      const first = list.items[0];
      if (!first) throw new Error('the seeded catalog is empty');
      const reads: Record<string, ReadPair> = {};
      for (const [label, path] of Object.entries(options.paths(first))) {
        ctx.log(`  ${label} (PostgreSQL, Redis cache)`);
        await fetch(base + path).then((r) => r.text()); // the miss that fills the entry
        const ours = () => load(base + path, options.seconds, shop.child.pid);
        reads[label] = await pairedLoad(ours, () => options.bare(label), options.rounds);
      }
      return { reads };
    } finally {
      await shop.stop();
    }
  } finally {
    psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}
