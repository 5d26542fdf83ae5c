import { ConflictError, NotFoundError, ValidationError } from '@quartet/core';
import type { CouponPatch, CouponWithRedemptions } from '../db/store.js';
import { normalizeCouponCode, type CouponType } from '../domain/coupon.js';
import type { Page, PageRequest } from '../domain/types.js';
import { audit, nowIso, type Actor, type ServiceContext } from './context.js';

export interface NewCoupon {
  code: string;
  type: CouponType;
  value: number;
  minSubtotalCents?: number | undefined;
  maxRedemptions?: number | undefined;
  perCustomerLimit?: number | undefined;
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  active?: boolean | undefined;
}

/** Administrators create, list and change coupons; every creation and change is in the audit log. */
export function createCouponService(ctx: ServiceContext) {
  const { store } = ctx;

  async function record(actor: Actor, action: string, code: string, detail: object): Promise<void> {
    await audit(ctx, action, { actorId: actor.id, ip: actor.ip, targetType: 'coupon', targetId: code, detail });
  }

  return {
    async create(actor: Actor, input: NewCoupon): Promise<CouponWithRedemptions> {
      const now = nowIso(ctx);
      const coupon = await store.coupons.create({
        code: normalizeCouponCode(input.code),
        type: input.type,
        value: input.value,
        minSubtotalCents: input.minSubtotalCents ?? null,
        maxRedemptions: input.maxRedemptions ?? null,
        perCustomerLimit: input.perCustomerLimit ?? 1,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        active: input.active ?? true,
        createdAt: now,
        updatedAt: now,
      });
      await record(actor, 'admin.coupon_created', coupon.code, { type: coupon.type, value: coupon.value });
      return coupon;
    },

    list: (page: PageRequest): Promise<Page<CouponWithRedemptions>> => store.coupons.list(page),

    async get(code: string): Promise<CouponWithRedemptions> {
      const coupon = await store.coupons.find(normalizeCouponCode(code));
      if (!coupon) throw couponNotFound();
      return coupon;
    },

    async update(actor: Actor, code: string, patch: CouponPatch): Promise<CouponWithRedemptions> {
      const result = await store.coupons.update(normalizeCouponCode(code), patch, nowIso(ctx));
      switch (result.kind) {
        case 'not_found':
          throw couponNotFound();
        case 'below_used':
          throw new ConflictError(
            `maxRedemptions must not be below the ${result.redemptions} redemption(s) already made`,
            'MAX_REDEMPTIONS_BELOW_USED',
          );
        case 'ends_before_start':
          throw new ValidationError(`endsAt must be after the coupon's startsAt (${result.startsAt})`, {
            issues: [{ path: 'body.endsAt', message: `must be after startsAt (${result.startsAt})` }],
          });
        case 'ok':
          await record(actor, 'admin.coupon_updated', result.coupon.code, patch);
          return result.coupon;
      }
    },
  };
}

function couponNotFound(): NotFoundError {
  return new NotFoundError('coupon not found', 'COUPON_NOT_FOUND');
}
