import type {
  Account,
  AlertSettings,
  Notification,
  AccountWithOwner,
  AdminAction,
  AuditRow,
  Currency,
  HistoryRow,
  Loan,
  LoanStatus,
  LoanWithOwner,
  Role,
  StoredInstalment,
  SystemAccountCode,
  User,
} from './types.js';

/** A promise-returning callback is a type error (see core's immediateTransaction). */
export type SyncOnly<T> = T extends PromiseLike<unknown> ? never : T;

/**
 * What the use cases need from storage. The db layer implements it with
 * prepared statements; every method is synchronous so that a use case can
 * read, decide and write inside one `writeTransaction` (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: SERIALIZABLE, run again when a concurrent transaction wins).
 */
export interface Store {
  /**
   * Runs `fn` in one transaction; `fn` must not be async, and must touch nothing but the store (on PostgreSQL it may
   * run more than once). The commit waits until the disk has it.
   */
  writeTransaction<T>(fn: () => SyncOnly<T>): T;
  /**
   * As writeTransaction, for records that move no money (login attempts, the last login): the commit does not
   * wait for the disk. A killed process loses nothing; only a power cut or an OS crash before the next synced
   * write can forget it.
   */
  bookkeepingTransaction<T>(fn: () => SyncOnly<T>): T;
  currency: Currency;
  users: UserStore;
  accounts: AccountStore;
  ledger: LedgerStore;
  logins: LoginStore;
  adminLog: AdminLogStore;
  twoFactor: TwoFactorStore;
  pricing: PricingStore;
  interest: InterestStore;
  loans: LoanStore;
  notifications: NotificationStore;
  emails: EmailStore;
  /** Present only when e-mail is configured (BANK_SMTP_URL): without it, no notice is queued for mail. */
  outbox: MailOutboxStore | undefined;
}

export interface UserStore {
  byUsername(username: string): User | undefined;
  byId(id: number): User | undefined;
  insert(user: { username: string; passwordHash: string; role: Role; createdAt: number }): User;
  list(): User[];
  countAdmins(): number;
  setActive(id: number, active: boolean): void;
  setRole(id: number, role: Role): void;
  setPasswordHash(id: number, hash: string): void;
  setLastLogin(id: number, at: number): void;
}

export interface AccountStore {
  byNumber(number: string): AccountWithOwner | undefined;
  byId(id: number): AccountWithOwner | undefined;
  bySystemCode(code: SystemAccountCode): Account | undefined;
  insert(account: Omit<Account, 'id' | 'balance'>): Account;
  listByOwner(ownerId: number): AccountWithOwner[];
  listAll(): AccountWithOwner[];
  setBalance(id: number, balance: number): void;
  /**
   * Takes the write locks of these accounts, in ascending id order, before their balances change: two opposite
   * transfers then queue rather than deadlock (PostgreSQL: SELECT … FOR UPDATE). SQLite's BEGIN IMMEDIATE already
   * holds the whole database, so there it does nothing.
   */
  lock(ids: readonly number[]): void;
}

export interface HistoryQuery {
  limit: number;
  /** inclusive, ms */
  since?: number | undefined;
  /** exclusive, ms */
  until?: number | undefined;
}

export interface AuditQuery {
  limit: number;
  userId?: number | undefined;
  accountId?: number | undefined;
}

export interface LedgerStore {
  insertTransaction(row: { kind: string; note: string | null; actorId: number | null; createdAt: number }): number;
  insertPosting(row: { transactionId: number; accountId: number; amount: number; balanceAfter: number }): void;
  history(accountId: number, query: HistoryQuery): HistoryRow[];
  audit(query: AuditQuery): AuditRow[];
  /** Every account's cached balance next to the sum of its postings (sums are exact BigInts, see db/exact-sums). */
  balanceCheck(): { account: Account; postedSum: bigint }[];
  /** Transactions whose postings do not sum to zero, or that have fewer than two. */
  unbalancedTransactions(): { id: number; sum: bigint; postings: number }[];
  /** Per system account and transaction kind, how much was posted (for the kinds check). */
  systemPostingKinds(): { systemCode: string; kind: string; total: bigint }[];
  /** The balance after the last posting made before `at` (0 if none). */
  balanceBefore(accountId: number, at: number): number;
  /** An account's postings with since <= createdAt < until, oldest first. */
  entriesBetween(accountId: number, since: number, until: number): HistoryRow[];
  /** Minor units that left the account through withdrawals and transfers at or after `since`. */
  outgoingSince(accountId: number, since: number): number;
}

export interface TwoFactorStore {
  setSecret(userId: number, secret: string | null): void;
  /** Compare-and-set: true only if `step` is later than the stored last step (so a code is used once). */
  advanceStep(userId: number, step: number): boolean;
  replaceRecoveryCodes(userId: number, hashes: readonly string[]): void;
  /** Marks the unused code with this hash used; false if there is none. */
  useRecoveryCode(userId: number, hash: string, at: number): boolean;
  unusedRecoveryCodes(userId: number): number;
}

export interface FeeRow {
  accountType: string;
  kind: 'fixed' | 'percent';
  fixed: number;
  bps: number;
  min: number;
  max: number | null;
}

/** What a payment from an account of one type is subject to: its daily limit and its transfer fee, if any. */
export interface PaymentRules {
  dailyLimit: number | undefined;
  fee: FeeRow | undefined;
}

export interface PricingStore {
  /** Both rules in one read, for the payment paths. */
  rules(accountType: string): PaymentRules;
  setDailyLimit(accountType: string, amount: number | null): void;
  limits(): { accountType: string; amount: number }[];
  setFee(accountType: string, fee: Omit<FeeRow, 'accountType'> | null): void;
  fees(): FeeRow[];
}

export interface RateRow {
  id: number;
  accountType: string;
  bps: number;
  effectiveFrom: number;
  createdAt: number;
}

export interface InterestStore {
  insertRate(row: {
    accountType: string;
    bps: number;
    effectiveFrom: number;
    actorId: number;
    createdAt: number;
  }): void;
  /** Ordered by effectiveFrom, then id: for one day the later entry wins. */
  rates(accountType?: string): RateRow[];
  run(month: string): { createdAt: number; accounts: number; total: number } | undefined;
  /** The last month posted, "YYYY-MM", if any. */
  lastRunMonth(): string | undefined;
  insertRun(row: { month: string; actorId: number; accounts: number; total: number; createdAt: number }): void;
  insertPosting(row: { month: string; accountId: number; transactionId: number; amount: number }): void;
  postedTotal(): bigint;
}

export interface LoanStore {
  insert(row: { accountId: number; userId: number; principal: number; months: number; appliedAt: number }): Loan;
  byId(id: number): LoanWithOwner | undefined;
  list(filter: { userId?: number | undefined; status?: LoanStatus | undefined }): LoanWithOwner[];
  decide(id: number, decision: { status: LoanStatus; rateBps: number | null; at: number; by: number }): void;
  insertInstalments(loanId: number, rows: readonly StoredInstalment[]): void;
  instalments(loanId: number): StoredInstalment[];
  recordPayment(id: number, principal: number, interest: number, closedAt: number | null): void;
  /** Over approved loans: principal lent minus principal repaid, and interest received. */
  totals(): { outstandingPrincipal: bigint; interestPaid: bigint };
}

export interface LoginStore {
  recordFailure(username: string, reason: string, at: number): void;
  /** An attempt not judged yet: a failure (reason "pending") until it is settled or forgotten. Returns its id. */
  reserve(username: string, at: number): number;
  settle(id: number, reason: string): void;
  /** A reserved attempt that succeeded: it was no failure. */
  forget(id: number): void;
  /** Failures after `after`, pending ones included, refusals of a locked name ("locked") not. */
  countFailuresAfter(username: string, after: number): number;
  lockedUntil(username: string): number | undefined;
  lock(username: string, until: number): void;
  /** Removes the lock only if it is still the one that ends at `until`. */
  unlock(username: string, until: number): void;
}

export interface AdminLogStore {
  insert(row: {
    actorId: number | null;
    action: string;
    target: string;
    detail: string | null;
    createdAt: number;
  }): void;
  list(limit: number): AdminAction[];
}

export interface NotificationStore {
  /**
   * Returns the new notice's id. With a `key`, a second insert for the same user and key is ignored (time-based
   * notices are made once) and returns undefined.
   */
  insert(row: {
    userId: number;
    kind: string;
    message: string;
    key: string | null;
    createdAt: number;
  }): number | undefined;
  /** Removes the user's notice with this key (a lock that a successful attempt lifted never happened); its id. */
  deleteByKey(userId: number, key: string): number | undefined;
  /** The user's notifications, newest first. */
  list(userId: number, unreadOnly: boolean): Notification[];
  unreadCount(userId: number): number;
  /** Which of `ids` are this user's: someone else's look exactly like missing ones. */
  ownedIds(userId: number, ids: readonly number[]): number[];
  markRead(userId: number, ids: readonly number[], at: number): void;
  /** Returns how many were unread. */
  markAllRead(userId: number, at: number): number;
  alerts(userId: number): AlertSettings;
  setAlerts(userId: number, settings: AlertSettings): void;
}

export interface StoredEmail {
  address: string;
  verifiedAt: number | null;
  codeHash: string | null;
  codeExpiresAt: number | null;
  codeTries: number;
}

export interface EmailStore {
  get(userId: number): StoredEmail | undefined;
  /** Sets the address as unverified with a fresh code (tries back to 0). */
  setAddress(userId: number, address: string, code: { hash: string; expiresAt: number }): void;
  setTries(userId: number, tries: number): void;
  markVerified(userId: number, at: number): void;
  remove(userId: number): void;
}

/** An e-mail claimed for sending. */
export interface OutboxMail {
  id: number;
  address: string;
  message: string;
  attempts: number;
}

export interface MailOutboxStore {
  /** Queues the notice for the user's address if it is verified; writes nothing otherwise. */
  enqueueIfVerified(row: { notificationId: number; userId: number; message: string; createdAt: number }): void;
  /** Drops a queued mail for this notice that no process has tried yet. */
  cancelUntried(notificationId: number): void;
  /** A read without the write lock: is anything due at `now`? */
  anyDue(now: number): boolean;
  /** Rows due at `now`, oldest first; call inside a write transaction and lease them at once. */
  due(now: number, limit: number): OutboxMail[];
  /** Moves the next attempt of these rows to `until`: another process will not take them before. */
  lease(ids: readonly number[], until: number): void;
  markSent(id: number, messageId: string, at: number): void;
  markFailed(
    id: number,
    failure: { attempts: number; nextAttemptAt: number | null; deadAt: number | null; error: string },
  ): void;
}
