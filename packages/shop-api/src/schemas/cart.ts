import { z } from 'zod';

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
    subtotalCents: z.number().int(),
  })
  .meta({ id: 'Cart' });

export const addItemBody = z.strictObject({
  productId: z.uuid('productId must be a UUID'),
  quantity: quantity.min(1, 'quantity must be at least 1'),
});

export const setItemBody = z.strictObject({ quantity: quantity.min(0, 'quantity must not be negative') });

export const productParams = z.strictObject({ productId: z.uuid('productId must be a UUID') });
