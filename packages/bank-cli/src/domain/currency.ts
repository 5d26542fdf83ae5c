import { formatAmount, parseAmount, ValidationError } from '@quartet/core';
import type { Currency } from './types.js';

/** An ISO 4217 code; its number of decimals comes from the runtime's ICU data. */
export function currencyFromCode(code: string): Currency {
  if (!/^[A-Z]{3}$/.test(code)) {
    throw new ValidationError(`currency must be a 3-letter ISO 4217 code such as USD, got "${code}"`, {
      code: 'INVALID_CURRENCY',
    });
  }
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

export function formatMoney(minor: number, currency: Currency): string {
  return formatAmount(minor, { decimals: currency.decimals });
}
