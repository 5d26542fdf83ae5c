import { ForbiddenError, NotFoundError } from '@quartet/core/errors';
import { requireActiveUser, type Bank } from './bank.js';
import type { Account, AccountWithOwner, SystemAccountCode, User } from './types.js';

/** Finding users and accounts by name, number or code, with the not-found and ownership errors every use case shares. */
export function findUser(bank: Bank, username: string): User {
  const user = bank.store.users.byUsername(username);
  if (!user) throw new NotFoundError(`user ${username} not found`, 'USER_NOT_FOUND');
  return user;
}

export function findAccount(bank: Bank, number: string): AccountWithOwner {
  const account = bank.store.accounts.byNumber(number);
  if (!account) throw new NotFoundError(`account ${number} not found`, 'ACCOUNT_NOT_FOUND');
  return account;
}

export function systemAccount(bank: Bank, code: SystemAccountCode): Account {
  const account = bank.store.accounts.bySystemCode(code);
  if (!account) throw new Error(`the ${code} account is missing`);
  return account;
}

/** Money only leaves (or, for cash, enters) an account its owner acts on. */
export function ownAccount(bank: Bank, user: User, number: string): AccountWithOwner {
  const account = findAccount(bank, number);
  if (account.ownerId !== user.id) throw new ForbiddenError(`account ${number} is not yours`, 'NOT_OWNER');
  return account;
}

/**
 * `requireActiveUser` then `ownAccount`, with the same errors in the same order, in one read on the usual path:
 * the account row carries its owner's active flag, so an active owner needs no separate user lookup.
 */
export function activeOwnAccount(bank: Bank, user: User, number: string): AccountWithOwner {
  const account = bank.store.accounts.byNumber(number);
  if (account?.ownerId === user.id && account.ownerActive) return account;
  requireActiveUser(bank, user);
  return ownAccount(bank, user, number);
}
