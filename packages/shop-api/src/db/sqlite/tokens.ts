/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { immediateTransaction } from '@quartet/core';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { decideRotation } from '../../domain/refresh-token.js';
import type { RefreshTokenRepository } from '../store.js';
import { refreshTokens } from './schema.js';
import type { Db } from './connection.js';

export function createRefreshTokenRepository(db: Db): RefreshTokenRepository {
  const byHash = db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, sql.placeholder('hash')))
    .prepare();

  function revokeFamily(familyId: string, now: string): void {
    db.update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
      .run();
  }

  return {
    async create(token) {
      db.insert(refreshTokens).values(token).run();
    },
    async rotate(tokenHash, next, now) {
      return immediateTransaction(db, () => {
        const current = byHash.get({ hash: tokenHash });
        const decision = decideRotation(current, now);
        if (decision === 'invalid' || !current) return { kind: 'invalid' as const };
        if (decision === 'reuse') {
          revokeFamily(current.familyId, now);
          return { kind: 'reused' as const, userId: current.userId };
        }
        db.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.id, current.id)).run();
        db.insert(refreshTokens)
          .values({ ...next, userId: current.userId, familyId: current.familyId })
          .run();
        return { kind: 'rotated' as const, userId: current.userId };
      });
    },
    async revokeFamily(tokenHash, now) {
      const current = byHash.get({ hash: tokenHash });
      if (!current) return undefined;
      revokeFamily(current.familyId, now);
      return current.userId;
    },
    async revokeAllForUser(userId, now) {
      db.update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)))
        .run();
    },
  };
}
