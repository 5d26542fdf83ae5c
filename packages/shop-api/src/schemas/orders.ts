import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/types.js';
import { isoTime, pageOf, pageQuery } from './common.js';
import { plainText } from './text.js';

const summary = {
  id: z.uuid(),
  userId: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  currency: z.string(),
  subtotalCents: z.number().int().describe('the lines before a coupon'),
  discountCents: z.number().int().describe("the coupon's discount; 0 without one"),
  couponCode: z.string().nullable().describe('the coupon applied at checkout'),
  totalCents: z.number().int().describe('subtotalCents - discountCents: what the customer pays'),
  itemCount: z.number().int(),
  note: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
};

export const orderSummarySchema = z.object(summary).meta({ id: 'OrderSummary' });
export const orderPageSchema = pageOf(orderSummarySchema);

export const orderSchema = z
  .object({
    ...summary,
    items: z.array(
      z.object({
        productId: z.uuid(),
        sku: z.string(),
        name: z.string(),
        quantity: z.number().int(),
        priceAtPurchaseCents: z.number().int().describe('the unit price when the order was placed'),
        lineTotalCents: z.number().int(),
      }),
    ),
    history: z.array(
      z.object({
        from: z.enum(ORDER_STATUSES).nullable(),
        to: z.enum(ORDER_STATUSES),
        actorId: z.string().nullable(),
        at: isoTime,
      }),
    ),
  })
  .meta({ id: 'Order' });

/** A checkout may carry a note; everything else comes from the cart. */
export const checkoutBody = z
  .strictObject({
    note: z
      .string()
      .max(500)
      .superRefine(plainText('note', { multiline: true }))
      .optional(),
  })
  .nullish();

export const checkoutHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1, 'Idempotency-Key must not be empty')
    .max(255, 'Idempotency-Key must be at most 255 characters')
    .superRefine(plainText('Idempotency-Key'))
    .optional()
    .describe('retrying with the same key never creates a second order (kept 24 hours)'),
});

export const orderListQuery = z.strictObject({ ...pageQuery });
export const adminOrderQuery = z.strictObject({ status: z.enum(ORDER_STATUSES).optional(), ...pageQuery });
export const statusBody = z.strictObject({ status: z.enum(ORDER_STATUSES) });
