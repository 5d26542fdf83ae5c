/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, idParams, problems } from '../schemas/common.js';
import { checkoutBody, checkoutHeaders, orderListQuery, orderPageSchema, orderSchema } from '../schemas/orders.js';
import { actorOf } from '../plugins/auth.js';
import type { RouteDeps } from './deps.js';

export const orderRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { services, authenticate }) => {
  app.addHook('preHandler', authenticate);
  const base = { tags: ['orders'], security: bearer };

  app.post(
    '/orders',
    {
      schema: {
        ...base,
        summary: 'Check the cart out',
        description:
          'Atomically re-validates stock, deducts it, records the prices paid and empties the cart; on 409 nothing ' +
          'changed and `lines` lists what is short. With Idempotency-Key, a retry replays the first answer ' +
          '(header Idempotent-Replayed: true); the same key with another body gets 422, and 409 while the first runs.',
        headers: checkoutHeaders,
        body: checkoutBody,
        response: { 201: orderSchema, ...problems(401, 409, 422) },
      },
    },
    async (request, reply) => {
      const result = await services.orders.checkout(actorOf(request), {
        note: request.body?.note ?? null,
        idempotencyKey: request.headers['idempotency-key'],
      });
      if (result.kind === 'created') return reply.code(201).send(result.order);
      const { status, body } = result.response;
      // A replay sends the stored bytes as they are; the typed reply only knows the 201 schema.
      return (reply as FastifyReply)
        .code(status)
        .header('idempotent-replayed', 'true')
        .type(status >= 400 ? 'application/problem+json' : 'application/json')
        .serializer((payload) => payload as string)
        .send(body);
    },
  );

  app.get(
    '/orders',
    {
      schema: {
        ...base,
        summary: 'Your orders, newest first',
        querystring: orderListQuery,
        response: { 200: orderPageSchema, ...problems(401) },
      },
    },
    async (request) => services.orders.list(actorOf(request).id, request.query),
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        ...base,
        summary: 'One of your orders, with items and status history',
        params: idParams,
        response: { 200: orderSchema, ...problems(401, 404) },
      },
    },
    async (request) => services.orders.get(request.params.id, actorOf(request).id),
  );

  app.post(
    '/orders/:id/cancel',
    {
      schema: {
        ...base,
        summary: 'Cancel your pending order; its stock is restored',
        params: idParams,
        response: { 200: orderSchema, ...problems(401, 404, 409) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      // Even an administrator cancels their own order here as a customer; /admin has the state machine.
      return services.orders.transition({ ...actor, role: 'customer' }, request.params.id, 'cancelled');
    },
  );
};
