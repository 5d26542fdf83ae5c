import { and, eq, isNull } from 'drizzle-orm';
import { decideRotation } from '../../domain/refresh-token.js';
import type { RefreshTokenRepository } from '../store.js';
import { transaction, type Db, type Tx } from './connection.js';
import { refreshTokens } from './schema.js';

export function createRefreshTokenRepository(db: Db): RefreshTokenRepository {
  function revokeFamily(q: Db | Tx, familyId: string, now: string) {
    return q
      .update(refreshTokens)
      .set({ revokedAt: now })
      .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
  }

  return {
    async create(token) {
      await db.insert(refreshTokens).values(token);
    },
    async rotate(tokenHash, next, now) {
      return transaction(db, async (tx) => {
        // FOR UPDATE: two instances handed the same token at once rotate it once; the second sees it used.
        const [current] = await tx
          .select()
          .from(refreshTokens)
          .where(eq(refreshTokens.tokenHash, tokenHash))
          .for('update');
        const decision = decideRotation(current, now);
        if (decision === 'invalid' || !current) return { kind: 'invalid' as const };
        if (decision === 'reuse') {
          await revokeFamily(tx, current.familyId, now);
          return { kind: 'reused' as const, userId: current.userId };
        }
        await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.id, current.id));
        await tx.insert(refreshTokens).values({ ...next, userId: current.userId, familyId: current.familyId });
        return { kind: 'rotated' as const, userId: current.userId };
      });
    },
    async revokeFamily(tokenHash, now) {
      const [current] = await db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash));
      if (!current) return undefined;
      await revokeFamily(db, current.familyId, now);
      return current.userId;
    },
    async revokeAllForUser(userId, now) {
      await db
        .update(refreshTokens)
        .set({ revokedAt: now })
        .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
    },
  };
}
