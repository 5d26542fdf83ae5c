/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { immediateTransaction } from '@quartet/core';
import { and, eq, lte, sql } from 'drizzle-orm';
import type { IdempotencyRepository } from '../store.js';
import { idempotencyKeys } from '../schema.js';
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
        const match = and(eq(idempotencyKeys.userId, input.userId), eq(idempotencyKeys.key, input.key));
        let row = byKey.get({ userId: input.userId, key: input.key });
        if (row && row.expiresAt <= input.now) {
          db.delete(idempotencyKeys).where(match).run();
          row = undefined;
        }
        const fresh = {
          fingerprint: input.fingerprint,
          claim: input.claim,
          state: 'in_flight' as const,
          createdAt: input.now,
          expiresAt: input.expiresAt,
        };
        if (!row) {
          db.insert(idempotencyKeys)
            .values({ userId: input.userId, key: input.key, ...fresh })
            .run();
          return { kind: 'claimed' as const, claim: input.claim };
        }
        if (row.fingerprint !== input.fingerprint) return { kind: 'mismatch' as const };
        if (row.state === 'done' && row.responseStatus !== null && row.responseBody !== null) {
          return { kind: 'replay' as const, response: { status: row.responseStatus, body: row.responseBody } };
        }
        if (row.createdAt < input.staleBefore) {
          // The request that claimed this key died before its checkout committed; nothing was written under it.
          db.update(idempotencyKeys).set(fresh).where(match).run();
          return { kind: 'claimed' as const, claim: input.claim };
        }
        return { kind: 'in_flight' as const };
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
