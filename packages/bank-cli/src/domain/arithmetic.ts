import { ValidationError } from '@quartet/core/errors';

/**
 * Exact money arithmetic for interest and fees. Amounts are integer minor
 * units, rates integer basis points (1 bp = 0.01 %); every division is done
 * once, on BigInts, and rounded half to even (banker's rounding), so no float
 * ever touches money and rounding errors do not drift one way.
 */
export function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let quotient = n / denominator;
  const twice = (n % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** A BigInt result as a safe integer number of minor units. */
export function toMinor(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${value}`);
  return n;
}

export const MAX_RATE_BPS = 100_000; // 1000 %

/** "2.5" (percent per year) to 250 basis points; at most two decimals, parsed digit by digit. */
export function parseRateBps(input: string, label = 'rate'): number {
  const match = /^(\d{1,4})(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!match) {
    throw new ValidationError(`${label} must be a percentage with at most two decimals, such as 2.5, got "${input}"`, {
      code: 'INVALID_RATE',
    });
  }
  const bps = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  if (bps > MAX_RATE_BPS) throw new ValidationError(`${label} must be at most 1000 %`, { code: 'INVALID_RATE' });
  return bps;
}

/** 250 to "2.50". */
export function formatBps(bps: number): string {
  return `${Math.trunc(bps / 100)}.${String(bps % 100).padStart(2, '0')}`;
}
