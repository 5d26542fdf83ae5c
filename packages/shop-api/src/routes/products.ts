/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, idParams, problems } from '../schemas/common.js';
import {
  categoriesSchema,
  createProductBody,
  patchProductBody,
  productPageSchema,
  productQuery,
  productSchema,
} from '../schemas/products.js';
import { actorOf } from '../plugins/auth.js';
import { cachedGet } from '../plugins/response-cache.js';
import type { RouteDeps } from './deps.js';

export const productRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { services, requireAdmin, memo, catalogCache, telemetry },
) => {
  const tags = ['catalog'];
  // Shoppers' reads: a repeated URL is answered with the bytes sent last time while the catalog is unchanged.
  const cached = (resource: string) => cachedGet(memo, { cache: catalogCache, telemetry, resource });
  const publicAnswer = { config: { publicAnswer: true } };

  app.get(
    '/products',
    {
      ...cached('products'),
      ...publicAnswer,
      schema: {
        tags,
        summary: 'Search and browse active products',
        querystring: productQuery,
        response: { 200: productPageSchema, ...problems() },
      },
    },
    async (request) => services.catalog.list(request.query),
  );

  app.get(
    '/products/:id',
    {
      ...cached('product'),
      ...publicAnswer,
      schema: {
        tags,
        summary: 'One active product',
        params: idParams,
        response: { 200: productSchema, ...problems(404) },
      },
    },
    async (request) => services.catalog.get(request.params.id),
  );

  app.get(
    '/categories',
    {
      ...cached('categories'),
      ...publicAnswer,
      schema: { tags, summary: 'Categories with their active product counts', response: { 200: categoriesSchema } },
    },
    async () => ({ items: await services.catalog.categories() }),
  );

  app.post(
    '/products',
    {
      preHandler: requireAdmin,
      schema: {
        tags,
        summary: 'Create a product (admin)',
        security: bearer,
        body: createProductBody,
        response: { 201: productSchema, ...problems(401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await services.catalog.create(actorOf(request), request.body)),
  );

  app.patch(
    '/products/:id',
    {
      preHandler: requireAdmin,
      schema: {
        tags,
        summary: 'Change a product (admin); set active: true to restore an archived one',
        security: bearer,
        params: idParams,
        body: patchProductBody,
        response: { 200: productSchema, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => services.catalog.update(actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/products/:id',
    {
      preHandler: requireAdmin,
      schema: {
        tags,
        summary: 'Archive a product (admin): hidden and unavailable, kept for past orders',
        security: bearer,
        params: idParams,
        response: { 204: z.null().describe('archived'), ...problems(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await services.catalog.archive(actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
