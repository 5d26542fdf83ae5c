import { and, count, eq, isNull, lt, sql } from 'drizzle-orm';
import { createNudge, decodeOutbox, type OutboxRecord } from '../outbox-rows.js';
import type { OutboxRepository } from '../store.js';
import { translateError } from '@quartet/core/pg';
import type { Db } from './connection.js';
import { outbox, sentEmails } from './schema.js';

export function createOutboxRepository(db: Db): OutboxRepository {
  const pending = (maxAttempts: number) => and(isNull(outbox.publishedAt), lt(outbox.attempts, maxAttempts));
  // The store's guard does not reach into this repository (it has a synchronous member): translate here.
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw translateError(error);
    }
  };
  return {
    claimDue: ({ now, leaseUntil, limit, maxAttempts }) =>
      guarded(async () => {
        // SKIP LOCKED: relays running at once each take rows the others have not locked, instead of
        // waiting for them; the lease (available_at) keeps them away after this statement commits.
        const { rows } = await db.execute<OutboxRecord>(sql`
          UPDATE ${outbox} SET available_at = ${leaseUntil}
          WHERE id IN (
            SELECT id FROM ${outbox}
            WHERE published_at IS NULL AND attempts < ${maxAttempts} AND available_at <= ${now}
            ORDER BY created_at, id
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED
          )
          RETURNING id, topic, order_id AS "orderId", payload, created_at AS "createdAt", attempts`);
        return rows
          .map(decodeOutbox)
          .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      }),
    markPublished: (id, now) =>
      guarded(async () => {
        await db.update(outbox).set({ publishedAt: now }).where(eq(outbox.id, id));
      }),
    markFailed: (id, failure) =>
      guarded(async () => {
        await db
          .update(outbox)
          .set({ attempts: failure.attempts, availableAt: failure.availableAt, lastError: failure.error })
          .where(eq(outbox.id, id));
      }),
    countPending: (maxAttempts) =>
      guarded(async () => (await db.select({ n: count() }).from(outbox).where(pending(maxAttempts)))[0]?.n ?? 0),
    wasSent: (eventId) =>
      guarded(
        async () =>
          (await db.select({ id: sentEmails.eventId }).from(sentEmails).where(eq(sentEmails.eventId, eventId))).length >
          0,
      ),
    recordSent: (sent) =>
      guarded(
        async () =>
          (await db.insert(sentEmails).values(sent).onConflictDoNothing().returning({ id: sentEmails.eventId }))
            .length === 1,
      ),
    ...createNudge(),
  };
}
