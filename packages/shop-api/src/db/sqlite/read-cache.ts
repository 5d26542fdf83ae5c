import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SqliteConnection } from '@quartet/core';
import type { ReadMemo } from '../store.js';

export interface ReadCache extends ReadMemo {
  /** The result of `read()` for `key`, reused while the database has not changed. */
  read<T>(key: string, read: () => T): T;
  /** How it learns of commits by other connections and processes (see commitsByOthers). */
  readonly watching: 'wal-index' | 'data_version';
  /** Let go of the file it watches (the store closes it with the connection). */
  close(): void;
}

export interface ReadCacheLimits {
  /** Entries of either kind before the cache starts over. */
  maxEntries?: number;
  /** Bytes of kept serialized values before the cache starts over. */
  maxBytes?: number;
}

/**
 * Catalog reads are most of the traffic and change rarely, so their results
 * (and the serialized responses made from them, see ReadMemo) are kept until
 * ANY write to the database: a write by this connection moves
 * `total_changes()`, a commit by any other connection or process moves the
 * WAL-index header (see `commitsByOthers`), and either empties the cache.
 * Every lookup checks both first, instead of running the catalog query and its
 * count. Answers are therefore exactly what the query would return at that
 * moment. Reads inside an open transaction bypass the cache (a rollback would
 * not move the counters back). Cached values are frozen: callers share them.
 */
export function createReadCache(
  sqlite: SqliteConnection,
  { maxEntries = 1000, maxBytes = 32 * 1024 * 1024 }: ReadCacheLimits = {},
): ReadCache {
  const ownChanges = sqlite.prepare<[], number>('SELECT total_changes()').pluck();
  const others = commitsByOthers(sqlite);
  const entries = new Map<string, unknown>();
  let bytes = 0;
  let seenOwn = -1;
  /** Moves each time the cache is emptied because the database changed. */
  let generation = 0;

  /** Empty the cache if the database changed since the last look; false inside a transaction (no caching there). */
  function current(): boolean {
    if (sqlite.inTransaction) return false;
    const own = ownChanges.get()!;
    // Both are asked every time: each remembers what it saw last.
    const otherCommitted = others.moved();
    if (own !== seenOwn || otherCommitted) {
      clear();
      generation++;
      seenOwn = own;
    }
    return true;
  }

  function clear() {
    entries.clear();
    bytes = 0;
  }

  function put(key: string, value: unknown, size: number) {
    // Keys include what shoppers type; bound the memory by starting over rather than tracking recency.
    if (entries.size >= maxEntries || bytes + size > maxBytes) clear();
    entries.set(key, value);
    bytes += size;
  }

  return {
    read<T>(key: string, read: () => T): T {
      if (!current()) return read();
      if (entries.has(key)) return entries.get(key) as T;
      const value = deepFreeze(read());
      put(key, value, 0);
      return value;
    },
    get(key) {
      if (!current()) return undefined;
      const value = entries.get(key);
      return value instanceof Uint8Array ? value : undefined;
    },
    stamp() {
      return current() ? generation : -1;
    },
    keep(key, value, stamp) {
      if (stamp < 0 || value.byteLength > maxBytes || !current() || generation !== stamp) return;
      put(key, value, value.byteLength);
    },
    watching: others.kind,
    close() {
      clear();
      others.close();
    },
  };
}

/** The bytes of the WAL-index header: two copies of it, 48 bytes each, at the start of the -shm file. */
const WAL_INDEX_HEADER = 96;
/** The WAL-index format version SQLite writes first in the header (since 3.7.0). */
const WAL_INDEX_VERSION = 3007000;

interface CommitWatch {
  kind: ReadCache['watching'];
  /** True when another connection or process committed since the last call (or, rarely, a checkpoint moved). */
  moved(): boolean;
  close(): void;
}

/**
 * How this connection learns about commits by others. `PRAGMA data_version`
 * is the documented way, but each call takes and drops a read lock on the
 * database (two fcntl calls and an fstat), about 2 µs and more under load,
 * which on a cached catalog read was the largest cost after the socket write.
 * In WAL mode every commit, by any connection in any process, rewrites the
 * WAL-index header at the start of the `-shm` file (its change counter, last
 * frame and checksums; sqlite.org/walformat.html), which is what SQLite's own
 * readers look at to find the newest snapshot. So a file database in WAL mode
 * reads those 96 bytes (one pread) and compares them with the last ones seen:
 * any difference counts as a commit (a checkpoint also rewrites them: an extra
 * miss, never a stale answer). Anything else (`:memory:`, another journal mode,
 * a header it does not recognise, a read that fails) uses the pragma. (A
 * connection in `locking_mode=EXCLUSIVE` keeps its WAL-index in private memory,
 * but it cannot write while this connection has the file open: SQLITE_BUSY.)
 */
function commitsByOthers(sqlite: SqliteConnection): CommitWatch {
  const dataVersion = sqlite.prepare<[], number>('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get()!;
  const pragma = () => {
    const version = dataVersion.get()!;
    if (version === seenVersion) return false;
    seenVersion = version;
    return true;
  };
  const shm = openWalIndex(sqlite);
  if (shm === undefined) return { kind: 'data_version', moved: pragma, close() {} };
  const seen = Buffer.alloc(WAL_INDEX_HEADER);
  const now = Buffer.alloc(WAL_INDEX_HEADER);
  readSync(shm, seen, 0, WAL_INDEX_HEADER, 0);
  let open = true;
  return {
    kind: 'wal-index',
    moved() {
      try {
        if (open && readSync(shm, now, 0, WAL_INDEX_HEADER, 0) === WAL_INDEX_HEADER) {
          if (now.equals(seen)) return false;
          now.copy(seen);
          return true;
        }
      } catch {
        // Fall through to the pragma.
      }
      // The header could not be read: ask the pragma to keep its count current, and assume a commit.
      pragma();
      return true;
    },
    close() {
      if (open) closeSync(shm);
      open = false;
    },
  };
}

/** The -shm file of a file database in WAL mode, open for reading, if its header looks as expected. */
function openWalIndex(sqlite: SqliteConnection): number | undefined {
  if (sqlite.memory || sqlite.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  // Make sure the WAL-index exists and is initialised: any read does it.
  sqlite.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
  let fd: number | undefined;
  try {
    fd = openSync(`${resolve(sqlite.name)}-shm`, 'r');
    const header = Buffer.alloc(WAL_INDEX_HEADER);
    const version = readSync(fd, header, 0, WAL_INDEX_HEADER, 0) === WAL_INDEX_HEADER ? header.readUInt32LE(0) : 0;
    // The header is in the machine's byte order: on a big-endian machine this check fails and the pragma is used.
    if (version === WAL_INDEX_VERSION && header.subarray(0, 48).equals(header.subarray(48))) return fd;
  } catch {
    // No readable -shm file: use the pragma.
  }
  if (fd !== undefined) closeSync(fd);
  return undefined;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
