import { memoryAccounts } from './account-store.js';
import type { BanRecord, ChatStore, MuteRecord, StoredMessage } from './chat-store.js';
import { rangeOf } from './history-range.js';

/** Messages per channel a `--no-persist` server keeps at least: five CHATHISTORY pages of 100, about 100 kB. */
export const MEMORY_HISTORY_MIN = 500;

/**
 * The store of a server that keeps nothing (`--no-persist`): the same contract
 * as the SQLite store, in plain memory. It exists so that such a server never
 * loads SQLite and drizzle (≈20 MB of RSS) and records a message with an array
 * push instead of an INSERT.
 *
 * History is only ever read as the newest `keepPerChannel` messages (by the
 * JOIN replay and CHATHISTORY), so older ones are dropped as new ones arrive:
 * memory stays bounded however long the server runs, and `recent` answers
 * exactly as SQLite would.
 */
export function openMemoryStore(keepPerChannel: number): ChatStore {
  const channels = new Map<string, StoredMessage[]>();
  const bans = expiringRecords<BanRecord>((ban) => ban.mask);
  const mutes = expiringRecords<MuteRecord>((mute) => mute.nickKey);
  const kept = (channelKey: string) => channels.get(channelKey)?.slice(-keepPerChannel) ?? [];

  return {
    record(message) {
      if (keepPerChannel <= 0) return;
      let list = channels.get(message.channelKey);
      if (list === undefined) channels.set(message.channelKey, (list = []));
      list.push(message);
      // Trim in batches, so that a busy channel does not shift its array on every message.
      if (list.length >= 2 * keepPerChannel) list.splice(0, list.length - keepPerChannel);
    },
    recent(channelKey, limit) {
      const list = channels.get(channelKey);
      if (list === undefined || limit <= 0) return [];
      return list.slice(-Math.min(limit, keepPerChannel));
    },
    // CHATHISTORY sees the same newest `keepPerChannel` as `recent`, not the untrimmed rest.
    find: (channelKey, msgid) => kept(channelKey).find((message) => message.msgid === msgid),
    range: (channelKey, range) => rangeOf(kept(channelKey), range),
    pruneBefore(before) {
      let removed = 0;
      for (const [key, list] of channels) {
        const kept = list.filter((message) => message.at >= before);
        removed += list.length - kept.length;
        if (kept.length === 0) channels.delete(key);
        else channels.set(key, kept);
      }
      return removed;
    },
    activeBans: bans.active,
    putBan: bans.put,
    removeBan: bans.remove,
    activeMutes: mutes.active,
    putMute: mutes.put,
    removeMute: mutes.remove,
    accounts: memoryAccounts(),
    close() {
      channels.clear();
    },
  };
}

/** Bans or mutes: one record per key, replaced by a newer one, in force until it expires (null: never). */
function expiringRecords<T extends { readonly expiresAt: number | null }>(keyOf: (record: T) => string) {
  const records = new Map<string, T>();
  return {
    active: (now: number): T[] =>
      [...records.values()].filter((record) => record.expiresAt === null || record.expiresAt > now),
    put: (record: T): void => void records.set(keyOf(record), { ...record }),
    remove: (key: string): boolean => records.delete(key),
  };
}
