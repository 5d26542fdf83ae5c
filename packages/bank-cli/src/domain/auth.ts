import { ConflictError, UnauthenticatedError } from '@quartet/core/errors';
import { parseWith, passwordFor, usernameSchema } from '@quartet/core/validation';
import type { Bank } from './bank.js';
import { beginAttempt, endAttempt } from './login-attempts.js';
import type { Role, User } from './types.js';

// Setting passwords: registering, creating users, changing a password. Logging in is login.ts, which loads
// no zod: the password policy is only needed where a password is set.

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
