import { divideHalfEven, toMinor } from './arithmetic.js';
import { DAY_MS, type Month } from './calendar.js';

/**
 * Daily-balance method, actual/365: each day of the month earns
 * end-of-day balance x annual rate / 365, whatever the year's length (so a
 * leap year pays 366/365 of the annual rate). The month's day amounts are
 * summed exactly and rounded once, half to even, to the minor unit.
 */
export const DAYS_IN_YEAR = 365n;

export interface RatePeriod {
  /** midnight UTC, ms */
  from: number;
  bps: number;
}

export interface BalanceChange {
  at: number;
  balanceAfter: number;
}

/** The rate in force on `day`: the latest period starting on or before it (0 before the first). */
export function rateOn(periods: readonly RatePeriod[], day: number): number {
  let bps = 0;
  for (const p of periods) if (p.from <= day) bps = p.bps;
  return bps;
}

/**
 * @param opening the balance at the start of the month
 * @param changes postings in the month, in posting order
 * @param periods rate changes, ordered by `from` (later entries for the same day win)
 */
export function monthlyInterest(
  month: Month,
  opening: number,
  changes: readonly BalanceChange[],
  periods: readonly RatePeriod[],
): number {
  let numerator = 0n;
  let balance = opening;
  let next = 0;
  for (let day = month.start; day < month.end; day += DAY_MS) {
    while (next < changes.length && changes[next]!.at < day + DAY_MS) balance = changes[next++]!.balanceAfter;
    numerator += BigInt(balance) * BigInt(rateOn(periods, day));
  }
  return toMinor(divideHalfEven(numerator, 10_000n * DAYS_IN_YEAR));
}
