import { createHash, randomInt } from 'node:crypto';
import { ConflictError, NotFoundError, UnauthenticatedError, ValidationError } from '@quartet/core';
import { generateSecret, generateURI, verifySync } from 'otplib';
import { log } from './admin.js';
import { parseUsername, TOTP_FAILED } from './auth.js';
import { requireActiveUser, requireAdmin, type Bank } from './bank.js';
import { beginAttempt, endAttempt } from './login-attempts.js';
import type { User } from './types.js';

/**
 * TOTP (RFC 6238) through otplib: SHA-1, 6 digits, 30-second steps, one step
 * of clock drift either way. The last accepted step is stored per user and a
 * code for it or an earlier step is refused, so a code works once.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DRIFT_STEPS = 1;
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
  });
  return codes;
}

/**
 * The second step of a login: a current TOTP code not used before, or an
 * unused recovery code. Consumes what it accepts (compare-and-set in the
 * database, so two processes cannot both use one code).
 */
export function checkSecondFactor(bank: Bank, user: User, input: string): boolean {
  const code = input.trim();
  if (!user.totpSecret) return true;
  if (/^\d{6}$/.test(code)) {
    const step = matchingStep(bank, user.totpSecret, code, user.totpLastStep);
    return step !== undefined && bank.store.writeTransaction(() => bank.store.twoFactor.advanceStep(user.id, step));
  }
  const normalized = code.toLowerCase().replace(/[\s-]/g, '');
  if (!/^[a-z2-7]{16}$/.test(normalized)) return false;
  return bank.store.writeTransaction(() =>
    bank.store.twoFactor.useRecoveryCode(user.id, hashRecoveryCode(normalized), bank.now()),
  );
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
    log(bank, actor, 'reset-2fa', target.username, null);
    return { ...target, totpSecret: null, totpLastStep: null };
  });
}

/** The time step `code` belongs to (now, or one step either side), if it is later than `after`. */
function matchingStep(bank: Bank, secret: string, code: string, after: number | null): number | undefined {
  if (!/^\d{6}$/.test(code.trim())) return undefined;
  const result = verifySync({
    secret,
    token: code.trim(),
    epoch: Math.floor(bank.now() / 1000),
    epochTolerance: TOTP_PERIOD_SECONDS * TOTP_DRIFT_STEPS,
    ...(after === null ? {} : { afterTimeStep: after }),
  });
  // The union also covers HOTP results, which carry no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
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

export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.replace(/-/g, '')).digest('hex');
}
