/**
 * A cache of serialized catalog answers shared by every instance (Redis, see redis.ts), kept
 * correct by a version number: every write that changes what the catalog shows bumps it after
 * it commits and before its response is sent, and an entry is served only while it carries the
 * current version. Reading the version and the entry in one round trip means that a read which
 * starts after a write's response never sees an answer computed before that write.
 */
export interface CatalogCache {
  /** The entry for `key` if it was computed at the current version; otherwise the version to keep a new one at. */
  lookup(key: string): Promise<CacheLookup>;
  /** Keep `body` for `key`, computed from the database after `version` was read. Fire and forget. */
  keep(key: string, body: string, version: string): void;
  /** A write committed: no entry computed before it may be served again. */
  invalidate(): Promise<void>;
  /** 'down' while the cache is not used (unreachable, or not yet bumped after an outage). */
  status(): 'ok' | 'down';
}

/** A hit's body; a miss's version (none when the cache is not usable now: compute and keep nothing). */
export type CacheLookup = { hit: true; body: string } | { hit: false; version: string | undefined };

/** What a write needs of the cache: the invalidation, and nothing when there is no cache. */
export type CatalogInvalidation = Pick<CatalogCache, 'invalidate'>;

/** Counts requests per key across instances, for the login and registration rate limit. */
export interface RateCounter {
  /** The count in the window after this request, and the milliseconds left in the window. Rejects when unreachable. */
  incr(key: string, windowMs: number): Promise<{ current: number; ttl: number }>;
}

/** The state the instances of one deployment share (serve.ts builds it from SHOP_REDIS_URL). */
export interface SharedCache {
  catalog: CatalogCache;
  rateLimit: RateCounter;
}
