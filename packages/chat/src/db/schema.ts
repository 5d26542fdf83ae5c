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
    /** The IRCv3 `msgid` the message was delivered with; null for messages kept before msgids were stored. */
    msgid: text('msgid'),
    /** The sender's account (IRCv3 `account` tag) when they were logged in; null otherwise. */
    account: text('account'),
  },
  (table) => [
    index('messages_channel_id').on(table.channelKey, table.id),
    index('messages_at').on(table.at),
    index('messages_msgid').on(table.msgid),
  ],
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

/** Registered accounts (IRCv3 account-registration, NickServ REGISTER): an account owns the nickname of its name. */
export const accounts = sqliteTable('accounts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  /** As registered, for display (`account-tag`, WHOIS). */
  name: text('name').notNull(),
  /** Case-folded name: what lookups and uniqueness use. */
  nameKey: text('name_key').notNull().unique(),
  /** bcrypt hash from @quartet/core. */
  passwordHash: text('password_hash').notNull(),
  email: text('email'),
  /** Null once verified (or when no verification was asked for); otherwise the code VERIFY expects. */
  verifyCode: text('verify_code'),
  /** An account marked as an IRC operator with `chat-server oper add`. */
  oper: integer('oper', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
});
