import { ConflictError, ValidationError } from '@quartet/core/errors';
import { parseAccountNumber } from './account-number.js';
import type { Bank } from './bank.js';
import { parseMonth, type Month } from './calendar.js';
import { readableAccount } from './history.js';
import type { AccountWithOwner, HistoryRow, User } from './types.js';

export const STATEMENT_FORMATS = ['text', 'csv', 'json'] as const;
export type StatementFormat = (typeof STATEMENT_FORMATS)[number];

export interface Statement {
  account: AccountWithOwner;
  month: Month;
  opening: number;
  /** oldest first; each row's balanceAfter is the running balance */
  entries: HistoryRow[];
  /** BigInts: money paid in and out again within a month can add up past 2^53 while no balance does. */
  totalIn: bigint;
  totalOut: bigint;
  closing: number;
}

export function parseStatementFormat(input: string | undefined): StatementFormat {
  const format = input ?? 'text';
  if (!(STATEMENT_FORMATS as readonly string[]).includes(format)) {
    throw new ValidationError(`--format must be text, csv or json, got "${format}"`, { code: 'INVALID_FORMAT' });
  }
  return format as StatementFormat;
}

/**
 * One calendar month (UTC) of an account: the balance before its first
 * instant, every posting in it, and the balance after. Read in one
 * transaction so a concurrent posting cannot fall between opening and entries.
 * The owner sees their accounts; administrators see any.
 */
export function monthlyStatement(bank: Bank, user: User, numberInput: string, monthInput: string): Statement {
  const number = parseAccountNumber(numberInput);
  const month = parseMonth(monthInput);
  return bank.store.writeTransaction(() => {
    const account = readableAccount(bank, user, number);
    if (month.start > bank.now()) throw new ConflictError(`${month.label} has not started yet`, 'MONTH_NOT_STARTED');
    const opening = bank.store.ledger.balanceBefore(account.id, month.start);
    const entries = bank.store.ledger.entriesBetween(account.id, month.start, month.end);
    return summarize(account, month, opening, entries);
  });
}

/** Totals and closing from the entries; the running balances must agree with them. */
export function summarize(account: AccountWithOwner, month: Month, opening: number, entries: HistoryRow[]): Statement {
  let running = opening;
  let totalIn = 0n;
  let totalOut = 0n;
  for (const e of entries) {
    running += e.amount;
    if (e.amount > 0) totalIn += BigInt(e.amount);
    else totalOut -= BigInt(e.amount);
    // The ledger stores each posting's balance; a mismatch is a broken ledger, not a user error.
    if (running !== e.balanceAfter)
      throw new Error(`statement of ${account.number}: running balance breaks at #${e.transactionId}`);
  }
  return { account, month, opening, entries, totalIn, totalOut, closing: running };
}
