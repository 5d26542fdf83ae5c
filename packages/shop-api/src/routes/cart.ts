/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addItemBody, cartSchema, productParams, setItemBody } from '../schemas/cart.js';
import { attachCouponBody } from '../schemas/coupons.js';
import { bearer, problems } from '../schemas/common.js';
import { actorOf } from '../plugins/auth.js';
import type { RouteDeps } from './deps.js';

export const cartRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { services, authenticate }) => {
  app.addHook('preHandler', authenticate);
  const base = { tags: ['cart'], security: bearer };

  app.get(
    '/cart',
    { schema: { ...base, summary: 'The cart', response: { 200: cartSchema, ...problems(401) } } },
    async (request) => services.cart.view(actorOf(request).id),
  );

  app.post(
    '/cart/items',
    {
      schema: {
        ...base,
        summary: 'Add units of a product to the cart',
        description: '409 if the line would hold more than the stock; 404 for an unknown or archived product.',
        body: addItemBody,
        response: { 200: cartSchema, ...problems(401, 404, 409) },
      },
    },
    async (request) => services.cart.add(actorOf(request).id, request.body.productId, request.body.quantity),
  );

  app.patch(
    '/cart/items/:productId',
    {
      schema: {
        ...base,
        summary: 'Set the quantity of a cart line; 0 removes it',
        params: productParams,
        body: setItemBody,
        response: { 200: cartSchema, ...problems(401, 404, 409) },
      },
    },
    async (request) => services.cart.set(actorOf(request).id, request.params.productId, request.body.quantity),
  );

  app.delete(
    '/cart/items/:productId',
    {
      schema: {
        ...base,
        summary: 'Remove a cart line',
        params: productParams,
        response: { 200: cartSchema, ...problems(401, 404) },
      },
    },
    async (request) => services.cart.remove(actorOf(request).id, request.params.productId),
  );

  app.put(
    '/cart/coupon',
    {
      schema: {
        ...base,
        summary: 'Attach a coupon to the cart (replacing any other)',
        description:
          '422 COUPON_NOT_APPLICABLE with a `reason` (unknown, inactive, not_started, expired, exhausted, ' +
          'customer_limit, below_minimum) when it does not apply to the cart now.',
        body: attachCouponBody,
        response: { 200: cartSchema, ...problems(401, 422) },
      },
    },
    async (request) => services.cart.attachCoupon(actorOf(request).id, request.body.code),
  );

  app.delete(
    '/cart/coupon',
    {
      schema: {
        ...base,
        summary: 'Remove the coupon from the cart (204 also when none was attached)',
        response: { 204: z.null().describe('removed'), ...problems(401) },
      },
    },
    async (request, reply) => {
      await services.cart.detachCoupon(actorOf(request).id);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/cart',
    { schema: { ...base, summary: 'Empty the cart', response: { 200: cartSchema, ...problems(401) } } },
    async (request) => services.cart.clear(actorOf(request).id),
  );
};
