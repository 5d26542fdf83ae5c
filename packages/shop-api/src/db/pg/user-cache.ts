import pg from 'pg';
import type { SessionUser } from '../../domain/types.js';

/** Every change to a user row is announced here, with the user id as payload, when its transaction commits. */
export const USER_CHANNEL = 'shop_api_user_changed';

export interface UserCache {
  /** The user as last read, if nothing changed them since (in any process) and the cache is listening. */
  get(id: string): SessionUser | undefined;
  /** Take before reading the row that `keep` will store. */
  stamp(): number;
  /** Keep `user`, unless a change was announced since `stamp` (the row read may be older than it). */
  keep(user: SessionUser, stamp: number): void;
  /** Drop a user this process has just changed, before its own notification comes back. */
  forget(id: string): void;
  /** Settles once the first LISTEN is in place (tests wait for it). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface UserCacheOptions {
  connectTimeoutMs: number;
  /** Entries before the cache starts over. Default 10,000. */
  maxEntries?: number;
  /**
   * Longest an entry is used. Notifications make staleness a matter of milliseconds; this bounds it
   * when the listening connection dies without a word (a silent network). Default 30 s.
   */
  maxAgeMs?: number;
  /** Wait before listening again after the connection was lost. Default 1 s. */
  retryMs?: number;
}

/**
 * Authenticated requests read their user on every request (active? role? token version?). On
 * PostgreSQL that is a round trip, so each process keeps the users it read, and one connection per
 * process LISTENs on USER_CHANNEL: a change made by any instance (or `shop-api admin create`) drops the
 * entry everywhere as soon as it commits. While that connection is down, nothing is kept or served
 * (every request reads the row), and whatever was kept before is dropped: notifications may have been
 * missed. Exact on one instance; across instances, behind by the notification's latency.
 */
export function createUserCache(url: string, options: UserCacheOptions): UserCache {
  const { maxEntries = 10_000, maxAgeMs = 30_000, retryMs = 1000 } = options;
  const entries = new Map<string, { user: SessionUser; at: number }>();
  /** Moves on every change heard of, so that a read that raced with a change is not kept. */
  let generation = 0;
  let client: pg.Client | undefined;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  function dropAll() {
    entries.clear();
    generation++;
  }

  function lost(lostClient: pg.Client) {
    if (client !== lostClient) return;
    client = undefined;
    listening = false;
    dropAll();
    lostClient.end().catch(() => {});
    if (!closed) {
      retry = setTimeout(() => void listen(), retryMs);
      retry.unref();
    }
  }

  async function listen() {
    const next = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: options.connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: 'shop-api',
    });
    client = next;
    next.on('notification', (message) => {
      if (message.channel !== USER_CHANNEL) return;
      entries.delete(message.payload ?? '');
      generation++;
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${USER_CHANNEL}`);
    } catch {
      lost(next);
      return;
    }
    if (client !== next) return;
    // Changes made while nobody listened were not heard: start from nothing.
    dropAll();
    listening = true;
    markReady();
  }

  void listen();

  return {
    get(id) {
      if (!listening) return undefined;
      const entry = entries.get(id);
      if (entry === undefined) return undefined;
      if (Date.now() - entry.at > maxAgeMs) {
        entries.delete(id);
        return undefined;
      }
      return entry.user;
    },
    stamp: () => generation,
    keep(user, stamp) {
      if (!listening || stamp !== generation) return;
      if (entries.size >= maxEntries) entries.clear();
      entries.set(user.id, { user: Object.freeze({ ...user }), at: Date.now() });
    },
    forget(id) {
      entries.delete(id);
      generation++;
    },
    ready,
    async close() {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      listening = false;
      await current?.end().catch(() => {});
    },
  };
}
