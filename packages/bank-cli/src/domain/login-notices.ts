import type { Bank } from './bank.js';
import { noticeDueItems } from './due-notices.js';
import { noticeText, notify } from './notices.js';
import type { User } from './types.js';

/**
 * At a successful login, in its transaction: how many attempts failed since the last successful one (`user` is
 * as read before this login), then whatever has fallen due.
 */
export function noticeAtLogin(bank: Bank, user: User, now: number): void {
  // Failures are kept by name, so tries at a name before it was registered are not this user's.
  const since = Math.max(user.lastLoginAt ?? -1, user.createdAt - 1);
  const failures = bank.store.logins.countFailuresAfter(user.username, since);
  if (failures > 0) notify(bank.store, user.id, 'failed_logins', noticeText.failedLogins(failures), now);
  noticeDueItems(bank, user, now);
}
