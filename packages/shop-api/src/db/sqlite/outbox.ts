/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { unsyncedTransaction } from '@quartet/core';
import { and, asc, count, eq, inArray, isNull, lt, lte, sql, type Placeholder } from 'drizzle-orm';
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

/**
 * The relay's bookkeeping (claims, published and failed marks, sent records) commits without fsync:
 * it moves nothing of value, and an fsync for each of them would be paid on the disk and under the
 * write lock that checkout's own synced commits share. A killed process loses none
 * of it (WAL); a power cut may forget the last few, and then an e-mail goes out once more, with the
 * same Message-ID. The outbox rows themselves are written by checkout's own synced commit.
 */
export function createOutboxRepository(db: Db): OutboxRepository {
  const pending = (maxAttempts: number | Placeholder) =>
    and(isNull(outbox.publishedAt), lt(outbox.attempts, maxAttempts));
  // The per-event statements, prepared once: the relay runs them for every order event.
  const publish = db
    .update(outbox)
    .set({ publishedAt: sql`${sql.placeholder('now')}` })
    .where(eq(outbox.id, sql.placeholder('id')))
    .prepare();
  const anyDue = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(pending(sql.placeholder('maxAttempts')), lte(outbox.availableAt, sql.placeholder('now'))))
    .limit(1)
    .prepare();
  const sentBefore = db
    .select({ id: sentEmails.eventId })
    .from(sentEmails)
    .where(eq(sentEmails.eventId, sql.placeholder('id')))
    .prepare();
  const insertSent = db
    .insert(sentEmails)
    .values({
      eventId: sql.placeholder('eventId'),
      messageId: sql.placeholder('messageId'),
      recipient: sql.placeholder('recipient'),
      sentAt: sql.placeholder('sentAt'),
    })
    .onConflictDoNothing()
    .prepare();
  return {
    async claimDue({ now, leaseUntil, limit, maxAttempts }) {
      // An idle relay polls every second: when nothing is due, a plain read says so without taking the
      // write lock that checkouts (and other processes) wait for. A row that becomes due after this
      // read is claimed at the next poll or nudge.
      if (anyDue.get({ now, maxAttempts }) === undefined) return [];
      // BEGIN IMMEDIATE: the write lock is taken before the read, so two relays (processes) never
      // both see the same due row. The outbox's bookkeeping commits without fsync (see below).
      const rows = unsyncedTransaction(db, (tx) => {
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
      unsyncedTransaction(db, () => publish.run({ id, now }));
    },
    async markFailed(id, failure) {
      unsyncedTransaction(db, (tx) =>
        tx
          .update(outbox)
          .set({ attempts: failure.attempts, availableAt: failure.availableAt, lastError: failure.error })
          .where(eq(outbox.id, id))
          .run(),
      );
    },
    async countPending(maxAttempts) {
      return db.select({ n: count() }).from(outbox).where(pending(maxAttempts)).get()?.n ?? 0;
    },
    async wasSent(eventId) {
      return sentBefore.get({ id: eventId }) !== undefined;
    },
    async recordSent(sent) {
      return unsyncedTransaction(db, () => insertSent.run(sent)).changes === 1;
    },
    ...createNudge(),
  };
}
