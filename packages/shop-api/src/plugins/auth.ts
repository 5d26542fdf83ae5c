import fastifyJwt from '@fastify/jwt';
import { ForbiddenError } from '@quartet/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User } from '../domain/types.js';
import type { Actor } from '../services/context.js';
import type { Services } from '../services/index.js';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string };
    user: { sub: string };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `authenticate` hook: the user as stored now, not as the token remembers them. */
    currentUser: User | null;
  }
}

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

export async function registerJwt(app: FastifyInstance, secret: string): Promise<void> {
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS },
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('currentUser', null);
}

/** preHandler hooks for routes that need a signed-in user, or an administrator. */
export function authHooks(services: Services) {
  async function authenticate(request: FastifyRequest): Promise<void> {
    const { sub } = await request.jwtVerify<{ sub: string }>();
    request.currentUser = await services.auth.currentUser(sub);
  }
  async function requireAdmin(request: FastifyRequest): Promise<void> {
    await authenticate(request);
    if (request.currentUser?.role !== 'admin') throw new ForbiddenError('administrators only', 'ADMIN_ONLY');
  }
  return { authenticate, requireAdmin };
}

/** The signed-in user behind a request that passed `authenticate`, as loaded by it. */
export function userOf(request: FastifyRequest): User {
  const user = request.currentUser;
  if (!user) throw new Error('userOf() on a route without the authenticate hook');
  return user;
}

/** The same user as the services see them: who acts, and from which address. */
export function actorOf(request: FastifyRequest): Actor {
  const user = userOf(request);
  return { id: user.id, role: user.role, ip: request.ip };
}
