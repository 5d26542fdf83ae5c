import { z } from 'zod';
import { COUPON_REASONS, COUPON_TYPES } from '../domain/coupon.js';

const quantity = z.number().int().max(10_000, 'quantity must be at most 10000');

export const cartSchema = z
  .object({
    items: z.array(
      z.object({
        productId: z.uuid(),
        name: z.string(),
        unitPriceCents: z.number().int(),
        currency: z.string(),
        quantity: z.number().int(),
        lineTotalCents: z.number().int(),
        available: z.boolean().describe('false if archived or short of stock: checkout would refuse it'),
      }),
    ),
    subtotalCents: z.number().int().describe('the lines before a coupon'),
    coupon: z
      .object({ code: z.string(), type: z.enum(COUPON_TYPES), value: z.number().int() })
      .nullable()
      .describe('the attached coupon, shown even when it stopped applying'),
    couponProblem: z
      .enum(COUPON_REASONS)
      .nullable()
      .describe('why the attached coupon no longer applies (its discount is then 0); null when it does'),
    discountCents: z.number().int(),
    totalCents: z.number().int().describe('subtotalCents - discountCents'),
  })
  .meta({ id: 'Cart' });

export const addItemBody = z.strictObject({
  productId: z.uuid('productId must be a UUID'),
  quantity: quantity.min(1, 'quantity must be at least 1'),
});

export const setItemBody = z.strictObject({ quantity: quantity.min(0, 'quantity must not be negative') });

export const productParams = z.strictObject({ productId: z.uuid('productId must be a UUID') });
