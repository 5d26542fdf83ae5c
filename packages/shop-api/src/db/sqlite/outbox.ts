/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { immediateTransaction } from '@quartet/core';
import { and, asc, count, eq, inArray, isNull, lt, lte } from 'drizzle-orm';
import { createNudge, decodeOutbox } from '../outbox-rows.js';
import type { OutboxRepository } from '../store.js';
import type { Db } from './connection.js';
import { outbox, sentEmails } from './schema.js';

const columns = {
  id: outbox.id,
  topic: outbox.topic,
  orderId: outbox.orderId,
  payload: outbox.payload,
  createdAt: outbox.createdAt,
  attempts: outbox.attempts,
};

export function createOutboxRepository(db: Db): OutboxRepository {
  const pending = (maxAttempts: number) => and(isNull(outbox.publishedAt), lt(outbox.attempts, maxAttempts));
  return {
    async claimDue({ now, leaseUntil, limit, maxAttempts }) {
      // BEGIN IMMEDIATE: the write lock is taken before the read, so two relays (processes) never
      // both see the same due row.
      const rows = immediateTransaction(db, (tx) => {
        const due = tx
          .select(columns)
          .from(outbox)
          .where(and(pending(maxAttempts), lte(outbox.availableAt, now)))
          .orderBy(asc(outbox.createdAt), asc(outbox.id))
          .limit(limit)
          .all();
        if (due.length > 0) {
          tx.update(outbox)
            .set({ availableAt: leaseUntil })
            .where(
              inArray(
                outbox.id,
                due.map((row) => row.id),
              ),
            )
            .run();
        }
        return due;
      });
      return rows.map(decodeOutbox);
    },
    async markPublished(id, now) {
      db.update(outbox).set({ publishedAt: now }).where(eq(outbox.id, id)).run();
    },
    async markFailed(id, failure) {
      db.update(outbox)
        .set({ attempts: failure.attempts, availableAt: failure.availableAt, lastError: failure.error })
        .where(eq(outbox.id, id))
        .run();
    },
    async countPending(maxAttempts) {
      return db.select({ n: count() }).from(outbox).where(pending(maxAttempts)).get()?.n ?? 0;
    },
    async wasSent(eventId) {
      return (
        db.select({ id: sentEmails.eventId }).from(sentEmails).where(eq(sentEmails.eventId, eventId)).get() !==
        undefined
      );
    },
    async recordSent(sent) {
      return db.insert(sentEmails).values(sent).onConflictDoNothing().run().changes === 1;
    },
    ...createNudge(),
  };
}
