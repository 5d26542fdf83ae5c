import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Channel messages (PRIVMSG and NOTICE) for replay on JOIN. Private messages are never stored. */
export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Milliseconds since the epoch. */
    at: integer('at').notNull(),
    /** Case-folded channel name: what lookups use. */
    channelKey: text('channel_key').notNull(),
    /** `nick!user@host` of the sender. */
    prefix: text('prefix').notNull(),
    command: text('command', { enum: ['PRIVMSG', 'NOTICE'] }).notNull(),
    text: text('text').notNull(),
  },
  (table) => [index('messages_channel_id').on(table.channelKey, table.id), index('messages_at').on(table.at)],
);

/** Server-wide bans by `nick!user@host` mask (stored case-folded; masks match case-insensitively). */
export const bans = sqliteTable('bans', {
  mask: text('mask').primaryKey(),
  reason: text('reason').notNull(),
  setBy: text('set_by').notNull(),
  setAt: integer('set_at').notNull(),
  /** Null: until lifted with /unban. */
  expiresAt: integer('expires_at'),
});

/** Server-wide mutes by nick (case-folded). */
export const mutes = sqliteTable('mutes', {
  nickKey: text('nick_key').primaryKey(),
  nick: text('nick').notNull(),
  setBy: text('set_by').notNull(),
  setAt: integer('set_at').notNull(),
  expiresAt: integer('expires_at'),
});
