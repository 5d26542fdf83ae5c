import { z } from 'zod';
import { GROUPINGS, isCalendarDate } from '../domain/reports.js';
import { intQuery } from './common.js';

const day = (name: string) =>
  z
    .string()
    .refine(isCalendarDate, `${name} must be a date as YYYY-MM-DD that exists, in the years 1900 to 9998`)
    .describe(`${name === 'to' ? 'last' : 'first'} day of the range (UTC), inclusive`);

const range = {
  from: day('from'),
  to: day('to'),
  format: z.enum(['json', 'csv']).optional().describe('csv: the same as CSV (as does Accept: text/csv)'),
};

export const salesQuery = z.strictObject({
  ...range,
  groupBy: z.enum(GROUPINGS).default('day').describe('day, ISO week (from Monday) or month'),
});
export const topProductsQuery = z.strictObject({
  ...range,
  limit: intQuery(1, 100).default(10).describe('how many products, 1-100'),
});
export const customersQuery = z.strictObject({ from: range.from, to: range.to });

const cents = z.number().int();
const figures = {
  orders: z.number().int().describe('orders not cancelled'),
  itemsSold: z.number().int().describe('sum of the quantities of their lines'),
  grossCents: cents.describe('sum of subtotals (before discounts)'),
  discountCents: cents.describe('sum of discounts'),
  netCents: cents.describe('sum of totals (what customers paid)'),
};

export const salesReportSchema = z
  .object({
    items: z.array(
      z.object({ period: z.string().describe('YYYY-MM-DD (day; the Monday for a week) or YYYY-MM'), ...figures }),
    ),
    totals: z.object(figures),
  })
  .meta({ id: 'SalesReport' });

export const topProductsSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.uuid(),
        name: z.string().describe("the product's current name"),
        quantity: z.number().int(),
        revenueCents: cents.describe('sum of quantity × price at purchase'),
      }),
    ),
  })
  .meta({ id: 'TopProducts' });

export const customerReportSchema = z
  .object({
    newCustomers: z.number().int().describe('customer accounts created in the range'),
    customersWhoOrdered: z.number().int().describe('distinct customers with an order in the range'),
    repeatCustomers: z
      .number()
      .int()
      .describe('of those, customers with two or more orders up to the end of the range'),
    averageOrderValueCents: cents.describe('net cents / orders in the range, rounded half up; 0 without orders'),
  })
  .meta({ id: 'CustomerReport' });
