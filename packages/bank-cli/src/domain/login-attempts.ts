import { ForbiddenError } from '@quartet/core/errors';
import type { Bank } from './bank.js';
import { noticeText, notify } from './notices.js';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;

/** A password or code check that has been counted and may now be judged. */
export interface Attempt {
  id: number;
  username: string;
  /** This attempt was the MAX_FAILURES-th in the window and locked the name; a success lifts that lock. */
  locks: number | undefined;
}

/**
 * Counts an attempt before anything is judged. In one BEGIN IMMEDIATE
 * transaction: refuse a locked name, record the attempt as a pending failure,
 * and lock the name if this is the fifth failure in the window. bcrypt runs
 * after the commit, so however many processes start at once, each sees the
 * attempts of those before it and at most MAX_FAILURES are ever judged in a
 * window. An attempt whose process dies before the verdict stays a failure.
 */
export function beginAttempt(bank: Bank, username: string): Attempt {
  const { logins, users } = bank.store;
  const outcome = bank.store.bookkeepingTransaction((): { attempt: Attempt } | { lockedForMs: number } => {
    // The clock is read holding the write lock: a process that waited for it must not judge a lock set meanwhile
    // with an older time (the lock would seem to last 16 minutes).
    const now = bank.now();
    const lockedUntil = logins.lockedUntil(username);
    if (lockedUntil !== undefined && lockedUntil > now) {
      logins.recordFailure(username, 'locked', now);
      return { lockedForMs: lockedUntil - now };
    }
    const id = logins.reserve(username, now);
    // Count only failures since the last success or the end of the last lock; the one just reserved always counts.
    const user = users.byUsername(username);
    const since = Math.max(now - FAILURE_WINDOW_MS, user?.lastLoginAt ?? 0, lockedUntil ?? 0);
    const failures = logins.countFailuresAfter(username, Math.min(since, now - 1));
    const locks = failures >= MAX_FAILURES ? now + LOCK_MS : undefined;
    if (locks !== undefined) {
      logins.lock(username, locks);
      if (user) notify(bank.store, user.id, 'locked', noticeText.locked(locks), now, lockKey(locks));
    }
    return { attempt: { id, username, locks } };
  });
  if ('lockedForMs' in outcome) throw lockedError(username, outcome.lockedForMs);
  return outcome.attempt;
}

/** The verdict: a failure keeps its reason; a success was no failure (and lifts a lock it set). */
export function endAttempt(bank: Bank, attempt: Attempt, failure: string | undefined, onSuccess?: () => void): void {
  const { logins } = bank.store;
  bank.store.bookkeepingTransaction(() => {
    if (failure !== undefined) return logins.settle(attempt.id, failure);
    logins.forget(attempt.id);
    if (attempt.locks !== undefined) {
      logins.unlock(attempt.username, attempt.locks);
      // The lock never took effect, so neither did its notice.
      const user = bank.store.users.byUsername(attempt.username);
      const removed = user ? bank.store.notifications.deleteByKey(user.id, lockKey(attempt.locks)) : undefined;
      // Its e-mail too, unless a process has already tried to send it.
      if (removed !== undefined) bank.store.outbox?.cancelUntried(removed);
    }
    onSuccess?.();
  });
}

function lockKey(until: number): string {
  return `locked:${until}`;
}

function lockedError(username: string, remainingMs: number): ForbiddenError {
  const minutes = Math.ceil(remainingMs / 60_000);
  return new ForbiddenError(
    `too many failed logins; ${username} is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}`,
    'LOCKED',
  );
}
