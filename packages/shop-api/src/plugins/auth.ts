import fastifyJwt from '@fastify/jwt';
import { ForbiddenError, UnauthenticatedError } from '@quartet/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { User } from '../domain/types.js';
import type { Actor } from '../services/context.js';
import type { Services } from '../services/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `authenticate` hook: the user as stored now, not as the token remembers them. */
    currentUser: User | null;
  }
}

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;
/** The issuer and audience of our access tokens: a token another service signed with the same secret is refused. */
export const TOKEN_AUDIENCE = 'urn:quartet:shop-api';
/** Ours are about 300 characters; a longer one is not ours, and is refused before it is decoded. */
const MAX_TOKEN_LENGTH = 2048;
/** How far ahead of this server's clock a token's issue time may be (another instance's clock). */
const CLOCK_SKEW_SECONDS = 60;
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** What a valid access token holds. The signature, algorithm and expiry are checked before this. */
const claimsSchema = z.object({
  sub: z.uuid(),
  /** The user's token version when it was issued: logout and deactivation move the version on. */
  ver: z.number().int().min(0),
  iss: z.literal(TOKEN_AUDIENCE),
  aud: z.literal(TOKEN_AUDIENCE),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof claimsSchema>;

const tokenMissing = () =>
  new UnauthenticatedError('this request needs an access token: Authorization: Bearer <token>', 'TOKEN_MISSING');
const tokenInvalid = () => new UnauthenticatedError('the access token is invalid', 'TOKEN_INVALID');
const tokenExpired = () => new UnauthenticatedError('the access token has expired', 'TOKEN_EXPIRED');

export async function registerJwt(app: FastifyInstance, secret: string): Promise<void> {
  // HS256 only, both ways: a token whose header names another algorithm (none, HS512, RS256) fails to verify.
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: ACCESS_TOKEN_TTL_SECONDS },
    verify: { algorithms: ['HS256'] },
  });
  app.decorateRequest('currentUser', null);
}

/** Sign an access token for `sub` at token version `ver`, issued at `now`. */
export function accessTokenSigner(app: FastifyInstance, clock: () => Date) {
  return (sub: string, ver: number) =>
    app.jwt.sign({ sub, ver, iss: TOKEN_AUDIENCE, aud: TOKEN_AUDIENCE }, { clockTimestamp: clock().getTime() });
}

/**
 * The claims of the bearer token in an Authorization header, or a 401: TOKEN_MISSING without one,
 * TOKEN_EXPIRED, and TOKEN_INVALID for anything else, whatever the library's reason (malformed, another
 * algorithm, a bad signature, claims of the wrong type, issuer or audience, or a lifetime too long).
 */
export function accessTokenVerifier(app: FastifyInstance) {
  return (authorization: string | undefined): AccessClaims => {
    const token = /^Bearer(?: +(.*))?$/is.exec(authorization ?? '')?.[1];
    if (!token) throw tokenMissing();
    if (token.length > MAX_TOKEN_LENGTH || !JWT_SHAPE.test(token)) throw tokenInvalid();
    let payload: unknown;
    try {
      payload = app.jwt.verify(token);
    } catch (error) {
      throw (error as { code?: unknown }).code === 'FAST_JWT_EXPIRED' ? tokenExpired() : tokenInvalid();
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw tokenInvalid();
    const { iat, exp } = claims.data;
    if (exp - iat > ACCESS_TOKEN_TTL_SECONDS || iat > Date.now() / 1000 + CLOCK_SKEW_SECONDS) throw tokenInvalid();
    return claims.data;
  };
}

/** preHandler hooks for routes that need a signed-in user, or an administrator. */
export function authHooks(services: Services, verify: (authorization: string | undefined) => AccessClaims) {
  async function authenticate(request: FastifyRequest): Promise<void> {
    const { sub, ver } = verify(request.headers.authorization);
    request.currentUser = await services.auth.currentUser(sub, ver);
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
