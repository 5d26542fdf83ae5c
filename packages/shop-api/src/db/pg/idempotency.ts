import { and, eq, lte } from 'drizzle-orm';
import { decideClaim } from '../../domain/idempotency.js';
import { claimResult, freshClaim } from '../claims.js';
import type { IdempotencyRepository } from '../store.js';
import { transaction, type Db } from './connection.js';
import { idempotencyKeys } from './schema.js';

export function createIdempotencyRepository(db: Db): IdempotencyRepository {
  const keyIs = (userId: string, key: string) => and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, key));

  return {
    async claim(input) {
      const fresh = freshClaim(input);
      return transaction(db, async (tx) => {
        // The primary key (user, key) decides between instances: of two concurrent inserts one
        // wins, the other waits for it to commit, inserts nothing and then reads the winner's row.
        const inserted = await tx
          .insert(idempotencyKeys)
          .values({ userId: input.userId, key: input.key, ...fresh })
          .onConflictDoNothing()
          .returning({ claim: idempotencyKeys.claim });
        if (inserted.length === 1) return { kind: 'claimed' as const, claim: input.claim };
        const [held] = await tx.select().from(idempotencyKeys).where(keyIs(input.userId, input.key)).for('update');
        const decision = decideClaim(held, input);
        if (decision.kind === 'take_over' || decision.kind === 'insert') {
          // 'insert' here: the row was deleted between our insert and our read; upsert covers both.
          await tx
            .insert(idempotencyKeys)
            .values({ userId: input.userId, key: input.key, ...fresh })
            .onConflictDoUpdate({ target: [idempotencyKeys.userId, idempotencyKeys.key], set: fresh });
        }
        return claimResult(decision, input.claim);
      });
    },
    async release(userId, key, claim) {
      await db
        .delete(idempotencyKeys)
        .where(and(keyIs(userId, key), eq(idempotencyKeys.claim, claim), eq(idempotencyKeys.state, 'in_flight')));
    },
    async purgeExpired(now) {
      const purged = await db
        .delete(idempotencyKeys)
        .where(lte(idempotencyKeys.expiresAt, now))
        .returning({ key: idempotencyKeys.key });
      return purged.length;
    },
  };
}
