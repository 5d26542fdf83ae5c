import { createHash } from 'node:crypto';
import { verifySync } from 'otplib';
import type { Bank } from './bank.js';
import type { User } from './types.js';

/**
 * TOTP (RFC 6238) through otplib: SHA-1, 6 digits, 30-second steps, one step
 * of clock drift either way. The last accepted step is stored per user and a
 * code for it or an earlier step is refused, so a code works once.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DRIFT_STEPS = 1;
export const TOTP_FAILED = 'invalid or already used two-factor code';

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

/** The time step `code` belongs to (now, or one step either side), if it is later than `after`. */
export function matchingStep(bank: Bank, secret: string, code: string, after: number | null): number | undefined {
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

/** Recovery codes are kept as SHA-256 of their 16 characters without dashes (two-factor.ts says why not bcrypt). */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(code.replace(/-/g, '')).digest('hex');
}
