import { DEFAULT_MAX_MINOR } from '@quartet/core';
import { z } from 'zod';
import { COUPON_REASONS } from '../domain/coupon.js';

/** Query strings arrive as text; these parse them strictly (no floats, no NaN, no negative pages). */
export const intQuery = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const boolQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const pageQuery = {
  page: intQuery(1, 1_000_000).default(1).describe('1-based page number'),
  limit: intQuery(1, 100).default(20).describe('items per page, at most 100'),
};

export const centsSchema = z.number().int().min(0).max(DEFAULT_MAX_MINOR);
export const idParams = z.strictObject({ id: z.uuid('id must be a UUID') });
export const isoTime = z.string().describe('ISO-8601 UTC timestamp');

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), limit: z.number().int() });
}

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('stable machine-readable error code'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('validation errors, one per field'),
    lines: z
      .array(z.object({ productId: z.string(), name: z.string(), requested: z.number(), available: z.number() }))
      .optional()
      .describe('cart lines the stock cannot fill (OUT_OF_STOCK)'),
    reason: z.enum(COUPON_REASONS).optional().describe('why the coupon does not apply (COUPON_NOT_APPLICABLE)'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

const problemDescriptions: Record<number, string> = {
  400: 'Invalid input: malformed JSON, wrong types, unknown fields',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed for this user',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: 'Body larger than 1 MiB',
  415: 'Unsupported content type',
  422: 'Understood but cannot be carried out',
  429: 'Too many requests; see Retry-After',
};

/** The error responses a route documents, all problem+json. */
export function problems(...statuses: number[]): Record<number, z.ZodType> {
  return Object.fromEntries(
    [...new Set([400, ...statuses])].map((status) => [
      status,
      problemSchema.describe(problemDescriptions[status] ?? ''),
    ]),
  );
}

export const bearer = [{ bearerAuth: [] }];
