/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { immediateTransaction } from '@quartet/core';
import { and, eq, lte, sql } from 'drizzle-orm';
import { decideClaim } from '../../domain/idempotency.js';
import type { IdempotencyRepository } from '../store.js';
import { idempotencyKeys } from './schema.js';
import { claimResult, freshClaim } from '../claims.js';
import type { Db } from './connection.js';

export function createIdempotencyRepository(db: Db): IdempotencyRepository {
  const byKey = db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.userId, sql.placeholder('userId')), eq(idempotencyKeys.key, sql.placeholder('key'))))
    .prepare();

  return {
    async claim(input) {
      return immediateTransaction(db, () => {
        const decision = decideClaim(byKey.get({ userId: input.userId, key: input.key }), input);
        const fresh = freshClaim(input);
        if (decision.kind === 'insert') {
          db.insert(idempotencyKeys)
            .values({ userId: input.userId, key: input.key, ...fresh })
            .run();
        } else if (decision.kind === 'take_over') {
          db.update(idempotencyKeys)
            .set(fresh)
            .where(and(eq(idempotencyKeys.userId, input.userId), eq(idempotencyKeys.key, input.key)))
            .run();
        }
        return claimResult(decision, input.claim);
      });
    },
    async release(userId, key, claim) {
      db.delete(idempotencyKeys)
        .where(
          and(
            eq(idempotencyKeys.userId, userId),
            eq(idempotencyKeys.key, key),
            eq(idempotencyKeys.claim, claim),
            eq(idempotencyKeys.state, 'in_flight'),
          ),
        )
        .run();
    },
    async purgeExpired(now) {
      return db.delete(idempotencyKeys).where(lte(idempotencyKeys.expiresAt, now)).run().changes;
    },
  };
}
