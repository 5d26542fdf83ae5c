/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import { csvRow, type CsvValue } from '@quartet/core/csv';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SalesReport, TopProduct } from '../domain/reports.js';
import { bearer, problems } from '../schemas/common.js';
import {
  customerReportSchema,
  customersQuery,
  salesQuery,
  salesReportSchema,
  topProductsQuery,
  topProductsSchema,
} from '../schemas/reports.js';
import type { RouteDeps } from './deps.js';

const CSV_NOTE = 'With format=csv or Accept: text/csv, the same as a CSV attachment (text/csv; charset=utf-8).';

export const reportRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { services, requireAdmin }) => {
  app.addHook('preHandler', requireAdmin);
  const base = { tags: ['reports'], security: bearer };

  app.get(
    '/admin/reports/sales',
    {
      schema: {
        ...base,
        summary: 'Orders, items and money per day, ISO week or month',
        description:
          'Orders not cancelled, created from `from` 00:00 to the end of `to` (UTC). Every period of the range ' +
          'appears, ascending, with zeros where nothing sold. Ranges: up to 5 years by day, 10 by week, 20 by ' +
          `month. ${CSV_NOTE} The CSV ends with a totals line.`,
        querystring: salesQuery,
        response: { 200: salesReportSchema, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const report = await services.reports.sales(request.query);
      if (!wantsCsv(request, request.query.format)) return report;
      return sendCsv(reply, `sales-${request.query.from}-${request.query.to}.csv`, salesCsv(report));
    },
  );

  app.get(
    '/admin/reports/top-products',
    {
      schema: {
        ...base,
        summary: 'Best-selling products by quantity, then revenue',
        description:
          'Over orders not cancelled in the range (at most 20 years); names are the products’ current names, ' +
          `archived products included. ${CSV_NOTE}`,
        querystring: topProductsQuery,
        response: { 200: topProductsSchema, ...problems(401, 403) },
      },
    },
    async (request, reply) => {
      const report = await services.reports.topProducts(request.query);
      if (!wantsCsv(request, request.query.format)) return report;
      return sendCsv(reply, `top-products-${request.query.from}-${request.query.to}.csv`, topProductsCsv(report.items));
    },
  );

  app.get(
    '/admin/reports/customers',
    {
      schema: {
        ...base,
        summary: 'New, ordering and repeat customers, and the average order value',
        description:
          'newCustomers: customer accounts created in the range. customersWhoOrdered: distinct users with an ' +
          'order (not cancelled) in the range. repeatCustomers: those of them with two or more such orders placed ' +
          'up to the end of the range (earlier ones count). averageOrderValueCents: net cents / orders in the ' +
          'range, rounded half up; 0 without orders.',
        querystring: customersQuery,
        response: { 200: customerReportSchema, ...problems(401, 403) },
      },
    },
    async (request) => services.reports.customers(request.query),
  );
};

const CRLF = '\r\n';
const csv = (rows: CsvValue[][]) => rows.map((row) => csvRow(row) + CRLF).join('');

function salesCsv({ items, totals }: SalesReport): string {
  const fields = ['orders', 'itemsSold', 'grossCents', 'discountCents', 'netCents'] as const;
  return csv([
    ['period', ...fields],
    ...items.map((row) => [row.period, ...fields.map((field) => row[field])]),
    ['total', ...fields.map((field) => totals[field])],
  ]);
}

function topProductsCsv(items: TopProduct[]): string {
  return csv([
    ['productId', 'name', 'quantity', 'revenueCents'],
    ...items.map((item) => [item.productId, item.name, item.quantity, item.revenueCents]),
  ]);
}

/** format=csv, or without format an Accept that prefers text/csv to JSON. */
function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  let best: { type: string; q: number } | undefined;
  for (const part of (request.headers.accept ?? '').split(',')) {
    const [type = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (type !== 'text/csv' && type !== 'application/json') continue;
    const q = Number(params.find((param) => param.startsWith('q='))?.slice(2) ?? '1');
    if (best === undefined || q > best.q) best = { type, q: Number.isNaN(q) ? 0 : q };
  }
  return best?.type === 'text/csv' && best.q > 0;
}

function sendCsv(reply: FastifyReply, filename: string, body: string): FastifyReply {
  // The route's serializer knows the JSON schema only; the CSV goes out as the text it is.
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('vary', 'Accept')
    .serializer((payload) => payload as string)
    .send(body);
}
