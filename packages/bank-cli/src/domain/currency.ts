import { ValidationError } from '@quartet/core/errors';
import { formatAmount, parseAmount } from '@quartet/core/money';
import type { Currency } from './types.js';

/** A well-formed ISO 4217 code, checked at start (cheaply: no ICU). */
export function parseCurrencyCode(code: string): string {
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new ValidationError(`currency must be a 3-letter ISO 4217 code such as USD, got "${code}"`, {
      code: 'INVALID_CURRENCY',
    });
  }
  return code;
}

/**
 * An ISO 4217 code and its number of decimals, from the runtime's ICU data. The first lookup starts ICU's
 * number formatting (about 20 ms), so it is made only when a new database fixes its currency.
 */
export function currencyFromCode(input: string): Currency {
  const code = parseCurrencyCode(input);
  let decimals: number;
  try {
    decimals =
      new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    throw new ValidationError(`unknown currency "${code}"`, { code: 'INVALID_CURRENCY' });
  }
  return { code, decimals };
}

export function parseMoney(input: string, currency: Currency): number {
  return parseAmount(input, { decimals: currency.decimals });
}

/** A BigInt for totals over many rows, which may pass 2^53; core's formatAmount takes safe integers only. */
export function formatMoney(minor: number | bigint, currency: Currency): string {
  if (typeof minor === 'number') return formatAmount(minor, { decimals: currency.decimals });
  const digits = (minor < 0n ? -minor : minor).toString().padStart(currency.decimals + 1, '0');
  const sign = minor < 0n ? '-' : '';
  if (currency.decimals === 0) return sign + digits;
  return `${sign}${digits.slice(0, -currency.decimals)}.${digits.slice(-currency.decimals)}`;
}

/** The largest balance any one account can hold (customer or internal), in minor units. */
export const MAX_BALANCE = Number.MAX_SAFE_INTEGER;
