/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addItemBody, cartSchema, productParams, setItemBody } from '../schemas/cart.js';
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

  app.delete(
    '/cart',
    { schema: { ...base, summary: 'Empty the cart', response: { 200: cartSchema, ...problems(401) } } },
    async (request) => services.cart.clear(actorOf(request).id),
  );
};
