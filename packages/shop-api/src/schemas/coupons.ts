import { z } from 'zod';
import { MAX_TOTAL_CENTS } from '../domain/cart.js';
import { COUPON_CODE, COUPON_TYPES } from '../domain/coupon.js';
import { isoTime, pageOf, pageQuery } from './common.js';

/** 3-32 of A-Z, a-z, 0-9 and "-"; matched case-insensitively. */
export const couponCode = z
  .string()
  .refine((code) => COUPON_CODE.test(code.toUpperCase()), 'code must be 3-32 of A-Z, 0-9 and "-"')
  .describe('3-32 of A-Z, 0-9 and "-", case-insensitive (stored upper-case)');

/** A moment with its offset, stored as UTC ISO-8601 so that moments compare as text. */
const moment = z.iso
  .datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2026-12-31T23:59:59Z' })
  .transform((text) => new Date(text).toISOString());
const count = (name: string) =>
  z
    .number()
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(1_000_000_000, `${name} must be at most 1000000000`);

export const couponSchema = z
  .object({
    code: z.string(),
    type: z.enum(COUPON_TYPES),
    value: z.number().int().describe('percent: 1-100; fixed: cents'),
    minSubtotalCents: z.number().int().nullable(),
    maxRedemptions: z.number().int().nullable().describe('null: unlimited'),
    perCustomerLimit: z.number().int(),
    startsAt: isoTime.nullable(),
    endsAt: isoTime.nullable().describe('exclusive'),
    active: z.boolean(),
    redemptions: z.number().int().describe('orders placed with it and not cancelled'),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'Coupon' });

export const couponPageSchema = pageOf(couponSchema);
export const couponListQuery = z.strictObject({ ...pageQuery });
export const couponParams = z.strictObject({ code: couponCode });

export const createCouponBody = z
  .strictObject({
    code: couponCode,
    type: z.enum(COUPON_TYPES),
    value: z.number().int('value must be a whole number').min(1, 'value must be above 0'),
    minSubtotalCents: z
      .number()
      .int('minSubtotalCents must be a whole number of cents')
      .min(0, 'minSubtotalCents must not be negative')
      .max(MAX_TOTAL_CENTS)
      .optional(),
    maxRedemptions: count('maxRedemptions').optional(),
    perCustomerLimit: count('perCustomerLimit').optional().describe('default 1'),
    startsAt: moment.optional(),
    endsAt: moment.optional().describe('exclusive; after startsAt'),
    active: z.boolean().optional().describe('default true'),
  })
  .superRefine((body, issues) => {
    if (body.type === 'percent' && body.value > 100) {
      issues.addIssue({ code: 'custom', path: ['value'], message: 'a percent value must be 1-100' });
    }
    if (body.type === 'fixed' && body.value > MAX_TOTAL_CENTS) {
      issues.addIssue({
        code: 'custom',
        path: ['value'],
        message: `a fixed value must be at most ${MAX_TOTAL_CENTS} cents`,
      });
    }
    if (body.startsAt !== undefined && body.endsAt !== undefined && body.endsAt <= body.startsAt) {
      issues.addIssue({ code: 'custom', path: ['endsAt'], message: 'endsAt must be after startsAt' });
    }
  });

export const patchCouponBody = z
  .strictObject({
    active: z.boolean().optional(),
    endsAt: moment.nullable().optional().describe('null: no end'),
    maxRedemptions: count('maxRedemptions')
      .nullable()
      .optional()
      .describe('null: unlimited; not below redemptions made'),
  })
  .refine(
    (patch) => patch.active !== undefined || patch.endsAt !== undefined || patch.maxRedemptions !== undefined,
    'give active, endsAt or maxRedemptions',
  );

export const attachCouponBody = z.strictObject({ code: couponCode });
