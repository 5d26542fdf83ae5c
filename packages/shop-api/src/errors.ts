import { STATUS_CODES } from 'node:http';
import { ConflictError, httpStatusByKind, QuartetError, type FieldIssue } from '@quartet/core';
import type { ShortLine } from './domain/checkout.js';
import type { CouponReason } from './domain/coupon.js';

/** A well-formed request the server will not carry out (an empty cart, a reused idempotency key): 422. */
export class UnprocessableError extends QuartetError {
  readonly status = 422;
  constructor(message: string, code: string) {
    super('validation', code, message);
  }
}

/** Checkout found lines the shelf cannot fill; nothing was changed. */
export class OutOfStockError extends ConflictError {
  constructor(readonly lines: ShortLine[]) {
    super(`${lines.length} cart line(s) exceed the stock available`, 'OUT_OF_STOCK');
  }
}

/**
 * A coupon that does not apply, with why: 422 when attaching it (the request cannot be carried
 * out), 409 at checkout (it applied when attached; the state changed since).
 */
export class CouponNotApplicableError extends QuartetError {
  constructor(
    readonly reason: CouponReason,
    readonly status: 409 | 422,
  ) {
    super(status === 409 ? 'conflict' : 'validation', 'COUPON_NOT_APPLICABLE', couponReasonText[reason]);
  }
}

const couponReasonText: Record<CouponReason, string> = {
  unknown: 'there is no coupon with this code',
  inactive: 'this coupon is not active',
  not_started: 'this coupon is not valid yet',
  expired: 'this coupon has expired',
  exhausted: 'this coupon has been used up',
  customer_limit: 'you have already used this coupon as often as it allows',
  below_minimum: 'the cart is below the minimum subtotal for this coupon',
};

/** RFC 9457 problem details, with our stable `code` and the extension members we use. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldIssue[];
  lines?: ShortLine[];
  reason?: CouponReason;
}

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return {
    type: `urn:quartet:shop-api:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

/** The problem a QuartetError stands for; its status follows its kind unless the class fixes one. */
export function problemOf(error: QuartetError): Problem {
  const status = 'status' in error && typeof error.status === 'number' ? error.status : httpStatusByKind[error.kind];
  const extra: Partial<Problem> = {};
  if (error instanceof OutOfStockError) extra.lines = error.lines;
  if (error instanceof CouponNotApplicableError) extra.reason = error.reason;
  if ('issues' in error && Array.isArray(error.issues) && error.issues.length > 0) {
    extra.errors = error.issues as FieldIssue[];
  }
  return problem(status, error.code, error.message, extra);
}
