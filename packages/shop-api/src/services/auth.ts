import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { UnauthenticatedError } from '@quartet/core';
import type { SessionUser, User } from '../domain/types.js';
import type { ServiceContext } from './context.js';
import { audit, nowIso } from './context.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

const INVALID_LOGIN = 'email or password is incorrect';

export function createAuthService(ctx: ServiceContext) {
  const { store, hasher } = ctx;

  async function issueTokens(user: SessionUser, familyId: string): Promise<TokenPair> {
    const refresh = newRefreshToken(ctx);
    await store.tokens.create({ ...refresh.record, userId: user.id, familyId });
    return tokenPair(ctx, user, refresh.token);
  }

  /** Every access token the user holds stops working at their next request, in every instance. */
  async function endAccessTokens(userId: string): Promise<void> {
    await store.users.update(userId, { endAccessTokens: true }, nowIso(ctx));
  }

  return {
    async register(input: { email: string; password: string; name: string }) {
      const passwordHash = await hasher.hash(input.password);
      const now = nowIso(ctx);
      return store.users.create({
        id: randomUUID(),
        email: input.email,
        name: input.name,
        passwordHash,
        role: 'customer',
        active: true,
        tokenVersion: 0,
        createdAt: now,
        updatedAt: now,
      });
    },

    /** One answer for an unknown email, a wrong password and a deactivated user, all at bcrypt's cost. */
    async login(input: { email: string; password: string }, ip: string | null): Promise<TokenPair> {
      const user = await store.users.findByEmail(input.email);
      const matches = user
        ? await hasher.verify(input.password, user.passwordHash)
        : await hasher.verifyDummy(input.password);
      if (!user || !matches || !user.active) {
        const reason = !user ? 'unknown_email' : !matches ? 'wrong_password' : 'inactive';
        await audit(ctx, 'login.failed', { actorId: user?.id ?? null, ip, detail: { email: input.email, reason } });
        throw new UnauthenticatedError(INVALID_LOGIN, 'INVALID_CREDENTIALS');
      }
      await audit(ctx, 'login.succeeded', { actorId: user.id, ip, targetType: 'user', targetId: user.id });
      return issueTokens(user, randomUUID());
    },

    async refresh(refreshToken: string): Promise<TokenPair> {
      const next = newRefreshToken(ctx);
      const now = nowIso(ctx);
      const result = await store.tokens.rotate(hashToken(refreshToken), next.record, now);
      if (result.kind === 'reused') {
        // Someone holds a copy of this session: the access tokens it handed out end with it.
        await endAccessTokens(result.userId);
        throw new UnauthenticatedError(
          'refresh token was already used; the session has been revoked',
          'REFRESH_TOKEN_REUSED',
        );
      }
      if (result.kind === 'invalid')
        throw new UnauthenticatedError('refresh token is invalid or expired', 'INVALID_REFRESH_TOKEN');
      const user = await store.users.session(result.userId);
      if (!user?.active) {
        await store.tokens.revokeAllForUser(result.userId, now);
        throw new UnauthenticatedError('refresh token is invalid or expired', 'INVALID_REFRESH_TOKEN');
      }
      return tokenPair(ctx, user, next.token);
    },

    /**
     * Ends the session the refresh token belongs to, and every access token the user holds: an access
     * token does not say which session issued it. The user's other sessions renew theirs with their
     * refresh tokens. Unknown tokens are accepted silently, as RFC 7009 asks.
     */
    async logout(refreshToken: string): Promise<void> {
      const userId = await store.tokens.revokeFamily(hashToken(refreshToken), nowIso(ctx));
      if (userId !== undefined) await endAccessTokens(userId);
    },

    /**
     * The user behind an access token, as they are now: deactivation and role changes apply at once,
     * and a token issued before a logout or a deactivation (an older token version) is refused.
     */
    async currentUser(userId: string, tokenVersion: number): Promise<User> {
      const session = await store.users.session(userId);
      if (!session?.active || session.tokenVersion !== tokenVersion) {
        throw new UnauthenticatedError('the access token is no longer valid', 'TOKEN_REVOKED');
      }
      const { tokenVersion: _, ...user } = session;
      return user;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

function newRefreshToken(ctx: ServiceContext) {
  const token = randomBytes(32).toString('base64url');
  return {
    token,
    record: {
      id: randomUUID(),
      tokenHash: hashToken(token),
      expiresAt: nowIso(ctx, ctx.refreshTokenTtlMs),
      createdAt: nowIso(ctx),
    },
  };
}

function tokenPair(ctx: ServiceContext, user: SessionUser, refreshToken: string): TokenPair {
  return {
    accessToken: ctx.signAccessToken(user.id, user.tokenVersion),
    refreshToken,
    tokenType: 'Bearer',
    expiresIn: ctx.accessTokenTtlSeconds,
  };
}

/** Refresh tokens are 256 random bits, so a fast hash is enough to make a stolen table useless. */
function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
