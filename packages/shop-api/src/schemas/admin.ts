import { z } from 'zod';
import { ORDER_STATUSES, ROLES } from '../domain/types.js';
import { boolQuery, isoTime, pageOf, pageQuery } from './common.js';
import { userSchema } from './auth.js';

export const userPageSchema = pageOf(userSchema);

export const userListQuery = z.strictObject({
  role: z.enum(ROLES).optional(),
  active: boolQuery.optional(),
  ...pageQuery,
});

export const patchUserBody = z
  .strictObject({ active: z.boolean().optional(), role: z.enum(ROLES).optional() })
  .refine((patch) => patch.active !== undefined || patch.role !== undefined, 'give active, role or both');

const count = z.number().int();

export const statsSchema = z
  .object({
    users: z.object({ total: count, active: count, admins: count }),
    products: z.object({ total: count, active: count, archived: count, outOfStock: count }),
    ordersByStatus: z.object(Object.fromEntries(ORDER_STATUSES.map((status) => [status, count]))),
    revenue: z.object({
      deliveredCents: count.describe('sum of delivered orders'),
      nonCancelledCents: count.describe('sum of all orders that are not cancelled'),
    }),
    lowStock: z.array(z.object({ id: z.string(), sku: z.string(), name: z.string(), stock: count })),
    lowStockThreshold: count,
  })
  .meta({ id: 'Stats' });

export const activityQuery = z.strictObject({
  action: z
    .string()
    .regex(/^[a-z_.]{1,64}$/, 'action must be 1-64 of a-z, "_" and "."')
    .optional()
    .describe('e.g. login.failed, order.placed'),
  ...pageQuery,
});

export const activityPageSchema = pageOf(
  z.object({
    id: count,
    at: isoTime,
    action: z.string(),
    actorId: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable(),
  }),
);
