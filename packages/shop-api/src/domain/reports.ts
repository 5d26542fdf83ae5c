/**
 * Sales reports: the rules that are not SQL. The database groups orders into periods (see
 * db/sqlite/reports.ts, db/pg/reports.ts); this module names the periods a range holds, fills the ones
 * nothing sold in, adds up the totals and rounds the average. Dates are `YYYY-MM-DD` in UTC.
 */
export const GROUPINGS = ['day', 'week', 'month'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The widest range each grouping allows: at most a few thousand periods per report. */
export const MAX_YEARS: Readonly<Record<Grouping | 'range', number>> = { day: 5, week: 10, month: 20, range: 20 };

export interface SalesFigures {
  orders: number;
  itemsSold: number;
  grossCents: number;
  discountCents: number;
  netCents: number;
}

export interface SalesRow extends SalesFigures {
  period: string;
}

export interface SalesReport {
  items: SalesRow[];
  totals: SalesFigures;
}

export interface TopProduct {
  productId: string;
  name: string;
  quantity: number;
  revenueCents: number;
}

export interface CustomerReport {
  newCustomers: number;
  customersWhoOrdered: number;
  repeatCustomers: number;
  averageOrderValueCents: number;
}

/** Timestamps from `start` (inclusive) to `end` (exclusive): `to` counts up to its last millisecond. */
export interface TimeRange {
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is `YYYY-MM-DD` naming a day that exists (2026-02-30 does not), in the years 1900 to 9998. */
export function isCalendarDate(text: string): boolean {
  const year = DATE.exec(text)?.[1];
  if (year === undefined || Number(year) < 1900 || Number(year) > 9998) return false;
  const date = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

export function timeRange(from: string, to: string): TimeRange {
  return { start: `${from}T00:00:00.000Z`, end: `${addDays(to, 1)}T00:00:00.000Z` };
}

/** Why `from`..`to` cannot be reported on, or undefined when it can; both are calendar dates. */
export function rangeProblem(from: string, to: string, grouping: Grouping | 'range'): string | undefined {
  if (from > to) return `to (${to}) is before from (${from})`;
  const years = MAX_YEARS[grouping];
  const [year, month, day] = from.split('-').map(Number) as [number, number, number];
  // 29 February plus whole years is 1 March when the later year has none.
  if (Date.parse(`${to}T00:00:00.000Z`) >= Date.UTC(year + years, month - 1, day)) {
    const what = grouping === 'range' ? 'this report' : `groupBy=${grouping}`;
    return `the range from ${from} to ${to} is longer than ${what} allows (${years} years)`;
  }
  return undefined;
}

/** The period a day falls in: the day, the Monday of its ISO week, or `YYYY-MM`. */
export function periodOf(day: string, grouping: Grouping): string {
  if (grouping === 'day') return day;
  if (grouping === 'month') return day.slice(0, 7);
  const date = new Date(`${day}T00:00:00.000Z`);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return addDays(day, -sinceMonday);
}

/** Every period from the one holding `from` to the one holding `to`, ascending. */
export function periodsBetween(from: string, to: string, grouping: Grouping): string[] {
  const periods: string[] = [];
  const last = periodOf(to, grouping);
  if (grouping === 'month') {
    let [year, month] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
    for (;;) {
      const period = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
      periods.push(period);
      if (period >= last) return periods;
      [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
    }
  }
  const step = grouping === 'week' ? 7 : 1;
  for (let period = periodOf(from, grouping); period <= last; period = addDays(period, step)) periods.push(period);
  return periods;
}

const ZERO: SalesFigures = { orders: 0, itemsSold: 0, grossCents: 0, discountCents: 0, netCents: 0 };

/** The report over every period of the range: the database's rows, zeros where it had none, and the totals. */
export function salesReport(rows: readonly SalesRow[], from: string, to: string, grouping: Grouping): SalesReport {
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  const items = periodsBetween(from, to, grouping).map((period) => ({ ...ZERO, ...byPeriod.get(period), period }));
  const totals = { ...ZERO };
  for (const row of items) {
    for (const key of Object.keys(ZERO) as (keyof SalesFigures)[]) totals[key] += row[key];
  }
  return { items, totals };
}

/** `cents / count` rounded half up (both non-negative); 0 when there is nothing to divide by. */
export function averageHalfUp(cents: number, count: number): number {
  if (count === 0) return 0;
  return Math.floor((2 * cents + count) / (2 * count));
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
