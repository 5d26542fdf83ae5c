export type Role = 'user' | 'admin';
export const ROLES: readonly Role[] = ['user', 'admin'];

export type CustomerAccountType = 'savings' | 'checking';
export const ACCOUNT_TYPES: readonly CustomerAccountType[] = ['savings', 'checking'];

/**
 * Internal accounts the bank posts against, created with the database. Adding
 * one is adding an entry here: `post()` already lets system accounts go
 * negative. `kinds` lists the only transaction kinds that may touch each one;
 * `bank admin verify` reports any other.
 */
export const SYSTEM_ACCOUNTS = [
  { code: 'cash', name: 'Cash', kinds: ['deposit', 'withdrawal'] },
  { code: 'interest-expense', name: 'Interest paid on savings', kinds: ['interest'] },
  { code: 'fee-income', name: 'Fee income', kinds: ['fee'] },
  { code: 'loan-asset', name: 'Loans receivable', kinds: ['loan_disbursement', 'loan_repayment'] },
  { code: 'loan-interest', name: 'Loan interest income', kinds: ['loan_repayment'] },
] as const;
export type SystemAccountCode = (typeof SYSTEM_ACCOUNTS)[number]['code'];

export interface User {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  active: boolean;
  createdAt: number;
  lastLoginAt: number | null;
  totpSecret: string | null;
  totpLastStep: number | null;
}

export interface Account {
  id: number;
  /** null for system accounts */
  number: string | null;
  systemCode: string | null;
  ownerId: number | null;
  kind: string;
  name: string;
  balance: number;
  createdAt: number;
}

/** An account together with what a listing shows about its owner. */
export interface AccountWithOwner extends Account {
  owner: string | null;
  ownerActive: boolean;
}

export interface Currency {
  code: string;
  /** digits after the decimal point (2 for USD, 0 for JPY) */
  decimals: number;
}

/** One leg of a transaction: a signed change to one account's balance. */
export interface Leg {
  accountId: number;
  amount: number;
}

export type TransactionKind =
  'deposit' | 'withdrawal' | 'transfer' | 'fee' | 'interest' | 'loan_disbursement' | 'loan_repayment';

/** A row of an account's history, in minor units. */
export interface HistoryRow {
  transactionId: number;
  kind: string;
  amount: number;
  balanceAfter: number;
  counterparty: string | null;
  counterpartyOwner: string | null;
  note: string | null;
  createdAt: number;
}

export interface AuditRow {
  id: number;
  kind: string;
  note: string | null;
  actor: string | null;
  createdAt: number;
  postings: { account: string; owner: string | null; amount: number }[];
}

export interface AdminAction {
  id: number;
  actor: string | null;
  action: string;
  target: string;
  detail: string | null;
  createdAt: number;
}

export type LoanStatus = 'pending' | 'rejected' | 'active' | 'closed';

export interface Loan {
  id: number;
  accountId: number;
  userId: number;
  principal: number;
  months: number;
  status: LoanStatus;
  rateBps: number | null;
  appliedAt: number;
  decidedAt: number | null;
  decidedBy: number | null;
  closedAt: number | null;
  principalPaid: number;
  interestPaid: number;
}

/** A loan with what listings show: the account number and the borrower. */
export interface LoanWithOwner extends Loan {
  account: string;
  owner: string;
}

export interface StoredInstalment {
  n: number;
  dueDate: string;
  principal: number;
  interest: number;
  remaining: number;
}

export type NotificationKind =
  'received' | 'large_payment' | 'low_balance' | 'failed_logins' | 'locked' | 'two_factor' | 'loan_due' | 'statement';

export interface Notification {
  id: number;
  userId: number;
  kind: string;
  message: string;
  createdAt: number;
  readAt: number | null;
}

/** Thresholds in minor units; null: off. */
export interface AlertSettings {
  largeAbove: number | null;
  lowBelow: number | null;
}
