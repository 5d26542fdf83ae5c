import { formatMoney } from './currency.js';
import type { TransferResult } from './payments.js';
import type { Statement } from './statement.js';
import type { AccountWithOwner, AdminAction, AuditRow, Currency, HistoryRow, User } from './types.js';
import { accountLabel } from './verify.js';

/** The JSON shapes printed by `--json`; amounts are decimal strings, times ISO 8601 UTC. */
export interface AccountView {
  number: string;
  type: string;
  name: string;
  balance: string;
  currency: string;
  owner: string | null;
  active: boolean;
}

/** deposit | withdrawal | transfer_in | transfer_out; later kinds (interest, fee) pass through as named. */
export type EntryType = string;

export interface EntryView {
  id: number;
  type: EntryType;
  amount: string;
  balanceAfter: string;
  counterparty: string | null;
  counterpartyOwner: string | null;
  note: string | null;
  createdAt: string;
  currency: string;
}

export function accountView(account: AccountWithOwner, currency: Currency): AccountView {
  return {
    number: accountLabel(account),
    type: account.kind,
    name: account.name,
    balance: formatMoney(account.balance, currency),
    currency: currency.code,
    owner: account.owner,
    active: account.ownerActive,
  };
}

export function entryType(kind: string, amount: number): EntryType {
  if (kind === 'transfer') return amount < 0 ? 'transfer_out' : 'transfer_in';
  return kind;
}

export function entryView(row: HistoryRow, currency: Currency): EntryView {
  return {
    id: row.transactionId,
    type: entryType(row.kind, row.amount),
    amount: formatMoney(Math.abs(row.amount), currency),
    balanceAfter: formatMoney(row.balanceAfter, currency),
    counterparty: row.counterparty,
    counterpartyOwner: row.counterpartyOwner,
    note: row.note,
    createdAt: iso(row.createdAt),
    currency: currency.code,
  };
}

/** A transfer as the sender sees it: the entry, and the fee charged with it ("0.00" when free). */
export function transferView(result: TransferResult, currency: Currency) {
  return {
    ...entryView(result, currency),
    fee: formatMoney(result.fee, currency),
    feeTransactionId: result.feeTransactionId,
    balanceAfterFee: formatMoney(result.balanceAfter - result.fee, currency),
  };
}
export type TransferView = ReturnType<typeof transferView>;

export function userView(user: User, lockedUntil?: number) {
  return {
    username: user.username,
    role: user.role,
    active: user.active,
    createdAt: iso(user.createdAt),
    lastLoginAt: user.lastLoginAt === null ? null : iso(user.lastLoginAt),
    lockedUntil: lockedUntil === undefined ? null : iso(lockedUntil),
  };
}
export type UserView = ReturnType<typeof userView>;

export function auditView(row: AuditRow, currency: Currency) {
  return {
    id: row.id,
    kind: row.kind,
    amount: formatMoney(
      row.postings.reduce((sum, p) => sum + Math.max(p.amount, 0), 0),
      currency,
    ),
    from: row.postings.filter((p) => p.amount < 0).map((p) => p.account),
    to: row.postings.filter((p) => p.amount > 0).map((p) => p.account),
    actor: row.actor,
    note: row.note,
    createdAt: iso(row.createdAt),
    postings: row.postings.map((p) => ({ ...p, amount: formatMoney(p.amount, currency) })),
  };
}
export type AuditView = ReturnType<typeof auditView>;

export function adminActionView(row: AdminAction) {
  return { ...row, createdAt: iso(row.createdAt) };
}
export type AdminActionView = ReturnType<typeof adminActionView>;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function statementView(s: Statement, currency: Currency) {
  const money = (minor: number | bigint) => formatMoney(minor, currency);
  return {
    account: s.account.number ?? '',
    owner: s.account.owner,
    type: s.account.kind,
    name: s.account.name,
    currency: currency.code,
    period: { month: s.month.label, from: iso(s.month.start).slice(0, 10), to: iso(s.month.end - 1).slice(0, 10) },
    opening: money(s.opening),
    entries: s.entries.map((e) => ({
      id: e.transactionId,
      date: iso(e.createdAt),
      type: entryType(e.kind, e.amount),
      amount: money(e.amount),
      balance: money(e.balanceAfter),
      counterparty: e.counterparty,
      counterpartyOwner: e.counterpartyOwner,
      note: e.note,
    })),
    totalIn: money(s.totalIn),
    totalOut: money(s.totalOut),
    closing: money(s.closing),
  };
}
export type StatementView = ReturnType<typeof statementView>;
