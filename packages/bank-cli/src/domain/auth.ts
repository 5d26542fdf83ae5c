import {
  ConflictError,
  ForbiddenError,
  parseWith,
  passwordFor,
  UnauthenticatedError,
  usernameSchema,
} from '@quartet/core';
import type { Bank } from './bank.js';
import type { Role, User } from './types.js';

export const MAX_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60_000;
export const LOCK_MS = 15 * 60_000;
export const LOGIN_FAILED = 'invalid username or password';
export const TOTP_FAILED = 'invalid or already used two-factor code';

export function parseUsername(input: string): string {
  return parseWith(usernameSchema, input);
}

export interface CreateUserHooks {
  /** Runs in the write transaction before the insert; throw to refuse. */
  check?: () => void;
  /** Runs in the same transaction after the insert (an audit entry, say). */
  after?: (user: User) => void;
}

/** Validates both, then hashes outside any transaction (bcrypt is slow and async). */
export async function createUser(
  bank: Bank,
  usernameInput: string,
  password: string,
  role: Role,
  hooks: CreateUserHooks = {},
): Promise<User> {
  const username = parseUsername(usernameInput);
  parseWith(passwordFor(username), password);
  const passwordHash = await bank.hasher.hash(password);
  return bank.store.writeTransaction(() => {
    hooks.check?.();
    if (bank.store.users.byUsername(username)) {
      throw new ConflictError(`username ${username} is taken`, 'USERNAME_TAKEN');
    }
    const user = bank.store.users.insert({ username, passwordHash, role, createdAt: bank.now() });
    hooks.after?.(user);
    return user;
  });
}

export function register(bank: Bank, username: string, password: string): Promise<User> {
  return createUser(bank, username, password, 'user');
}

/**
 * Unknown user, wrong password and deactivated user fail alike, after the same
 * bcrypt work. Failures are recorded per name (known or not); five within the
 * window lock that name, in the database, for every process.
 */
export async function login(
  bank: Bank,
  usernameInput: string,
  password: string,
  secondFactor?: () => Promise<string>,
): Promise<User> {
  // A name that could never be valid is simply unknown; keep what we record short.
  const username = usernameInput.trim().toLowerCase().slice(0, 64);
  const now = bank.now();
  const lockedUntil = bank.store.logins.lockedUntil(username);
  if (lockedUntil !== undefined && lockedUntil > now) {
    bank.store.writeTransaction(() => bank.store.logins.recordFailure(username, 'locked', now));
    const minutes = Math.ceil((lockedUntil - now) / 60_000);
    throw new ForbiddenError(
      `too many failed logins; ${username} is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}`,
      'LOCKED',
    );
  }

  const user = bank.store.users.byUsername(username);
  let reason: string | undefined;
  if (!user) {
    await bank.hasher.verifyDummy(password);
    reason = 'unknown_user';
  } else if (!(await bank.hasher.verify(password, user.passwordHash))) {
    reason = 'bad_password';
  } else if (!user.active) {
    reason = 'inactive';
  }

  // Two-factor users give a code after the right password; a wrong one is a failed login like any other.
  if (reason === undefined && user?.totpSecret) {
    if (!secondFactor) throw new UnauthenticatedError('this user needs a two-factor code to log in', 'TOTP_REQUIRED');
    // Loaded only here: otplib costs every other login nothing.
    const { checkSecondFactor } = await import('./two-factor.js');
    if (!checkSecondFactor(bank, user, await secondFactor())) reason = 'bad_totp';
  }
  if (reason === undefined && user) {
    bank.store.writeTransaction(() => bank.store.users.setLastLogin(user.id, now));
    return bank.store.users.byId(user.id)!;
  }
  bank.store.writeTransaction(() => {
    bank.store.logins.recordFailure(username, reason ?? 'unknown', now);
    // Count only failures since the last success or the end of the last lock.
    const since = Math.max(now - FAILURE_WINDOW_MS, user?.lastLoginAt ?? 0, lockedUntil ?? 0);
    if (bank.store.logins.countFailuresAfter(username, since) >= MAX_FAILURES) {
      bank.store.logins.lock(username, now + LOCK_MS);
    }
  });
  if (reason === 'bad_totp') throw new UnauthenticatedError(TOTP_FAILED, 'TOTP_FAILED');
  throw new UnauthenticatedError(LOGIN_FAILED, 'LOGIN_FAILED');
}

export async function changePassword(bank: Bank, user: User, current: string, next: string): Promise<void> {
  const stored = bank.store.users.byId(user.id);
  if (!stored || !(await bank.hasher.verify(current, stored.passwordHash))) {
    throw new UnauthenticatedError('current password is wrong', 'LOGIN_FAILED');
  }
  parseWith(passwordFor(stored.username), next);
  const hash = await bank.hasher.hash(next);
  bank.store.writeTransaction(() => bank.store.users.setPasswordHash(stored.id, hash));
}
