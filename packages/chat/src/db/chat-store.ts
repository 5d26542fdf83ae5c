import { fileURLToPath } from 'node:url';
import { immediateTransaction, openSqlite } from '@quartet/core/sqlite';
import { desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { sqliteAccounts } from './account-queries.js';
import type { AccountStore } from './account-store.js';
import { sqliteHistory, storedColumns } from './history-queries.js';
import type { HistoryQueries } from './history-range.js';
import * as schema from './schema.js';

export interface StoredMessage {
  readonly at: number;
  readonly channelKey: string;
  readonly prefix: string;
  readonly command: 'PRIVMSG' | 'NOTICE';
  readonly text: string;
  /** The IRCv3 msgid it was delivered with; null for messages kept before msgids were. */
  readonly msgid: string | null;
  /** The sender's account when they were logged in (the `account` tag it is replayed with); null otherwise. */
  readonly account: string | null;
}

export interface BanRecord {
  /** Case-folded `nick!user@host` glob. */
  readonly mask: string;
  readonly reason: string;
  readonly setBy: string;
  readonly setAt: number;
  /** Null: until lifted. */
  readonly expiresAt: number | null;
}

export interface MuteRecord {
  readonly nickKey: string;
  readonly nick: string;
  readonly setBy: string;
  readonly setAt: number;
  readonly expiresAt: number | null;
}

/** What the chat server keeps on disk: channel history, bans and mutes. */
export interface ChatStore extends HistoryQueries<StoredMessage> {
  /** Queue a message; queued messages are written together, once per event-loop turn. */
  record(message: StoredMessage): void;
  /** The newest `limit` messages of a channel, oldest first (queued ones included). */
  recent(channelKey: string, limit: number): StoredMessage[];
  /** Delete messages older than `before`; returns how many went. */
  pruneBefore(before: number): number;
  /** Bans and mutes still in force at `now`. */
  activeBans(now: number): BanRecord[];
  putBan(ban: BanRecord): void;
  removeBan(mask: string): boolean;
  activeMutes(now: number): MuteRecord[];
  putMute(mute: MuteRecord): void;
  removeMute(nickKey: string): boolean;
  /** Registered accounts (REGISTER, NickServ, SASL, `chat-server oper add`). */
  readonly accounts: AccountStore;
  close(): void;
}

const MIGRATIONS = fileURLToPath(new URL('../../drizzle', import.meta.url));

/**
 * Open (creating and migrating) the store; `':memory:'` for a server that keeps nothing.
 * `warnings` are lines for the entry point: the file was open to other users and was made 0600.
 */
export function openChatStore(file: string): ChatStore & { readonly warnings: readonly string[] } {
  // NORMAL in WAL survives a process crash; a power cut may lose the last moments of chat, which is acceptable.
  const { db, close, warnings } = openSqlite({ file, schema, synchronous: 'NORMAL', migrationsFolder: MIGRATIONS });
  const { messages, bans, mutes } = schema;
  let queue: StoredMessage[] = [];
  let scheduled = false;

  // Fan-out must not wait on the disk per message: one transaction per tick holds everything said in it.
  const insertAll = (batch: StoredMessage[]) =>
    immediateTransaction(db, (tx) => {
      for (const message of batch) tx.insert(messages).values(message).run();
    });
  const flush = () => {
    scheduled = false;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    insertAll(batch);
  };
  const recentQuery = db
    .select(storedColumns)
    .from(messages)
    .where(eq(messages.channelKey, sql.placeholder('channel')))
    .orderBy(desc(messages.id))
    .limit(sql.placeholder('limit'))
    .prepare();
  const inForce = (column: typeof bans.expiresAt | typeof mutes.expiresAt, now: number) =>
    or(isNull(column), gt(column, now));

  return {
    warnings,
    ...sqliteHistory(db, flush),
    accounts: sqliteAccounts(db),
    record(message) {
      queue.push(message);
      if (scheduled) return;
      scheduled = true;
      setImmediate(flush);
    },
    recent(channelKey, limit) {
      flush();
      if (limit <= 0) return [];
      return recentQuery.all({ channel: channelKey, limit }).reverse();
    },
    pruneBefore(before) {
      flush();
      return db.delete(messages).where(lt(messages.at, before)).run().changes;
    },
    activeBans(now) {
      return db.select().from(bans).where(inForce(bans.expiresAt, now)).all();
    },
    putBan(ban) {
      db.insert(bans).values(ban).onConflictDoUpdate({ target: bans.mask, set: ban }).run();
    },
    removeBan(mask) {
      return db.delete(bans).where(eq(bans.mask, mask)).run().changes > 0;
    },
    activeMutes(now) {
      return db.select().from(mutes).where(inForce(mutes.expiresAt, now)).all();
    },
    putMute(mute) {
      db.insert(mutes).values(mute).onConflictDoUpdate({ target: mutes.nickKey, set: mute }).run();
    },
    removeMute(nickKey) {
      return db.delete(mutes).where(eq(mutes.nickKey, nickKey)).run().changes > 0;
    },
    close() {
      flush();
      close();
    },
  };
}
