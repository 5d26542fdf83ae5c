/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loginBody, refreshBody, registerBody, tokenSchema, userSchema } from '../schemas/auth.js';
import { bearer, problems } from '../schemas/common.js';
import { userOf } from '../plugins/auth.js';
import type { RouteDeps } from './deps.js';

export const authRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { services, authenticate, authRateLimit }) => {
  const rateLimit = { max: authRateLimit, timeWindow: 60_000 };

  app.post(
    '/auth/register',
    {
      config: { rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Create a customer account',
        body: registerBody,
        response: { 201: userSchema, ...problems(409, 429) },
      },
    },
    async (request, reply) => reply.code(201).send(await services.auth.register(request.body)),
  );

  app.post(
    '/auth/login',
    {
      config: { rateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Exchange email and password for an access and a refresh token',
        description: 'Unknown email, wrong password and deactivated account all get the same 401.',
        body: loginBody,
        response: { 200: tokenSchema, ...problems(401, 429) },
      },
    },
    async (request) => services.auth.login(request.body, request.ip),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Rotate a refresh token',
        description: 'Each refresh token works once. Presenting a used one revokes its whole session.',
        body: refreshBody,
        response: { 200: tokenSchema, ...problems(401) },
      },
    },
    async (request) => services.auth.refresh(request.body.refreshToken),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session a refresh token belongs to',
        body: refreshBody,
        response: { 204: z.null().describe('logged out'), ...problems() },
      },
    },
    async (request, reply) => {
      await services.auth.logout(request.body.refreshToken);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      preHandler: authenticate,
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        security: bearer,
        response: { 200: userSchema, ...problems(401) },
      },
    },
    async (request) => userOf(request),
  );
};
