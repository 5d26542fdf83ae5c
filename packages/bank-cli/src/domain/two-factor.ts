import { randomInt } from 'node:crypto';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '@quartet/core/errors';
import { generateSecret, generateURI } from 'otplib';
import { log } from './admin-log.js';
import { parseUsername } from './auth.js';
import { requireActiveUser, requireAdmin, type Bank } from './bank.js';
import { beginAttempt, endAttempt } from './login-attempts.js';
import { noticeText, notify } from './notices.js';
import { checkSecondFactor, hashRecoveryCode, matchingStep, TOTP_FAILED } from './second-factor.js';
import type { User } from './types.js';

// Two-factor login's life: enrolment with recovery codes, turning it off, its status, an administrator's reset.
// Checking a code at login is second-factor.ts, which logging in loads without the rest.
export const RECOVERY_CODES = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

export interface Enrolment {
  secret: string;
  /** otpauth:// URI for the QR code */
  uri: string;
}

/** A fresh secret to show; nothing is stored until a code for it is confirmed. */
export function beginEnrolment(bank: Bank, user: User): Enrolment {
  const current = requireActiveUser(bank, user);
  if (current.totpSecret) throw new ConflictError('two-factor login is already on; disable it first', 'TOTP_ON');
  const secret = generateSecret();
  return { secret, uri: generateURI({ issuer: 'bank', label: current.username, secret }) };
}

/**
 * Turns two-factor login on once `code` matches `secret`, and returns 10
 * recovery codes, shown once and stored only as SHA-256 hashes.
 */
export function confirmEnrolment(bank: Bank, user: User, secret: string, code: string): string[] {
  const step = matchingStep(bank, secret, code, null);
  if (step === undefined) {
    throw new ValidationError('that code does not match; two-factor login stays off', { code: 'TOTP_MISMATCH' });
  }
  const codes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  bank.store.writeTransaction(() => {
    const current = requireActiveUser(bank, user);
    if (current.totpSecret) throw new ConflictError('two-factor login is already on; disable it first', 'TOTP_ON');
    bank.store.twoFactor.setSecret(current.id, secret);
    bank.store.twoFactor.advanceStep(current.id, step);
    bank.store.twoFactor.replaceRecoveryCodes(current.id, codes.map(hashRecoveryCode));
    notify(bank.store, current.id, 'two_factor', noticeText.twoFactorOn(), bank.now());
  });
  return codes;
}

/**
 * Turning it off from the menus takes a fresh code, checked like a login
 * attempt: counted first, and a wrong code is a failure towards the lockout.
 */
export function disableTwoFactorWithCode(bank: Bank, user: User, code: string): void {
  const current = requireActiveUser(bank, user);
  const attempt = beginAttempt(bank, current.username);
  const right = checkSecondFactor(bank, current, code);
  endAttempt(bank, attempt, right ? undefined : 'bad_totp');
  if (!right) throw new UnauthenticatedError(TOTP_FAILED, 'TOTP_FAILED');
  disableTwoFactor(bank, current);
}

export function disableTwoFactor(bank: Bank, user: User): void {
  bank.store.writeTransaction(() => {
    const current = requireActiveUser(bank, user);
    if (!current.totpSecret) throw new ConflictError('two-factor login is not on', 'TOTP_OFF');
    clear(bank, current.id);
    notify(bank.store, current.id, 'two_factor', noticeText.twoFactorOff(), bank.now());
  });
}

export function twoFactorStatus(bank: Bank, user: User): { enabled: boolean; recoveryCodesLeft: number } {
  const current = requireActiveUser(bank, user);
  return {
    enabled: current.totpSecret !== null,
    recoveryCodesLeft: current.totpSecret ? bank.store.twoFactor.unusedRecoveryCodes(current.id) : 0,
  };
}

/** For a user who lost their device and their recovery codes. Logged. */
export function resetTwoFactor(bank: Bank, admin: User, usernameInput: string): User {
  const username = parseUsername(usernameInput);
  return bank.store.writeTransaction(() => {
    const actor = requireAdmin(bank, admin);
    const target = bank.store.users.byUsername(username);
    if (!target) throw new NotFoundError(`user ${username} not found`, 'USER_NOT_FOUND');
    if (!target.totpSecret) throw new ConflictError(`two-factor login is not on for ${username}`, 'TOTP_OFF');
    clear(bank, target.id);
    notify(bank.store, target.id, 'two_factor', noticeText.twoFactorReset(), bank.now());
    log(bank, actor, 'reset-2fa', target.username, null);
    return { ...target, totpSecret: null, totpLastStep: null };
  });
}

function clear(bank: Bank, userId: number): void {
  bank.store.twoFactor.setSecret(userId, null);
  bank.store.twoFactor.replaceRecoveryCodes(userId, []);
}

/**
 * 16 base32 characters = 80 random bits, shown as xxxx-xxxx-xxxx-xxxx.
 * SHA-256 rather than bcrypt: guessing 2^80 codes is out of reach even at
 * GPU hash rates, and an exact-hash lookup lets one UPDATE both find and
 * consume a code atomically.
 */
function newRecoveryCode(): string {
  const raw = Array.from({ length: 16 }, () => BASE32[randomInt(32)]).join('');
  return raw.match(/.{4}/g)!.join('-');
}
