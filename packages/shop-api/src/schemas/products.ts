import { z } from 'zod';
import { PRODUCT_SORTS } from '../db/store.js';
import { boolQuery, centsSchema, intQuery, isoTime, pageOf, pageQuery } from './common.js';
import { DEFAULT_MAX_MINOR } from '@quartet/core';
import { plainText } from './text.js';

export const productSchema = z
  .object({
    id: z.uuid(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    priceCents: z.number().int(),
    currency: z.string(),
    stock: z.number().int(),
    category: z.string(),
    active: z.boolean().describe('false once archived'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Product' });

export const productPageSchema = pageOf(productSchema);

export const productQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .superRefine(plainText('q'))
    .optional()
    .describe('full-text search over name and description'),
  category: z.string().min(1).max(64).superRefine(plainText('category')).optional(),
  minPriceCents: intQuery(0, DEFAULT_MAX_MINOR).optional(),
  maxPriceCents: intQuery(0, DEFAULT_MAX_MINOR).optional(),
  inStock: boolQuery.optional().describe('true: only products with stock'),
  sort: z.enum(PRODUCT_SORTS).optional().describe('default: relevance with q, otherwise newest'),
  ...pageQuery,
});

const fields = {
  sku: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'sku must be 1-64 letters, digits, ".", "_" or "-"'),
  name: z.string().trim().min(1).max(200).superRefine(plainText('name')),
  description: z
    .string()
    .max(5000)
    .superRefine(plainText('description', { multiline: true })),
  priceCents: centsSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD'),
  stock: z.number().int().min(0).max(1_000_000_000),
  category: z.string().trim().min(1).max(64).superRefine(plainText('category')),
  active: z.boolean(),
};

export const createProductBody = z.strictObject({
  ...fields,
  description: fields.description.default(''),
  currency: fields.currency.default('USD'),
  active: fields.active.default(true),
});

export const patchProductBody = z
  .strictObject(fields)
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one field to change');

export const categoriesSchema = z.object({
  items: z.array(z.object({ name: z.string(), productCount: z.number().int() })),
});
