import { UnauthenticatedError } from '@quartet/core/errors';
import type { Bank } from './bank.js';
import { beginAttempt, endAttempt } from './login-attempts.js';
import { noticeAtLogin } from './login-notices.js';
import type { User } from './types.js';

export { FAILURE_WINDOW_MS, LOCK_MS, MAX_FAILURES } from './login-attempts.js';
export const LOGIN_FAILED = 'invalid username or password';
/** For a user with two-factor login: the same answer whether the password or the code was wrong. */
export const LOGIN_OR_CODE_FAILED = 'invalid username, password or two-factor code';

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
    endAttempt(bank, attempt, undefined, () => {
      const now = bank.now();
      // Read before the last login moves: the failures since the one before.
      noticeAtLogin(bank, user, now);
      bank.store.users.setLastLogin(user.id, now);
    });
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
