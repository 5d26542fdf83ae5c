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
    /** Base32 TOTP secret; null while two-factor login is off. */
    totpSecret: text('totp_secret'),
    /** The last accepted TOTP time step: a code for it or an earlier step is refused (no reuse). */
    totpLastStep: integer('totp_last_step'),
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

/** One-time recovery codes for two-factor login, stored as SHA-256 of a 80-bit random code. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/** Annual interest rates per account type, in basis points; a rate applies from its day until the next one. */
export const interestRates = sqliteTable(
  'interest_rates',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountType: text('account_type').notNull(),
    bps: integer('bps').notNull(),
    /** midnight UTC, ms */
    effectiveFrom: integer('effective_from').notNull(),
    actorId: integer('actor_id').references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('interest_rates_type_idx').on(t.accountType, t.effectiveFrom),
    check('interest_rates_bps', sql`${t.bps} >= 0`),
  ],
);

/** One row per month whose interest was posted: the primary key makes posting idempotent. */
export const interestRuns = sqliteTable('interest_runs', {
  month: text('month').primaryKey(),
  actorId: integer('actor_id').references(() => users.id),
  accounts: integer('accounts').notNull(),
  total: integer('total').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** The interest each account received for a month (a subledger verify checks against interest-expense). */
export const interestPostings = sqliteTable(
  'interest_postings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    month: text('month')
      .notNull()
      .references(() => interestRuns.month),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    transactionId: integer('transaction_id')
      .notNull()
      .references(() => transactions.id),
    amount: integer('amount').notNull(),
  },
  (t) => [uniqueIndex('interest_postings_month_account').on(t.month, t.accountId)],
);

/** Daily withdrawal + outgoing transfer limit per account type; no row means no limit. */
export const dailyLimits = sqliteTable('daily_limits', {
  accountType: text('account_type').primaryKey(),
  amount: integer('amount').notNull(),
});

/** The transfer fee per account type of the sending account; no row means free. */
export const transferFees = sqliteTable(
  'transfer_fees',
  {
    accountType: text('account_type').primaryKey(),
    kind: text('kind', { enum: ['fixed', 'percent'] }).notNull(),
    /** fixed: the fee; percent: unused (0) */
    fixed: integer('fixed').notNull().default(0),
    /** percent: the rate in basis points */
    bps: integer('bps').notNull().default(0),
    min: integer('min').notNull().default(0),
    /** null: no maximum */
    max: integer('max'),
  },
  (t) => [check('transfer_fees_min_max', sql`${t.max} IS NULL OR ${t.max} >= ${t.min}`)],
);

export const loans = sqliteTable(
  'loans',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    principal: integer('principal').notNull(),
    months: integer('months').notNull(),
    status: text('status', { enum: ['pending', 'rejected', 'active', 'closed'] }).notNull(),
    /** set at approval */
    rateBps: integer('rate_bps'),
    appliedAt: integer('applied_at').notNull(),
    decidedAt: integer('decided_at'),
    decidedBy: integer('decided_by').references(() => users.id),
    closedAt: integer('closed_at'),
    principalPaid: integer('principal_paid').notNull().default(0),
    interestPaid: integer('interest_paid').notNull().default(0),
  },
  (t) => [
    index('loans_user_idx').on(t.userId),
    index('loans_status_idx').on(t.status),
    check('loans_principal_positive', sql`${t.principal} > 0`),
  ],
);

/** The amortization schedule, fixed at approval. */
export const loanInstalments = sqliteTable(
  'loan_instalments',
  {
    loanId: integer('loan_id')
      .notNull()
      .references(() => loans.id),
    n: integer('n').notNull(),
    dueDate: text('due_date').notNull(),
    principal: integer('principal').notNull(),
    interest: integer('interest').notNull(),
    remaining: integer('remaining').notNull(),
  },
  (t) => [uniqueIndex('loan_instalments_pk').on(t.loanId, t.n)],
);

/**
 * What the account holder is told: written in the transaction of the event that causes it. `key` makes the
 * time-based ones (a loan instalment falling due, a month's statement) idempotent: one per user and key.
 */
export const notifications = sqliteTable(
  'notifications',
  {
    // A rowid, not AUTOINCREMENT: no sqlite_sequence write per notice. The only deleted notice (a lockout
    // lifted by the attempt that caused it) was never shown, so an id used again is never seen twice.
    id: integer('id').primaryKey(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    key: text('key'),
    createdAt: integer('created_at').notNull(),
    readAt: integer('read_at'),
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
export const alertSettings = sqliteTable('alert_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  largeAbove: integer('large_above'),
  lowBelow: integer('low_below'),
});

/**
 * A user's e-mail address (one row only for users who gave one) and the pending verification code, hashed.
 * Kept out of `users` so that a transfer's notice finds "no verified address" by one primary-key miss.
 */
export const userEmails = sqliteTable('user_emails', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  address: text('address').notNull(),
  verifiedAt: integer('verified_at'),
  /** sha256 of the code, hex; null once verified or voided. */
  codeHash: text('code_hash'),
  codeExpiresAt: integer('code_expires_at'),
  codeTries: integer('code_tries').notNull().default(0),
});

/**
 * Notification e-mails waiting to be sent, sent, or given up ("dead"). Written in the notice's own transaction,
 * only for a verified address and only when SMTP is configured. Rows are kept after sending (the Message-ID).
 */
export const mailOutbox = sqliteTable(
  'mail_outbox',
  {
    // A rowid, not AUTOINCREMENT; sent and dead rows are never deleted, so an id that went out is never reused.
    id: integer('id').primaryKey(),
    notificationId: integer('notification_id').notNull(),
    address: text('address').notNull(),
    message: text('message').notNull(),
    createdAt: integer('created_at').notNull(),
    /** When to try next (also the lease while a process sends it); null once sent or dead. */
    nextAttemptAt: integer('next_attempt_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    sentAt: integer('sent_at'),
    messageId: text('message_id'),
    deadAt: integer('dead_at'),
  },
  // Partial: sent and dead rows leave the index, so the drain's "anything due?" reads only what is pending.
  (t) => [
    index('mail_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.nextAttemptAt} IS NOT NULL`),
  ],
);
