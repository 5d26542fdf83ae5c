import { ValidationError } from '@quartet/core/errors';

export const DAY_MS = 86_400_000;

/** A calendar month, UTC. */
export interface Month {
  /** "2026-01" */
  label: string;
  /** first instant, ms */
  start: number;
  /** first instant of the next month, ms */
  end: number;
  days: number;
}

export function parseMonth(input: string): Month {
  const match = /^(\d{4})-(\d{2})$/.exec(input);
  const year = Number(match?.[1]);
  const month = Number(match?.[2]);
  if (!match || month < 1 || month > 12 || year < 1970) {
    throw new ValidationError(`month must be YYYY-MM, such as 2026-01, got "${input}"`, { code: 'INVALID_MONTH' });
  }
  return monthOf(year, month - 1);
}

/** `monthIndex` 0-11; overflow rolls into the next year. */
export function monthOf(year: number, monthIndex: number): Month {
  const start = Date.UTC(year, monthIndex, 1);
  const end = Date.UTC(year, monthIndex + 1, 1);
  const label = new Date(start).toISOString().slice(0, 7);
  return { label, start, end, days: Math.round((end - start) / DAY_MS) };
}

export function nextMonth(month: Month): Month {
  const d = new Date(month.start);
  return monthOf(d.getUTCFullYear(), d.getUTCMonth() + 1);
}

export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = monthOf(d.getUTCFullYear(), d.getUTCMonth() + months);
  return target.start + (Math.min(d.getUTCDate(), target.days) - 1) * DAY_MS;
}

/** Midnight UTC of a real calendar day (YYYY-MM-DD), in ms. */
export function parseDay(input: string, label: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : NaN;
  if (!match || Number.isNaN(ms) || isoDay(ms) !== input) {
    throw new ValidationError(`${label} must be a date as YYYY-MM-DD, got "${input}"`);
  }
  return ms;
}
