import { ConflictError, parseWith, passwordFor, UnauthenticatedError, usernameSchema } from '@quartet/core';
import type { Bank } from './bank.js';
import { beginAttempt, endAttempt } from './login-attempts.js';
import type { Role, User } from './types.js';

export { FAILURE_WINDOW_MS, LOCK_MS, MAX_FAILURES } from './login-attempts.js';
export const LOGIN_FAILED = 'invalid username or password';
/** For a user with two-factor login: the same answer whether the password or the code was wrong. */
export const LOGIN_OR_CODE_FAILED = 'invalid username, password or two-factor code';
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
      throw new ConflictError(`username ${username} is not available`, 'USERNAME_TAKEN');
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
 * Unknown user, wrong password, deactivated user and (for a user with
 * two-factor login) wrong code fail alike, after the same bcrypt work. The
 * code is asked for before anything is judged, so whether it is asked says
 * nothing about the password. Each attempt is counted before it is judged
 * (see beginAttempt): five failures for a name in the window lock it, in the
 * database, for every process.
 */
export async function login(
  bank: Bank,
  usernameInput: string,
  password: string,
  secondFactor?: () => Promise<string>,
): Promise<User> {
  // A name that could never be valid is simply unknown; keep what we record short.
  const username = usernameInput.trim().toLowerCase().slice(0, 64);
  const user = bank.store.users.byUsername(username);
  let code: string | undefined;
  if (user?.totpSecret) {
    if (!secondFactor) throw new UnauthenticatedError('this user needs a two-factor code to log in', 'TOTP_REQUIRED');
    code = await secondFactor();
  }
  const attempt = beginAttempt(bank, username);
  const failure = await judge(bank, user, password, code);
  if (failure === undefined && user) {
    endAttempt(bank, attempt, undefined, () => bank.store.users.setLastLogin(user.id, bank.now()));
    return bank.store.users.byId(user.id)!;
  }
  endAttempt(bank, attempt, failure ?? 'unknown');
  throw new UnauthenticatedError(code === undefined ? LOGIN_FAILED : LOGIN_OR_CODE_FAILED, 'LOGIN_FAILED');
}

/** Why the login fails, or undefined when it succeeds. A code is checked (and spent) only after the right password. */
async function judge(
  bank: Bank,
  user: User | undefined,
  password: string,
  code: string | undefined,
): Promise<string | undefined> {
  if (!user) {
    await bank.hasher.verifyDummy(password);
    return 'unknown_user';
  }
  if (!(await bank.hasher.verify(password, user.passwordHash))) return 'bad_password';
  if (!user.active) return 'inactive';
  if (code === undefined) return undefined;
  // Loaded only here: otplib costs every other login nothing.
  const { checkSecondFactor } = await import('./second-factor.js');
  return checkSecondFactor(bank, user, code) ? undefined : 'bad_totp';
}

/** The current password is checked like a login: counted first, so the menus cannot be used to guess it. */
export async function changePassword(bank: Bank, user: User, current: string, next: string): Promise<void> {
  const stored = bank.store.users.byId(user.id);
  if (!stored) throw new UnauthenticatedError('current password is wrong', 'LOGIN_FAILED');
  parseWith(passwordFor(stored.username), next);
  const attempt = beginAttempt(bank, stored.username);
  const right = await bank.hasher.verify(current, stored.passwordHash);
  endAttempt(bank, attempt, right ? undefined : 'bad_password');
  if (!right) throw new UnauthenticatedError('current password is wrong', 'LOGIN_FAILED');
  const hash = await bank.hasher.hash(next);
  bank.store.writeTransaction(() => bank.store.users.setPasswordHash(stored.id, hash));
}
