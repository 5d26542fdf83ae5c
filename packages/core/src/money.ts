import { ValidationError } from './errors.js';

/**
 * Money is an integer count of minor units (cents) from the edge inwards.
 * Strings are parsed digit by digit; no float ever touches an amount.
 */
export interface AmountOptions {
  /** Digits after the decimal point in this currency. Default 2. */
  decimals?: number;
  /** Largest accepted amount, in minor units. Default 100,000,000,000 (one billion units). */
  maxMinor?: number;
  /** Accept "0". Default false: amounts must be positive. */
  allowZero?: boolean;
}

export const DEFAULT_MAX_MINOR = 100_000_000_000;

const AMOUNT = /^(\d+)(?:\.(\d+))?$/;

export function parseAmount(input: string, options: AmountOptions = {}): number {
  const decimals = options.decimals ?? 2;
  const maxMinor = options.maxMinor ?? DEFAULT_MAX_MINOR;
  if (typeof input !== 'string') throw invalid('amount must be a string such as "12.34"');
  if (input.length === 0) throw invalid('amount is empty');
  if (input.trim() !== input || /\s/.test(input)) throw invalid('amount must not contain spaces');
  if (input.startsWith('-')) throw invalid('amount must not be negative');
  if (input.length > 40) throw invalid('amount is too long');

  const match = AMOUNT.exec(input);
  if (!match) throw invalid(`"${input}" is not an amount; use digits with an optional decimal point, such as 12.34`);
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) {
    throw invalid(decimals === 0 ? 'amount must be a whole number' : `amount has more than ${decimals} decimal places`);
  }

  const minor = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  if (minor > BigInt(maxMinor)) throw invalid(`amount exceeds the maximum of ${formatAmount(maxMinor, { decimals })}`);
  if (minor === 0n && !options.allowZero) throw invalid('amount must be greater than zero');
  return Number(minor);
}

export function formatAmount(minor: number, options: { decimals?: number } = {}): string {
  const decimals = options.decimals ?? 2;
  if (!Number.isSafeInteger(minor)) throw new RangeError(`not an integer amount of minor units: ${String(minor)}`);
  const sign = minor < 0 ? '-' : '';
  const digits = Math.abs(minor)
    .toString()
    .padStart(decimals + 1, '0');
  if (decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

function invalid(message: string): ValidationError {
  return new ValidationError(message, { code: 'INVALID_AMOUNT' });
}
