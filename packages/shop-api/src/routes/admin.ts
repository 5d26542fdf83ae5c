/* eslint-disable @typescript-eslint/require-await -- Fastify plugins and handlers are async by contract, awaiting or not. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  activityPageSchema,
  activityQuery,
  patchUserBody,
  statsSchema,
  userListQuery,
  userPageSchema,
} from '../schemas/admin.js';
import { userSchema } from '../schemas/auth.js';
import { bearer, idParams, problems } from '../schemas/common.js';
import { adminOrderQuery, orderPageSchema, orderSchema, statusBody } from '../schemas/orders.js';
import { actorOf } from '../plugins/auth.js';
import type { RouteDeps } from './deps.js';

export const adminRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app, { services, requireAdmin }) => {
  app.addHook('preHandler', requireAdmin);
  const base = { tags: ['admin'], security: bearer };

  app.get(
    '/admin/users',
    {
      schema: {
        ...base,
        summary: 'Users, newest first; filter by role or active',
        querystring: userListQuery,
        response: { 200: userPageSchema, ...problems(401, 403) },
      },
    },
    async (request) => services.admin.listUsers(request.query),
  );

  app.patch(
    '/admin/users/:id',
    {
      schema: {
        ...base,
        summary: 'Activate, deactivate, promote or demote a user',
        description: 'Takes effect on the user’s next request. Administrators cannot deactivate or demote themselves.',
        params: idParams,
        body: patchUserBody,
        response: { 200: userSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => {
      const { active, role } = request.body;
      const patch = { ...(active === undefined ? {} : { active }), ...(role === undefined ? {} : { role }) };
      return services.admin.updateUser(actorOf(request), request.params.id, patch);
    },
  );

  app.get(
    '/admin/orders',
    {
      schema: {
        ...base,
        summary: 'All orders, newest first; filter by status',
        querystring: adminOrderQuery,
        response: { 200: orderPageSchema, ...problems(401, 403) },
      },
    },
    async (request) => services.orders.listAll(request.query),
  );

  app.get(
    '/admin/orders/:id',
    {
      schema: {
        ...base,
        summary: 'Any order',
        params: idParams,
        response: { 200: orderSchema, ...problems(401, 403, 404) },
      },
    },
    async (request) => services.orders.get(request.params.id),
  );

  app.patch(
    '/admin/orders/:id/status',
    {
      schema: {
        ...base,
        summary: 'Move an order along the state machine',
        description:
          'pending → processing → shipped → delivered; pending or processing → cancelled (restores stock). ' +
          'Any other transition gets 409.',
        params: idParams,
        body: statusBody,
        response: { 200: orderSchema, ...problems(401, 403, 404, 409) },
      },
    },
    async (request) => services.orders.transition(actorOf(request), request.params.id, request.body.status),
  );

  app.get(
    '/admin/stats',
    {
      schema: {
        ...base,
        summary: 'Counts, revenue and low stock',
        response: { 200: statsSchema, ...problems(401, 403) },
      },
    },
    async () => services.admin.stats(),
  );

  app.get(
    '/admin/activity',
    {
      schema: {
        ...base,
        summary: 'Audit log, newest first: logins, admin actions, orders placed and cancelled',
        querystring: activityQuery,
        response: { 200: activityPageSchema, ...problems(401, 403) },
      },
    },
    async (request) => services.admin.activity(request.query),
  );
};
