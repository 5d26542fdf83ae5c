import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Settings fixed when the database is created (the currency). */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    // Stored lower-case, so the unique index makes names unique regardless of case.
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['user', 'admin'] }).notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    lastLoginAt: integer('last_login_at'),
  },
  (t) => [
    uniqueIndex('users_username_unique').on(t.username),
    check('users_username_lower', sql`${t.username} = lower(${t.username})`),
  ],
);

/**
 * Customer accounts have a number and an owner. System accounts (cash, and
 * later interest, fees, loans) have a `system_code` instead, may go negative,
 * and can never be addressed by a number.
 */
export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: text('number'),
    systemCode: text('system_code'),
    ownerId: integer('owner_id').references(() => users.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    balance: integer('balance').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('accounts_number_unique').on(t.number),
    uniqueIndex('accounts_system_code_unique').on(t.systemCode),
    index('accounts_owner_idx').on(t.ownerId),
    check('accounts_customer_or_system', sql`(${t.number} IS NULL) <> (${t.systemCode} IS NULL)`),
    check('accounts_customer_has_owner', sql`${t.systemCode} IS NOT NULL OR ${t.ownerId} IS NOT NULL`),
    // The last line of defence against an overdraft: the domain refuses first.
    check('accounts_customer_not_negative', sql`${t.systemCode} IS NOT NULL OR ${t.balance} >= 0`),
  ],
);

/** One money movement. Append-only (triggers in the migrations refuse UPDATE and DELETE). */
export const transactions = sqliteTable(
  'transactions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind').notNull(),
    note: text('note'),
    actorId: integer('actor_id').references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('transactions_created_at_idx').on(t.createdAt)],
);

/** The legs of a transaction; they sum to zero. Append-only. */
export const postings = sqliteTable(
  'postings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    transactionId: integer('transaction_id')
      .notNull()
      .references(() => transactions.id),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    amount: integer('amount').notNull(),
    balanceAfter: integer('balance_after').notNull(),
  },
  (t) => [
    index('postings_account_idx').on(t.accountId, t.id),
    index('postings_transaction_idx').on(t.transactionId),
    check('postings_amount_nonzero', sql`${t.amount} <> 0`),
  ],
);

/** Every failed login, for known and unknown names alike. */
export const loginFailures = sqliteTable(
  'login_failures',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    username: text('username').notNull(),
    reason: text('reason').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('login_failures_username_at_idx').on(t.username, t.at)],
);

/** Keyed by name, not user id, so that unknown names lock exactly like real ones. */
export const loginLocks = sqliteTable('login_locks', {
  username: text('username').primaryKey(),
  lockedUntil: integer('locked_until').notNull(),
});

export const adminActions = sqliteTable('admin_actions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  actorId: integer('actor_id').references(() => users.id),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: text('detail'),
  createdAt: integer('created_at').notNull(),
});
