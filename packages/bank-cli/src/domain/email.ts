import { createHash, timingSafeEqual } from 'node:crypto';
import { ConflictError, ValidationError } from '@quartet/core/errors';
import { requireActiveUser, type Bank } from './bank.js';
import type { User } from './types.js';

export const CODE_DIGITS = 6;
export const CODE_TTL_MS = 30 * 60_000;
/** Wrong codes allowed; the next one voids the code. */
export const MAX_CODE_TRIES = 5;

export interface EmailStatus {
  address: string | null;
  verified: boolean;
}

/** A sane single-line address: one @, no spaces or control characters, at most 254 characters. */
export function parseEmailAddress(input: string): string {
  const fail = (why: string) => {
    throw new ValidationError(`invalid e-mail address: ${why}`, { code: 'INVALID_EMAIL' });
  };
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(input)) fail('it contains a control character');
  if (/\s/.test(input)) fail('it contains a space');
  if (input.length > 254) fail('longer than 254 characters');
  const at = input.lastIndexOf('@');
  if (at < 1 || at === input.length - 1) fail('it needs a name, an @ and a domain');
  if (input.indexOf('@') !== at) fail('only one @ is allowed');
  const domain = input.slice(at + 1);
  if (!/^[^.]+(\.[^.]+)*$/.test(domain) || /[<>(),;:"[\]\\]/.test(input))
    fail('the domain or a character is not valid');
  return input;
}

export function emailStatus(bank: Bank, user: User): EmailStatus {
  const row = bank.store.emails.get(user.id);
  return { address: row?.address ?? null, verified: row?.verifiedAt != null };
}

/** Sets the address as unverified and returns the code to send to it (stored only hashed). */
export function requestEmail(bank: Bank, user: User, input: string): { address: string; code: string } {
  const address = parseEmailAddress(input);
  const code = Array.from({ length: CODE_DIGITS }, () => bank.randomDigit()).join('');
  bank.store.writeTransaction(() => {
    const current = requireActiveUser(bank, user);
    bank.store.emails.setAddress(current.id, address, { hash: hashCode(code), expiresAt: bank.now() + CODE_TTL_MS });
  });
  return { address, code };
}

/**
 * Checks the code; a wrong one is counted (committed) before the error is thrown, and the fifth wrong one voids
 * the code. An expired or voided code needs `bank profile email ADDRESS` again.
 */
export function verifyEmail(bank: Bank, user: User, code: string): EmailStatus {
  const outcome = bank.store.writeTransaction((): 'verified' | 'none' | 'expired' | 'void' | 'wrong' => {
    const current = requireActiveUser(bank, user);
    const row = bank.store.emails.get(current.id);
    if (!row) return 'none';
    if (row.verifiedAt !== null) return 'verified';
    if (row.codeHash === null || row.codeExpiresAt === null) return 'void';
    if (row.codeTries >= MAX_CODE_TRIES) return 'void';
    if (bank.now() >= row.codeExpiresAt) return 'expired';
    if (!sameHash(row.codeHash, hashCode(code.trim()))) {
      bank.store.emails.setTries(current.id, row.codeTries + 1);
      return row.codeTries + 1 >= MAX_CODE_TRIES ? 'void' : 'wrong';
    }
    bank.store.emails.markVerified(current.id, bank.now());
    return 'verified';
  });
  const again = 'run bank profile email ADDRESS for a new one';
  switch (outcome) {
    case 'verified':
      return emailStatus(bank, user);
    case 'none':
      throw new ConflictError('no e-mail address to verify: bank profile email ADDRESS first', 'NO_EMAIL');
    case 'expired':
      throw new ConflictError(`the verification code has expired; ${again}`, 'EMAIL_CODE_EXPIRED');
    case 'void':
      throw new ConflictError(`the verification code is void after too many wrong tries; ${again}`, 'EMAIL_CODE_VOID');
    case 'wrong':
      throw new ValidationError('that verification code is wrong', { code: 'EMAIL_CODE_WRONG' });
  }
}

export function removeEmail(bank: Bank, user: User): void {
  bank.store.writeTransaction(() => bank.store.emails.remove(requireActiveUser(bank, user).id));
}

function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
