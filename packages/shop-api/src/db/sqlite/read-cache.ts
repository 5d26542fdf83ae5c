import type { SqliteConnection } from '@quartet/core';

/** `cached(key, read)`: the result of `read()` for `key`, reused while the database has not changed. */
export type ReadCache = <T>(key: string, read: () => T) => T;

/**
 * Catalog reads are most of the traffic and change rarely, so their results
 * are kept until ANY write to the database: a write by this connection moves
 * `total_changes()`, a commit by any other connection or process moves
 * `PRAGMA data_version`, and either empties the cache. Checking both costs two
 * tiny statements instead of the catalog query and its count. Answers are
 * therefore exactly what the query would return at that moment. Reads inside
 * an open transaction bypass the cache (a rollback would not move the counters
 * back). Cached values are frozen: callers share them.
 */
export function createReadCache(sqlite: SqliteConnection, maxEntries = 1000): ReadCache {
  const ownChanges = sqlite.prepare<[], number>('SELECT total_changes()').pluck();
  const otherCommits = sqlite.prepare<[], number>('PRAGMA data_version').pluck();
  const entries = new Map<string, unknown>();
  let seenOwn = -1;
  let seenOther = -1;

  return <T>(key: string, read: () => T): T => {
    if (sqlite.inTransaction) return read();
    const own = ownChanges.get()!;
    const other = otherCommits.get()!;
    if (own !== seenOwn || other !== seenOther) {
      entries.clear();
      seenOwn = own;
      seenOther = other;
    }
    if (entries.has(key)) return entries.get(key) as T;
    const value = deepFreeze(read());
    // Keys include what shoppers type; bound the memory by starting over rather than tracking recency.
    if (entries.size >= maxEntries) entries.clear();
    entries.set(key, value);
    return value;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
