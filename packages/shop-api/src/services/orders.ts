import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, type QuartetError } from '@quartet/core';
import type { CheckoutOutcome, StoredResponse } from '../db/store.js';
import { MAX_TOTAL_CENTS } from '../domain/cart.js';
import type { Order, OrderStatus, OrderSummary, Page, PageRequest } from '../domain/types.js';
import { CouponNotApplicableError, OutOfStockError, UnprocessableError, problemOf } from '../errors.js';
import { audit, nowIso, type Actor, type ServiceContext } from './context.js';

export type CheckoutResult = { kind: 'created'; order: Order } | { kind: 'replayed'; response: StoredResponse };

export interface CheckoutRequest {
  note: string | null;
  /** The Idempotency-Key header, already validated (1–255 characters). */
  idempotencyKey?: string | undefined;
}

export function createOrderService(ctx: ServiceContext) {
  const { store } = ctx;

  async function placeOrder(actor: Actor, request: CheckoutRequest): Promise<CheckoutResult> {
    const base = { userId: actor.id, orderId: randomUUID(), note: request.note, now: nowIso(ctx) };
    const key = request.idempotencyKey;
    if (key === undefined) return created(actor, await store.orders.checkout(base));

    // Stripe's rules: same key and body → the stored answer; another body → 422; still running → 409.
    const claim = await store.idempotency.claim({
      userId: actor.id,
      key,
      fingerprint: fingerprint(request),
      claim: randomUUID(),
      now: base.now,
      expiresAt: nowIso(ctx, ctx.idempotency.ttlMs),
      staleBefore: nowIso(ctx, -ctx.idempotency.staleMs),
    });
    if (claim.kind === 'replay') return { kind: 'replayed', response: claim.response };
    if (claim.kind === 'mismatch') {
      throw new UnprocessableError(
        'this Idempotency-Key was already used with a different request body',
        'IDEMPOTENCY_KEY_REUSED',
      );
    }
    if (claim.kind === 'in_flight') throw keyInUse();
    let outcome: CheckoutOutcome;
    try {
      outcome = await store.orders.checkout({ ...base, idempotency: { key, claim: claim.claim, encode } });
    } catch (error) {
      // Nothing was committed under the key: let the client retry with it.
      await store.idempotency.release(actor.id, key, claim.claim);
      throw error;
    }
    if (outcome.kind === 'claim_lost') throw keyInUse();
    return created(actor, outcome);
  }

  async function created(actor: Actor, outcome: CheckoutOutcome): Promise<CheckoutResult> {
    if (outcome.kind !== 'placed') {
      ctx.telemetry.checkoutFailed(outcome.kind);
      throw checkoutError(outcome);
    }
    const { order } = outcome;
    store.outbox.nudge(); // the commit wrote an order.placed event: wake the relay
    await ctx.catalogCache?.invalidate();
    ctx.telemetry.orderStatus('pending');
    if (order.couponCode !== null) ctx.telemetry.couponRedeemed();
    await audit(ctx, 'order.placed', {
      actorId: actor.id,
      ip: actor.ip,
      targetType: 'order',
      targetId: order.id,
      detail: { totalCents: order.totalCents, currency: order.currency },
    });
    return { kind: 'created', order };
  }

  return {
    checkout: placeOrder,

    list: (userId: string, page: PageRequest) => store.orders.list({ ...page, userId }),

    async get(orderId: string, ownerId?: string): Promise<Order> {
      const order = await store.orders.find(orderId, ownerId);
      // Someone else's order is reported exactly like a missing one.
      if (!order) throw orderNotFound();
      return order;
    },

    listAll: (filter: { status?: OrderStatus | undefined } & PageRequest): Promise<Page<OrderSummary>> =>
      store.orders.list(filter),

    /** Customers cancel their own pending orders; administrators move any order along the state machine. */
    async transition(actor: Actor, orderId: string, to: OrderStatus): Promise<Order> {
      const result = await store.orders.transition({
        orderId,
        to,
        actor,
        ...(actor.role === 'admin' ? {} : { ownerId: actor.id }),
        now: nowIso(ctx),
      });
      if (result.kind === 'not_found') throw orderNotFound();
      if (result.kind === 'invalid_transition') {
        throw actor.role === 'admin'
          ? new ConflictError(`an order cannot go from ${result.from} to ${result.to}`, 'INVALID_TRANSITION')
          : new ConflictError(
              `the order is ${result.from}; only a pending order can be cancelled`,
              'ORDER_NOT_CANCELLABLE',
            );
      }
      ctx.telemetry.orderStatus(to);
      await ctx.catalogCache?.invalidate();
      store.outbox.nudge(); // the commit wrote the change's event: wake the relay
      const entry = { actorId: actor.id, ip: actor.ip, targetType: 'order', targetId: orderId };
      if (actor.role === 'admin') await audit(ctx, 'admin.order_status_changed', { ...entry, detail: { to } });
      if (to === 'cancelled') await audit(ctx, 'order.cancelled', entry);
      return result.order;
    },
  };
}

export type OrderService = ReturnType<typeof createOrderService>;

/** The response a checkout outcome stands for, stored with the idempotency key in the checkout transaction. */
function encode(outcome: Exclude<CheckoutOutcome, { kind: 'claim_lost' }>): StoredResponse {
  if (outcome.kind === 'placed') return { status: 201, body: JSON.stringify(outcome.order) };
  const problem = problemOf(checkoutError(outcome));
  return { status: problem.status, body: JSON.stringify(problem) };
}

function checkoutError(outcome: Exclude<CheckoutOutcome, { kind: 'placed' }>): QuartetError {
  switch (outcome.kind) {
    case 'empty':
      return new UnprocessableError('the cart is empty', 'CART_EMPTY');
    case 'short':
      return new OutOfStockError(outcome.lines);
    case 'mixed_currency':
      return new ConflictError(`the cart mixes currencies: ${outcome.currencies.join(', ')}`, 'CURRENCY_MISMATCH');
    case 'too_large':
      return new UnprocessableError(
        `the order total would exceed ${MAX_TOTAL_CENTS} cents; split it into smaller orders`,
        'ORDER_TOO_LARGE',
      );
    case 'coupon_not_applicable':
      return new CouponNotApplicableError(outcome.reason, 409);
    case 'claim_lost':
      return keyInUse();
  }
}

function fingerprint(request: CheckoutRequest): string {
  return createHash('sha256')
    .update(JSON.stringify({ route: 'POST /orders', note: request.note }))
    .digest('hex');
}

function keyInUse(): ConflictError {
  return new ConflictError('a request with this Idempotency-Key is still in progress', 'IDEMPOTENCY_KEY_IN_USE');
}

function orderNotFound(): NotFoundError {
  return new NotFoundError('order not found', 'ORDER_NOT_FOUND');
}
