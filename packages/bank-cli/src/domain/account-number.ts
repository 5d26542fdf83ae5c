import { ValidationError } from '@quartet/core/errors';

/**
 * Account numbers are 10 digits: 9 random digits and a Luhn check digit, so a
 * single mistyped digit or a swap of neighbours is caught before any lookup.
 */
export const ACCOUNT_NUMBER_LENGTH = 10;

export function luhnCheckDigit(payload: string): number {
  let sum = 0;
  // Walk right to left; the digit next to the check digit is doubled first.
  for (let i = payload.length - 1, double = true; i >= 0; i -= 1, double = !double) {
    let digit = payload.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidAccountNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  return luhnCheckDigit(value.slice(0, -1)) === Number(value.slice(-1));
}

/** Throws a ValidationError naming the problem; returns the number otherwise. */
export function parseAccountNumber(value: string): string {
  const compact = value.replace(/[\s-]/g, '');
  if (!/^\d+$/.test(compact)) throw invalid(`"${value}" is not an account number; use its 10 digits`);
  if (compact.length !== ACCOUNT_NUMBER_LENGTH) {
    throw invalid(`account number must have ${ACCOUNT_NUMBER_LENGTH} digits, got ${compact.length}`);
  }
  if (!isValidAccountNumber(compact)) throw invalid(`account number ${compact} is mistyped (check digit mismatch)`);
  return compact;
}

/** `randomDigit` is injected so tests can make numbers collide on purpose. */
export function generateAccountNumber(randomDigit: () => number): string {
  // A leading zero would be lost by anyone who stores the number as an integer.
  let payload = String(1 + (randomDigit() % 9));
  while (payload.length < ACCOUNT_NUMBER_LENGTH - 1) payload += String(randomDigit() % 10);
  return payload + String(luhnCheckDigit(payload));
}

function invalid(message: string): ValidationError {
  return new ValidationError(message, { code: 'INVALID_ACCOUNT_NUMBER' });
}
