import type {
  Account,
  AccountWithOwner,
  AdminAction,
  AuditRow,
  Currency,
  HistoryRow,
  Role,
  SystemAccountCode,
  User,
} from './types.js';

/** A promise-returning callback is a type error (see core's immediateTransaction). */
export type SyncOnly<T> = T extends PromiseLike<unknown> ? never : T;

/**
 * What the use cases need from storage. The db layer implements it with
 * prepared statements; every method is synchronous so that a use case can
 * read, decide and write inside one `writeTransaction` (BEGIN IMMEDIATE).
 */
export interface Store {
  /** Runs `fn` in BEGIN IMMEDIATE; `fn` must not be async. */
  writeTransaction<T>(fn: () => SyncOnly<T>): T;
  currency: Currency;
  users: UserStore;
  accounts: AccountStore;
  ledger: LedgerStore;
  logins: LoginStore;
  adminLog: AdminLogStore;
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
  /** Every account's cached balance next to the sum of its postings. */
  balanceCheck(): { account: Account; postedSum: number }[];
  /** Transactions whose postings do not sum to zero, or that have fewer than two. */
  unbalancedTransactions(): { id: number; sum: number; postings: number }[];
}

export interface LoginStore {
  recordFailure(username: string, reason: string, at: number): void;
  countFailuresAfter(username: string, after: number): number;
  lockedUntil(username: string): number | undefined;
  lock(username: string, until: number): void;
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
