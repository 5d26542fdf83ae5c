import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocatePayment,
  amortize,
  annuityPayment,
  nextInstalmentDue,
  scheduleTotals,
} from '../src/domain/amortization.js';
import { divideHalfEven, formatBps, parseRateBps } from '../src/domain/arithmetic.js';
import { addMonths, parseMonth } from '../src/domain/calendar.js';
import { transferFee } from '../src/domain/fees.js';
import { monthlyInterest, rateOn } from '../src/domain/interest-math.js';

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe('rounding half to even', () => {
  it.each([
    [5n, 2n, 2n], // 2.5 -> 2
    [7n, 2n, 4n], // 3.5 -> 4
    [-5n, 2n, -2n],
    [-7n, 2n, -4n],
    [26n, 10n, 3n], // 2.6 -> 3
    [24n, 10n, 2n],
    [0n, 7n, 0n],
  ])('%i / %i = %i', (n, d, q) => expect(divideHalfEven(n, d)).toBe(q));

  it('parses rates as exact basis points and refuses the rest', () => {
    expect(parseRateBps('2.5')).toBe(250);
    expect(parseRateBps('0.01')).toBe(1);
    expect(parseRateBps('12')).toBe(1200);
    expect(formatBps(250)).toBe('2.50');
    expect(() => parseRateBps('2.505')).toThrow('rate must be a percentage with at most two decimals');
    expect(() => parseRateBps('-1')).toThrow('at most two decimals');
    expect(() => parseRateBps('1000.01')).toThrow('rate must be at most 1000 %');
  });
});

describe('months and dates', () => {
  it('knows month lengths, leap years included, and clamps month ends', () => {
    expect(parseMonth('2024-02')).toMatchObject({ label: '2024-02', days: 29 });
    expect(parseMonth('2026-02').days).toBe(28);
    expect(parseMonth('2026-12')).toMatchObject({ start: day('2026-12-01'), end: day('2027-01-01'), days: 31 });
    expect(() => parseMonth('2026-13')).toThrow('month must be YYYY-MM');
    expect(() => parseMonth('2026-1')).toThrow('month must be YYYY-MM');
    expect(new Date(addMonths(day('2026-01-31'), 1)).toISOString().slice(0, 10)).toBe('2026-02-28');
  });
});

describe('interest: daily balance, actual/365', () => {
  const jan = parseMonth('2026-01');
  it('pays balance x rate x days / 365, rounded half to even', () => {
    // 1000.00 all month at 2.5 %: 100000 x 0.025 x 31/365 = 212.33 cents -> 212
    expect(monthlyInterest(jan, 100_000, [], [{ from: day('2025-01-01'), bps: 250 }])).toBe(212);
    // Deposited on the 11th: 21 days at 3.65 % -> exactly 210 cents
    const changes = [{ at: day('2026-01-11') + 3_600_000, balanceAfter: 100_000 }];
    expect(monthlyInterest(jan, 0, changes, [{ from: day('2026-01-01'), bps: 365 }])).toBe(210);
  });

  it('divides by 365 in a leap year too (29 days of February 2024 at 3.65 % on 1000.00 = 290 cents)', () => {
    expect(monthlyInterest(parseMonth('2024-02'), 100_000, [], [{ from: 0, bps: 365 }])).toBe(290);
  });

  it('applies a rate change from its day onward, and the end-of-day balance', () => {
    // 3.65 % for 10 days, 7.30 % for 21 days on 1000.00: 100 + 420 = 520 cents
    const periods = [
      { from: day('2025-06-01'), bps: 365 },
      { from: day('2026-01-11'), bps: 730 },
    ];
    expect(rateOn(periods, day('2026-01-10'))).toBe(365);
    expect(rateOn(periods, day('2026-01-11'))).toBe(730);
    expect(monthlyInterest(jan, 100_000, [], periods)).toBe(520);
    // Money in and out within one day does not earn.
    const sameDay = [
      { at: day('2026-01-05') + 1000, balanceAfter: 1_100_000 },
      { at: day('2026-01-05') + 2000, balanceAfter: 100_000 },
    ];
    expect(monthlyInterest(jan, 100_000, sameDay, periods)).toBe(520);
  });

  it('rounds the half cent to even: 0.5 -> 0, 1.5 -> 2', () => {
    // balance 73 x 2.5 % x 1 day/365 ... chosen so the month total is exactly x.5 cents
    const oneDay = (balance: number) =>
      monthlyInterest({ label: 'x', start: 0, end: 86_400_000, days: 1 }, balance, [], [{ from: 0, bps: 10_000 }]);
    expect(oneDay(1825)).toBe(5); // 1825 / 365 = 5 exactly
    expect(oneDay(1642)).toBe(4); // 4.4986...
    expect(oneDay(1643)).toBe(5); // 4.5013...
    expect(
      monthlyInterest({ label: 'x', start: 0, end: 86_400_000, days: 1 }, 365, [], [{ from: 0, bps: 5_000 }]),
    ).toBe(0); // 0.5 -> 0
    expect(
      monthlyInterest({ label: 'x', start: 0, end: 86_400_000, days: 1 }, 1095, [], [{ from: 0, bps: 5_000 }]),
    ).toBe(2); // 1.5 -> 2
  });
});

describe('transfer fees', () => {
  it('charges a fixed fee whatever the amount', () => {
    expect(transferFee({ kind: 'fixed', fixed: 50 }, 1)).toBe(50);
    expect(transferFee(undefined, 1_000_000)).toBe(0);
  });
  it('charges a percentage rounded half to even and clamped to min and max', () => {
    const rule = { kind: 'percent' as const, bps: 150, min: 25, max: 500 };
    expect(transferFee(rule, 10_000)).toBe(150); // 1.5 % of 100.00
    expect(transferFee(rule, 1_000)).toBe(25); // 15 cents -> minimum
    expect(transferFee(rule, 100_000)).toBe(500); // 15.00 -> maximum 5.00
    expect(transferFee({ ...rule, min: 0 }, 1_700)).toBe(26); // 25.5 -> 26
    expect(transferFee({ ...rule, min: 0 }, 1_633)).toBe(24); // 24.495 -> 24
    expect(transferFee({ kind: 'percent', bps: 50, min: 0, max: null }, 100)).toBe(0); // 0.5 -> 0
    expect(transferFee({ kind: 'percent', bps: 50, min: 0, max: null }, 300)).toBe(2); // 1.5 -> 2
  });
});

describe('amortization', () => {
  it('matches an independent exact computation: 10,000.00 over 12 months at 7.5 %', () => {
    expect(annuityPayment(1_000_000, 12, 750)).toBe(86_757);
    const schedule = amortize(1_000_000, 12, 750);
    expect(schedule[0]).toEqual({ n: 1, principal: 80_507, interest: 6_250, remaining: 919_493 });
    expect(schedule[10]).toEqual({ n: 11, principal: 85_683, interest: 1_074, remaining: 86_223 });
    expect(schedule[11]).toEqual({ n: 12, principal: 86_223, interest: 539, remaining: 0 });
    expect(scheduleTotals(schedule)).toEqual({ principal: 1_000_000, interest: 41_089 });
  });

  it('puts the rounding remainder in the last instalment', () => {
    expect(amortize(100_000, 3, 1200)).toEqual([
      { n: 1, principal: 33_002, interest: 1_000, remaining: 66_998 },
      { n: 2, principal: 33_332, interest: 670, remaining: 33_666 },
      { n: 3, principal: 33_666, interest: 337, remaining: 0 },
    ]);
    expect(amortize(100, 3, 0).map((i) => i.principal)).toEqual([33, 33, 34]);
  });

  it('always repays exactly the principal, with no negative part', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000_000 }),
        fc.integer({ min: 1, max: 360 }),
        fc.integer({ min: 0, max: 5_000 }),
        (principal, months, bps) => {
          const schedule = amortize(principal, months, bps);
          expect(schedule).toHaveLength(months);
          expect(scheduleTotals(schedule).principal).toBe(principal);
          expect(schedule.at(-1)!.remaining).toBe(0);
          for (const i of schedule) expect(i.principal >= 0 && i.interest >= 0).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('allocates payments to interest then principal, instalment by instalment', () => {
    const schedule = amortize(100_000, 3, 1200); // instalments 34002, 34002, 34003
    expect(nextInstalmentDue(schedule, 0)).toBe(34_002);
    expect(allocatePayment(schedule, 0, 34_002)).toEqual({ interest: 1_000, principal: 33_002 });
    expect(nextInstalmentDue(schedule, 500)).toBe(33_502);
    expect(allocatePayment(schedule, 500, 1_000)).toEqual({ interest: 500, principal: 500 });
    expect(allocatePayment(schedule, 34_002, 34_003 + 34_002)).toEqual({ interest: 1_007, principal: 66_998 });
    expect(nextInstalmentDue(schedule, 102_007)).toBe(0);
    expect(() => allocatePayment(schedule, 102_007, 1)).toThrow('payment exceeds the schedule');
  });
});
