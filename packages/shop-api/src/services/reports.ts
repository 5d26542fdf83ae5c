import { ValidationError } from '@quartet/core';
import {
  averageHalfUp,
  rangeProblem,
  salesReport,
  timeRange,
  type CustomerReport,
  type Grouping,
  type SalesReport,
  type TopProduct,
} from '../domain/reports.js';
import type { ServiceContext } from './context.js';

export interface Range {
  from: string;
  to: string;
}

export function createReportService(ctx: ServiceContext) {
  const { reports } = ctx.store;
  return {
    async sales({ from, to, groupBy }: Range & { groupBy: Grouping }): Promise<SalesReport> {
      check(from, to, groupBy);
      return salesReport(await reports.sales(timeRange(from, to), groupBy), from, to, groupBy);
    },

    async topProducts({ from, to, limit }: Range & { limit: number }): Promise<{ items: TopProduct[] }> {
      check(from, to, 'range');
      return { items: await reports.topProducts(timeRange(from, to), limit) };
    },

    async customers({ from, to }: Range): Promise<CustomerReport> {
      check(from, to, 'range');
      const { orders, netCents, ...counts } = await reports.customers(timeRange(from, to));
      return { ...counts, averageOrderValueCents: averageHalfUp(netCents, orders) };
    },
  };
}

function check(from: string, to: string, grouping: Grouping | 'range'): void {
  const problem = rangeProblem(from, to, grouping);
  if (problem !== undefined) {
    throw new ValidationError(`querystring.to: ${problem}`, { issues: [{ path: 'querystring.to', message: problem }] });
  }
}
