/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, problems } from '../schemas/common.js';
import {
  couponListQuery,
  couponPageSchema,
  couponParams,
  couponSchema,
  createCouponBody,
  patchCouponBody,
} from '../schemas/coupons.js';
import { actorOf } from '../plugins/auth.js';
import type { RouteDeps } from './deps.js';

/** Administrators' coupon routes; customers attach coupons through the cart routes. */
export const couponRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { services, requireAdmin }) => {
  app.addHook('preHandler', requireAdmin);
  const base = { tags: ['admin'], security: bearer };

  app.post(
    '/admin/coupons',
    {
      schema: {
        ...base,
        summary: 'Create a coupon',
        description: 'Codes match case-insensitively; a taken code is 409 COUPON_CODE_TAKEN.',
        body: createCouponBody,
        response: { 201: couponSchema, ...problems(401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await services.coupons.create(actorOf(request), request.body)),
  );

  app.get(
    '/admin/coupons',
    {
      schema: {
        ...base,
        summary: 'Coupons, newest first, with their redemptions',
        querystring: couponListQuery,
        response: { 200: couponPageSchema, ...problems(401, 403) },
      },
    },
    async (request) => services.coupons.list(request.query),
  );

  app.get(
    '/admin/coupons/:code',
    {
      schema: {
        ...base,
        summary: 'One coupon',
        params: couponParams,
        response: { 200: couponSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => services.coupons.get(request.params.code),
  );

  app.patch(
    '/admin/coupons/:code',
    {
      schema: {
        ...base,
        summary: 'Activate or deactivate a coupon, or change its end or redemption limit',
        description: 'maxRedemptions below the redemptions already made is 409 MAX_REDEMPTIONS_BELOW_USED.',
        params: couponParams,
        body: patchCouponBody,
        response: { 200: couponSchema, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => services.coupons.update(actorOf(request), request.params.code, request.body),
  );
};
