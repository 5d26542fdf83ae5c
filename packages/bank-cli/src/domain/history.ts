import { ForbiddenError, ValidationError } from '@quartet/core/errors';
import { parseAccountNumber } from './account-number.js';
import { DAY_MS, parseDay } from './calendar.js';
import { requireActiveUser, type Bank } from './bank.js';
import { findAccount } from './lookup.js';
import type { AccountWithOwner, HistoryRow, User } from './types.js';

export const DEFAULT_HISTORY_LIMIT = 50;
export const MAX_LIMIT = 10_000;

export interface HistoryOptions {
  limit?: string | undefined;
  /** YYYY-MM-DD, inclusive, UTC */
  since?: string | undefined;
  /** YYYY-MM-DD, inclusive, UTC */
  until?: string | undefined;
}

/** Newest first. Owners see their accounts; administrators see any. */
export function accountHistory(
  bank: Bank,
  user: User,
  numberInput: string,
  options: HistoryOptions = {},
): HistoryRow[] {
  const number = parseAccountNumber(numberInput);
  const limit = parseLimit(options.limit, DEFAULT_HISTORY_LIMIT);
  const since = options.since === undefined ? undefined : parseDay(options.since, '--since');
  const until = options.until === undefined ? undefined : parseDay(options.until, '--until') + DAY_MS;
  if (since !== undefined && until !== undefined && since >= until) {
    throw new ValidationError('--since must not be after --until');
  }
  const account = readableAccount(bank, user, number);
  return bank.store.ledger.history(account.id, { limit, since, until });
}

/** An account whose entries `user` may read: their own, or any for an administrator. */
export function readableAccount(bank: Bank, user: User, number: string): AccountWithOwner {
  const current = requireActiveUser(bank, user);
  const account = findAccount(bank, number);
  if (account.ownerId !== current.id && current.role !== 'admin') {
    throw new ForbiddenError(`account ${number} is not yours`, 'NOT_OWNER');
  }
  return account;
}

export function parseLimit(input: string | undefined, fallback: number): number {
  if (input === undefined) return fallback;
  if (!/^\d+$/.test(input) || Number(input) < 1 || Number(input) > MAX_LIMIT) {
    throw new ValidationError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got "${input}"`);
  }
  return Number(input);
}
