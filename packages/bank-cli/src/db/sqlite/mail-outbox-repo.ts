import { and, asc, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { MailOutboxStore } from '../../domain/store.js';
import { mailOutbox, userEmails } from './schema.js';

export function createMailOutboxRepo(db: BetterSQLite3Database): MailOutboxStore {
  const p = sql.placeholder;
  // One statement: a user without a verified address is a primary-key miss, and nothing is written.
  const enqueue = db
    .insert(mailOutbox)
    .select(
      db
        .select({
          id: sql<number>`NULL`.as('id'),
          notificationId: sql<number>`${p('notificationId')}`.as('notification_id'),
          address: userEmails.address,
          message: sql<string>`${p('message')}`.as('message'),
          createdAt: sql<number>`${p('createdAt')}`.as('created_at'),
          nextAttemptAt: sql<number>`${p('createdAt')}`.as('next_attempt_at'),
          attempts: sql<number>`0`.as('attempts'),
          lastError: sql<null>`NULL`.as('last_error'),
          sentAt: sql<null>`NULL`.as('sent_at'),
          messageId: sql<null>`NULL`.as('message_id'),
          deadAt: sql<null>`NULL`.as('dead_at'),
        })
        .from(userEmails)
        .where(and(eq(userEmails.userId, p('userId')), isNotNull(userEmails.verifiedAt))),
    )
    .prepare();
  const cancel = db
    .delete(mailOutbox)
    .where(
      and(
        isNotNull(mailOutbox.nextAttemptAt),
        eq(mailOutbox.notificationId, p('notificationId')),
        eq(mailOutbox.attempts, 0),
        lte(mailOutbox.nextAttemptAt, mailOutbox.createdAt),
      ),
    )
    .prepare();
  const due = db
    .select({
      id: mailOutbox.id,
      address: mailOutbox.address,
      message: mailOutbox.message,
      attempts: mailOutbox.attempts,
    })
    .from(mailOutbox)
    .where(and(isNotNull(mailOutbox.nextAttemptAt), lte(mailOutbox.nextAttemptAt, p('now'))))
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
    .limit(p('limit'))
    .prepare();
  const anyDue = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(isNotNull(mailOutbox.nextAttemptAt), lte(mailOutbox.nextAttemptAt, p('now'))))
    .limit(1)
    .prepare();
  const sent = db
    .update(mailOutbox)
    .set({ sentAt: sql`${p('at')}`, messageId: sql`${p('messageId')}`, nextAttemptAt: null })
    .where(eq(mailOutbox.id, p('id')))
    .prepare();
  const failed = db
    .update(mailOutbox)
    .set({
      attempts: sql`${p('attempts')}`,
      nextAttemptAt: sql`${p('nextAttemptAt')}`,
      deadAt: sql`${p('deadAt')}`,
      lastError: sql`${p('error')}`,
    })
    .where(eq(mailOutbox.id, p('id')))
    .prepare();
  return {
    enqueueIfVerified: (row) => void enqueue.run(row),
    cancelUntried: (notificationId) => void cancel.run({ notificationId }),
    anyDue: (now) => anyDue.get({ now }) !== undefined,
    due: (now, limit) => due.all({ now, limit }),
    lease(ids, until) {
      if (ids.length > 0) {
        db.update(mailOutbox)
          .set({ nextAttemptAt: until })
          .where(inArray(mailOutbox.id, [...ids]))
          .run();
      }
    },
    markSent: (id, messageId, at) => void sent.run({ id, messageId, at }),
    markFailed: (id, f) => void failed.run({ id, ...f }),
  };
}
