import { Redis } from 'ioredis';
import type { CacheLookup, CatalogCache, RateCounter, SharedCache } from './catalog-cache.js';
import { LocalCopies } from './local-copies.js';

export interface RedisCacheOptions {
  /** Prepended to every key, so that deployments (and test files) sharing a Redis never meet. Default `shop:`. */
  prefix?: string;
  /** How long an entry lives: abandoned versions' entries expire instead of piling up. Default 5 minutes. */
  entryTtlMs?: number;
  /** How long a command may take before the request gives up on Redis and asks the database. Default 500 ms. */
  commandTimeoutMs?: number;
  /** Where the start and the end of an outage are logged (once each). */
  log: { warn: (message: string) => void; info: (message: string) => void };
}

export interface RedisCache extends SharedCache {
  close(): Promise<void>;
}

/** The rate limit's counter: one key per client and route, expiring with its window (as @fastify/rate-limit's). */
const RATE_LIMIT_LUA = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {current, tonumber(ARGV[1])}
end
return {current, redis.call('PTTL', KEYS[1])}`;

/**
 * The catalog cache and the rate limit counter on one Redis connection (the only module that knows ioredis).
 * A request never waits on a Redis that is away: no offline queue (commands fail at once while disconnected),
 * a short command timeout, one retry. ioredis reconnects by itself; until it has, and until this instance
 * has bumped the version after the outage, the catalog is read from the database.
 */
export function connectRedisCache(url: string, options: RedisCacheOptions): RedisCache {
  const prefix = options.prefix ?? 'shop:';
  const entryTtlMs = options.entryTtlMs ?? 5 * 60 * 1000;
  const client = new Redis(url, {
    enableOfflineQueue: false,
    enableAutoPipelining: true,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  const versionKey = `${prefix}catalog:version`;
  const entryKey = (key: string) => `${prefix}catalog:entry:${key}`;
  const copies = new LocalCopies();

  // The version fetch the waiting lookups share. It is sent after every request that joins it has
  // started, so it sees every write whose response was sent before any of them began. At most one is
  // in flight: lookups that start meanwhile join the next, sent when the current one answers, so one
  // GET serves all the requests that arrived during the previous round trip (a busy server's turns of
  // the event loop are shorter than a round trip to Redis).
  let waiting: VersionBatch | undefined;
  let inFlight = false;
  function sendVersionFetch(): void {
    const batch = waiting;
    waiting = undefined;
    if (batch === undefined) return;
    inFlight = true;
    void client
      .get(versionKey)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        inFlight = false;
        sendVersionFetch();
      });
  }
  function currentVersion(): Promise<string | null> {
    if (waiting !== undefined) return waiting.promise;
    let settle: Pick<VersionBatch, 'resolve' | 'reject'> | undefined;
    const promise = new Promise<string | null>((resolve, reject) => (settle = { resolve, reject }));
    waiting = { promise, ...settle! };
    // The lookups of this turn of the event loop join it before it is sent.
    if (!inFlight) setImmediate(sendVersionFetch);
    return promise;
  }

  // Usable: connected, and no write of this instance (nor one of another instance during an outage this
  // instance saw) can be missing from the version. After any failure the version is bumped before reuse.
  let usable = false;
  // True from the start: whatever changed while this instance was not running (a seed, a migration) is covered.
  let needsBump = true;
  let bumping = false;
  let outage = false;
  // Failures so far: a failure during a bump means the bump may not cover it.
  let failures = 0;
  let closing = false;

  function fail(error: unknown): void {
    usable = false;
    needsBump = true;
    failures += 1;
    if (outage || closing) return;
    outage = true;
    options.log.warn(`catalog cache: Redis is not answering (${messageOf(error)}); reading from the database`);
  }

  function recovered(): void {
    usable = true;
    if (!outage) return;
    outage = false;
    options.log.info('catalog cache: Redis is back');
  }

  /** Start the version if Redis has none, bump it if this instance may have missed a write, then use the cache. */
  function bump(): void {
    if (bumping || client.status !== 'ready') return;
    bumping = true;
    const seen = failures;
    // A new (or flushed) Redis starts at a number no entry of an earlier life can carry.
    const start = client.set(versionKey, String(Date.now()), 'NX');
    (needsBump ? start.then(() => client.incr(versionKey)) : start).then(
      () => {
        bumping = false;
        if (failures !== seen) return bump();
        needsBump = false;
        recovered();
      },
      (error: unknown) => {
        bumping = false;
        fail(error);
        // Still connected (a timeout): nothing else would try again before the next catalog read.
        setTimeout(bump, 1000).unref();
      },
    );
  }

  client.on('ready', bump);
  client.on('error', fail);
  client.on('close', () => fail(new Error('connection closed')));

  const catalog: CatalogCache = {
    async lookup(key: string): Promise<CacheLookup> {
      if (!usable) {
        bump();
        return { hit: false, version: undefined };
      }
      let version: string | null, entry: string | null;
      try {
        version = await currentVersion();
        if (version === null) entry = null;
        else {
          const copy = copies.get(key, version);
          if (copy !== undefined) return { hit: true, body: copy };
          entry = await client.get(entryKey(key));
        }
      } catch (error) {
        fail(error);
        return { hit: false, version: undefined };
      }
      if (version === null) {
        // A new (or flushed) Redis: start the version at a number no entry of an earlier life can carry.
        client.set(versionKey, String(Date.now()), 'NX').catch(fail);
        return { hit: false, version: undefined };
      }
      const tag = `${version}\n`;
      if (entry?.startsWith(tag)) {
        const body = entry.slice(tag.length);
        copies.set(key, version, body);
        return { hit: true, body };
      }
      return { hit: false, version };
    },

    keep(key: string, body: string, version: string): void {
      if (!usable) return;
      copies.set(key, version, body);
      client.set(entryKey(key), `${version}\n${body}`, 'PX', entryTtlMs).catch(fail);
    },

    async invalidate(): Promise<void> {
      try {
        await client.incr(versionKey);
      } catch (error) {
        // Entries of the old version would look current once Redis answers again: stop using them until a bump.
        fail(error);
      }
    },

    status() {
      if (!usable) bump();
      return usable ? 'ok' : 'down';
    },
  };

  client.defineCommand('shopRateLimit', { numberOfKeys: 1, lua: RATE_LIMIT_LUA });
  const rateLimitScript = client as unknown as {
    shopRateLimit(key: string, windowMs: number): Promise<[number, number]>;
  };
  const rateLimit: RateCounter = {
    async incr(key: string, windowMs: number) {
      const [current, ttl] = await rateLimitScript.shopRateLimit(`${prefix}ratelimit:${key}`, windowMs);
      return { current, ttl };
    },
  };

  return {
    catalog,
    rateLimit,
    async close() {
      closing = true;
      await client.quit().catch(() => client.disconnect());
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lookups waiting for one version fetch. */
interface VersionBatch {
  promise: Promise<string | null>;
  resolve: (version: string | null) => void;
  reject: (error: unknown) => void;
}
