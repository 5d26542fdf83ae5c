import { describe, expect, it } from 'vitest';
import {
  averageHalfUp,
  isCalendarDate,
  periodOf,
  periodsBetween,
  rangeProblem,
  salesReport,
  timeRange,
} from '../src/domain/reports.js';

describe('report periods', () => {
  it.each([
    ['2026-12-28', '2026-12-28'], // a Monday is its own week
    ['2026-12-31', '2026-12-28'], // Thursday, across the year boundary
    ['2027-01-03', '2026-12-28'], // Sunday: still the week of Monday 2026-12-28
    ['2027-01-04', '2027-01-04'],
    ['2024-03-03', '2024-02-26'], // across a leap day
  ])('the ISO week of %s starts on %s', (day, monday) => {
    expect(periodOf(day, 'week')).toBe(monday);
  });

  it('names days and months as prefixes', () => {
    expect(periodOf('2026-12-31', 'day')).toBe('2026-12-31');
    expect(periodOf('2026-12-31', 'month')).toBe('2026-12');
  });

  it('lists every period of a range, ascending, across year boundaries', () => {
    expect(periodsBetween('2026-12-30', '2027-01-02', 'day')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(periodsBetween('2026-12-31', '2027-01-11', 'week')).toEqual(['2026-12-28', '2027-01-04', '2027-01-11']);
    expect(periodsBetween('2026-11-30', '2027-02-01', 'month')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(periodsBetween('2024-02-28', '2024-03-01', 'day')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
    expect(periodsBetween('2026-05-05', '2026-05-05', 'month')).toEqual(['2026-05']);
  });

  it('fills the periods the database had no row for and adds up the totals', () => {
    const row = { orders: 2, itemsSold: 3, grossCents: 1000, discountCents: 100, netCents: 900 };
    const zero = { orders: 0, itemsSold: 0, grossCents: 0, discountCents: 0, netCents: 0 };
    expect(salesReport([{ period: '2027-01-04', ...row }], '2026-12-31', '2027-01-12', 'week')).toEqual({
      items: [
        { period: '2026-12-28', ...zero },
        { period: '2027-01-04', ...row },
        { period: '2027-01-11', ...zero },
      ],
      totals: row,
    });
  });
});

describe('report ranges', () => {
  it.each([
    ['2026-02-28', true],
    ['2026-02-29', false],
    ['2024-02-29', true],
    ['2026-02-30', false],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-00-10', false],
    ['2026-1-01', false],
    ['2026-01-01T00:00:00Z', false],
    ['1899-12-31', false],
    ['9999-01-01', false],
  ])('%s is a calendar date: %s', (text, ok) => {
    expect(isCalendarDate(text)).toBe(ok);
  });

  it('counts `to` up to its last millisecond', () => {
    expect(timeRange('2026-12-01', '2026-12-31')).toEqual({
      start: '2026-12-01T00:00:00.000Z',
      end: '2027-01-01T00:00:00.000Z',
    });
  });

  it.each([
    ['2026-01-02', '2026-01-01', 'day', 'to (2026-01-01) is before from (2026-01-02)'],
    ['2021-01-01', '2025-12-31', 'day', undefined],
    [
      '2021-01-01',
      '2026-01-01',
      'day',
      'the range from 2021-01-01 to 2026-01-01 is longer than groupBy=day allows (5 years)',
    ],
    ['2024-02-29', '2029-02-28', 'day', undefined],
    [
      '2024-02-29',
      '2029-03-01',
      'day',
      'the range from 2024-02-29 to 2029-03-01 is longer than groupBy=day allows (5 years)',
    ],
    ['2000-01-01', '2019-12-31', 'range', undefined],
    [
      '2000-01-01',
      '2020-01-01',
      'range',
      'the range from 2000-01-01 to 2020-01-01 is longer than this report allows (20 years)',
    ],
    ['2026-01-01', '2026-01-01', 'week', undefined],
  ] as const)('%s to %s by %s: %s', (from, to, grouping, problem) => {
    expect(rangeProblem(from, to, grouping)).toBe(problem);
  });
});

describe('averageHalfUp', () => {
  it.each([
    [0, 0, 0],
    [6402, 4, 1601], // 1600.5 rounds up
    [6401, 4, 1600], // 1600.25
    [6403, 4, 1601], // 1600.75
    [5, 2, 3],
    [1, 3, 0],
    [2, 3, 1],
    [900, 1, 900],
  ])('%i / %i = %i', (cents, count, average) => {
    expect(averageHalfUp(cents, count)).toBe(average);
  });
});
