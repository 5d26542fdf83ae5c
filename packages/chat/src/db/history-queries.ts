import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { and, asc, desc, eq, gt, lt, sql } from 'drizzle-orm';
import type { HistoryQueries } from './history-range.js';
import * as schema from './schema.js';

type Row = Omit<typeof schema.messages.$inferSelect, 'id'>;

/** Bounds that let everything through, for a range open at one end: one prepared statement serves every range. */
const OPEN = { afterId: 0, beforeId: Number.MAX_SAFE_INTEGER, afterAt: -1, beforeAt: Number.MAX_SAFE_INTEGER };

/**
 * CHATHISTORY's queries on the chat database. A msgid bound becomes a row id bound (ids are the order messages
 * were kept in, as in the memory store); both walk the `messages_channel_id` index from one end. `flush` first
 * writes the messages still queued in this event-loop turn.
 */
/** A StoredMessage's columns, as every history query selects them. */
export const storedColumns = {
  at: schema.messages.at,
  channelKey: schema.messages.channelKey,
  prefix: schema.messages.prefix,
  command: schema.messages.command,
  text: schema.messages.text,
  msgid: schema.messages.msgid,
  account: schema.messages.account,
};

export function sqliteHistory(db: BetterSQLite3Database<typeof schema>, flush: () => void): HistoryQueries<Row> {
  const { messages } = schema;
  const channel = eq(messages.channelKey, sql.placeholder('channel'));
  const byMsgid = and(channel, eq(messages.msgid, sql.placeholder('msgid')));
  const findQuery = db.select(storedColumns).from(messages).where(byMsgid).limit(1).prepare();
  const idQuery = db.select({ id: messages.id }).from(messages).where(byMsgid).limit(1).prepare();
  const inRange = and(
    channel,
    gt(messages.id, sql.placeholder('afterId')),
    lt(messages.id, sql.placeholder('beforeId')),
    gt(messages.at, sql.placeholder('afterAt')),
    lt(messages.at, sql.placeholder('beforeAt')),
  );
  const rangeQuery = (order: typeof asc) =>
    db
      .select(storedColumns)
      .from(messages)
      .where(inRange)
      .orderBy(order(messages.id))
      .limit(sql.placeholder('limit'))
      .prepare();
  const oldestFirst = rangeQuery(asc);
  const newestFirst = rangeQuery(desc);

  return {
    find(channelKey, msgid) {
      flush();
      return findQuery.get({ channel: channelKey, msgid });
    },
    range(channelKey, { after, before, limit, from }) {
      flush();
      if (limit <= 0) return [];
      const bounds = { ...OPEN, channel: channelKey, limit };
      if (after !== undefined) {
        if ('at' in after) bounds.afterAt = after.at;
        else {
          const row = idQuery.get({ channel: channelKey, msgid: after.msgid });
          if (row === undefined) return [];
          bounds.afterId = row.id;
        }
      }
      if (before !== undefined) {
        if ('at' in before) bounds.beforeAt = before.at;
        else {
          const row = idQuery.get({ channel: channelKey, msgid: before.msgid });
          if (row === undefined) return [];
          bounds.beforeId = row.id;
        }
      }
      return from === 'oldest' ? oldestFirst.all(bounds) : newestFirst.all(bounds).reverse();
    },
  };
}
