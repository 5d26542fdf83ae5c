/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UnavailableError } from '@quartet/core';
import { z } from 'zod';
import { problems } from '../schemas/common.js';
import type { RouteDeps } from './deps.js';

export const healthRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { services, catalogCache }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, including a database round trip',
        description:
          'With a catalog cache (SHOP_REDIS_URL), `cache` says whether it is in use; a cache that is down is not an outage.',
        response: {
          200: z.object({
            status: z.literal('ok'),
            database: z.literal('ok'),
            cache: z.enum(['ok', 'down']).optional(),
          }),
          ...problems(503),
        },
      },
    },
    async () => {
      try {
        await services.health();
      } catch (error) {
        throw new UnavailableError('the database is not answering', 'DATABASE_UNAVAILABLE', { cause: error });
      }
      const health = { status: 'ok' as const, database: 'ok' as const };
      return catalogCache ? { ...health, cache: catalogCache.status() } : health;
    },
  );
};
