import type { SqliteConnection } from '@quartet/core';

/** Run a synchronous write in the next group commit; resolves once that commit is durable. */
export type WriteBatch = <T>(write: () => T) => Promise<T>;

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. With synchronous=FULL every COMMIT waits for an fsync, and a
 * disk does a few hundred to a few thousand of those per second: one
 * transaction per checkout caps checkouts at the disk's fsync rate. Writes
 * queued during one event-loop turn run together in ONE `BEGIN IMMEDIATE`
 * transaction, each in a savepoint of its own (nested better-sqlite3 and
 * drizzle transactions become savepoints), so a failing write rolls back alone
 * and the others still commit. Every caller hears back only after the shared
 * COMMIT, so nothing is acknowledged before it is durable; if the COMMIT (or
 * BEGIN) fails, every write of the batch fails with that error and none of
 * them persisted. The whole batch runs synchronously, so no other statement
 * on this connection ever sees its uncommitted state.
 */
export function createWriteBatch(sqlite: SqliteConnection): WriteBatch {
  let queue: Pending[] = [];

  function flush(): void {
    const batch = queue;
    queue = [];
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      sqlite
        .transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: sqlite.transaction(item.write)() });
            } catch (error) {
              // SQLite itself rolls the whole transaction back on a few errors (SQLITE_FULL, IOERR):
              // then the writes before this one are gone too, and the batch fails as a whole.
              if (!sqlite.inTransaction) throw error;
              outcomes.push({ ok: false, error });
            }
          }
        })
        .immediate();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  return <T>(write: () => T) =>
    new Promise<T>((resolve, reject) => {
      // setImmediate, not a microtask: requests whose bytes arrived in the same poll phase join this batch.
      if (queue.length === 0) setImmediate(flush);
      queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
    });
}
