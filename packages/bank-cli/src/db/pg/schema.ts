import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

/*
 * The PostgreSQL twin of ../sqlite/schema.ts: the same tables, columns, indexes and checks
 * (test/schema-parity.test.ts compares them). SQLite's integers are 64-bit, so money, times in ms and ids are
 * bigint here (read back as JS numbers, like better-sqlite3's); small counts and rates stay integer.
 */

/** A 64-bit integer read as a JS number (the connection refuses one past 2^53 rather than round it). */
const int8 = (name: string) => bigint(name, { mode: 'number' });

/** An identity, so `INSERT … RETURNING id` works, yet an explicit id is accepted (copying a SQLite bank over). */
const id = () => int8('id').primaryKey().generatedByDefaultAsIdentity();

/** Settings fixed when the database is created (the currency). */
export const meta = pgTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const users = pgTable(
  'users',
  {
    id: id(),
    // Stored lower-case, so the unique index makes names unique regardless of case.
    username: text('username').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: ['user', 'admin'] }).notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: int8('created_at').notNull(),
    lastLoginAt: int8('last_login_at'),
    /** Base32 TOTP secret; null while two-factor login is off. */
    totpSecret: text('totp_secret'),
    /** The last accepted TOTP time step: a code for it or an earlier step is refused (no reuse). */
    totpLastStep: int8('totp_last_step'),
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
export const accounts = pgTable(
  'accounts',
  {
    id: id(),
    number: text('number'),
    systemCode: text('system_code'),
    ownerId: int8('owner_id').references(() => users.id),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    balance: int8('balance').notNull().default(0),
    createdAt: int8('created_at').notNull(),
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

/** One money movement. Append-only (a trigger in the migrations refuses UPDATE, DELETE and TRUNCATE). */
export const transactions = pgTable(
  'transactions',
  {
    id: id(),
    kind: text('kind').notNull(),
    note: text('note'),
    actorId: int8('actor_id').references(() => users.id),
    createdAt: int8('created_at').notNull(),
  },
  (t) => [index('transactions_created_at_idx').on(t.createdAt)],
);

/** The legs of a transaction; they sum to zero. Append-only. */
export const postings = pgTable(
  'postings',
  {
    id: id(),
    transactionId: int8('transaction_id')
      .notNull()
      .references(() => transactions.id),
    accountId: int8('account_id')
      .notNull()
      .references(() => accounts.id),
    amount: int8('amount').notNull(),
    balanceAfter: int8('balance_after').notNull(),
  },
  (t) => [
    index('postings_account_idx').on(t.accountId, t.id),
    index('postings_transaction_idx').on(t.transactionId),
    check('postings_amount_nonzero', sql`${t.amount} <> 0`),
  ],
);

/** Every failed login, for known and unknown names alike. */
export const loginFailures = pgTable(
  'login_failures',
  {
    id: id(),
    username: text('username').notNull(),
    reason: text('reason').notNull(),
    at: int8('at').notNull(),
  },
  (t) => [index('login_failures_username_at_idx').on(t.username, t.at)],
);

/** Keyed by name, not user id, so that unknown names lock exactly like real ones. */
export const loginLocks = pgTable('login_locks', {
  username: text('username').primaryKey(),
  lockedUntil: int8('locked_until').notNull(),
});

export const adminActions = pgTable('admin_actions', {
  id: id(),
  actorId: int8('actor_id').references(() => users.id),
  action: text('action').notNull(),
  target: text('target').notNull(),
  detail: text('detail'),
  createdAt: int8('created_at').notNull(),
});

/** One-time recovery codes for two-factor login, stored as SHA-256 of a 80-bit random code. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: int8('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: int8('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Annual interest rates per account type, in basis points; a rate applies from its day until the next one. */
export const interestRates = pgTable(
  'interest_rates',
  {
    id: id(),
    accountType: text('account_type').notNull(),
    bps: integer('bps').notNull(),
    /** midnight UTC, ms */
    effectiveFrom: int8('effective_from').notNull(),
    actorId: int8('actor_id').references(() => users.id),
    createdAt: int8('created_at').notNull(),
  },
  (t) => [
    index('interest_rates_type_idx').on(t.accountType, t.effectiveFrom),
    check('interest_rates_bps', sql`${t.bps} >= 0`),
  ],
);

/** One row per month whose interest was posted: the primary key makes posting idempotent. */
export const interestRuns = pgTable('interest_runs', {
  month: text('month').primaryKey(),
  actorId: int8('actor_id').references(() => users.id),
  accounts: integer('accounts').notNull(),
  total: int8('total').notNull(),
  createdAt: int8('created_at').notNull(),
});

/** The interest each account received for a month (a subledger verify checks against interest-expense). */
export const interestPostings = pgTable(
  'interest_postings',
  {
    id: id(),
    month: text('month')
      .notNull()
      .references(() => interestRuns.month),
    accountId: int8('account_id')
      .notNull()
      .references(() => accounts.id),
    transactionId: int8('transaction_id')
      .notNull()
      .references(() => transactions.id),
    amount: int8('amount').notNull(),
  },
  (t) => [uniqueIndex('interest_postings_month_account').on(t.month, t.accountId)],
);

/** Daily withdrawal + outgoing transfer limit per account type; no row means no limit. */
export const dailyLimits = pgTable('daily_limits', {
  accountType: text('account_type').primaryKey(),
  amount: int8('amount').notNull(),
});

/** The transfer fee per account type of the sending account; no row means free. */
export const transferFees = pgTable(
  'transfer_fees',
  {
    accountType: text('account_type').primaryKey(),
    kind: text('kind', { enum: ['fixed', 'percent'] }).notNull(),
    /** fixed: the fee; percent: unused (0) */
    fixed: int8('fixed').notNull().default(0),
    /** percent: the rate in basis points */
    bps: integer('bps').notNull().default(0),
    min: int8('min').notNull().default(0),
    /** null: no maximum */
    max: int8('max'),
  },
  (t) => [check('transfer_fees_min_max', sql`${t.max} IS NULL OR ${t.max} >= ${t.min}`)],
);

export const loans = pgTable(
  'loans',
  {
    id: id(),
    accountId: int8('account_id')
      .notNull()
      .references(() => accounts.id),
    userId: int8('user_id')
      .notNull()
      .references(() => users.id),
    principal: int8('principal').notNull(),
    months: integer('months').notNull(),
    status: text('status', { enum: ['pending', 'rejected', 'active', 'closed'] }).notNull(),
    /** set at approval */
    rateBps: integer('rate_bps'),
    appliedAt: int8('applied_at').notNull(),
    decidedAt: int8('decided_at'),
    decidedBy: int8('decided_by').references(() => users.id),
    closedAt: int8('closed_at'),
    principalPaid: int8('principal_paid').notNull().default(0),
    interestPaid: int8('interest_paid').notNull().default(0),
  },
  (t) => [
    index('loans_user_idx').on(t.userId),
    index('loans_status_idx').on(t.status),
    check('loans_principal_positive', sql`${t.principal} > 0`),
  ],
);

/** The amortization schedule, fixed at approval. */
export const loanInstalments = pgTable(
  'loan_instalments',
  {
    loanId: int8('loan_id')
      .notNull()
      .references(() => loans.id),
    n: integer('n').notNull(),
    dueDate: text('due_date').notNull(),
    principal: int8('principal').notNull(),
    interest: int8('interest').notNull(),
    remaining: int8('remaining').notNull(),
  },
  (t) => [uniqueIndex('loan_instalments_pk').on(t.loanId, t.n)],
);

/**
 * What the account holder is told: written in the transaction of the event that causes it. `key` makes the
 * time-based ones (a loan instalment falling due, a month's statement) idempotent: one per user and key.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    userId: int8('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    key: text('key'),
    createdAt: int8('created_at').notNull(),
    readAt: int8('read_at'),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.id),
    // Partial: only the keyed (time-based) notices are in it, so a transfer's notice updates one index, not two.
    uniqueIndex('notifications_user_key_unique')
      .on(t.userId, t.key)
      .where(sql`${t.key} IS NOT NULL`),
  ],
);

/** A user's alert thresholds in minor units; null: that alert is off. No row: both off. */
export const alertSettings = pgTable('alert_settings', {
  userId: int8('user_id')
    .primaryKey()
    .references(() => users.id),
  largeAbove: int8('large_above'),
  lowBelow: int8('low_below'),
});

/**
 * A user's e-mail address (one row only for users who gave one) and the pending verification code, hashed.
 * Kept out of `users` so that a transfer's notice finds "no verified address" by one primary-key miss.
 */
export const userEmails = pgTable('user_emails', {
  userId: int8('user_id')
    .primaryKey()
    .references(() => users.id),
  address: text('address').notNull(),
  verifiedAt: int8('verified_at'),
  /** sha256 of the code, hex; null once verified or voided. */
  codeHash: text('code_hash'),
  codeExpiresAt: int8('code_expires_at'),
  codeTries: integer('code_tries').notNull().default(0),
});

/**
 * Notification e-mails waiting to be sent, sent, or given up ("dead"). Written in the notice's own transaction,
 * only for a verified address and only when SMTP is configured. Rows are kept after sending (the Message-ID).
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    // Sent and dead rows are never deleted, so an id that went out is never reused.
    id: id(),
    notificationId: int8('notification_id').notNull(),
    address: text('address').notNull(),
    message: text('message').notNull(),
    createdAt: int8('created_at').notNull(),
    /** When to try next (also the lease while a process sends it); null once sent or dead. */
    nextAttemptAt: int8('next_attempt_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: int8('sent_at'),
    messageId: text('message_id'),
    deadAt: int8('dead_at'),
  },
  // Partial: sent and dead rows leave the index, so the drain's "anything due?" reads only what is pending.
  (t) => [
    index('mail_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.nextAttemptAt} IS NOT NULL`),
  ],
);
