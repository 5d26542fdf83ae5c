import { ForbiddenError } from '@quartet/core/errors';
import { type PasswordHasher } from '@quartet/core/password';
import type { Store } from './store.js';
import type { User } from './types.js';

/** Everything a use case needs; clock and randomness are injected so tests control them. */
export interface Bank {
  store: Store;
  hasher: PasswordHasher;
  now: () => number;
  /** 0-9, uniformly */
  randomDigit: () => number;
}

/**
 * The acting user, re-read inside the write transaction: a user deactivated
 * by an administrator a moment ago (in another process) can move no money.
 */
export function requireActiveUser(bank: Bank, user: User): User {
  const current = bank.store.users.byId(user.id);
  if (!current?.active) throw new ForbiddenError(`user ${user.username} is deactivated`, 'INACTIVE');
  return current;
}

export function requireAdmin(bank: Bank, user: User): User {
  const current = requireActiveUser(bank, user);
  if (current.role !== 'admin') throw new ForbiddenError('this needs an administrator', 'NOT_ADMIN');
  return current;
}
