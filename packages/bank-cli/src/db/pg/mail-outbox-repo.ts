import type { MailOutboxStore, OutboxMail } from '../../domain/store.js';
import type { PgConnection } from './connection.js';

const DUE = 'next_attempt_at IS NOT NULL AND next_attempt_at <= $1';

export function createMailOutboxRepo(pg: PgConnection): MailOutboxStore {
  // One statement: a user without a verified address is a primary-key miss, and nothing is written. The casts
  // type parameters that only appear in the select list.
  const enqueue = pg.statement(
    `INSERT INTO mail_outbox (notification_id, address, message, created_at, next_attempt_at, attempts)
     SELECT $1::bigint, address, $2::text, $3::bigint, $3::bigint, 0
     FROM user_emails WHERE user_id = $4 AND verified_at IS NOT NULL`,
  );
  const cancel = pg.statement(
    `DELETE FROM mail_outbox
     WHERE next_attempt_at IS NOT NULL AND notification_id = $1 AND attempts = 0 AND next_attempt_at <= created_at`,
  );
  // The caller leases these rows in the same transaction. Until it commits they stay locked, and a second
  // drainer skips them rather than waiting to send the same mails.
  const due = pg.statement<OutboxMail>(
    `SELECT id, address, message, attempts FROM mail_outbox WHERE ${DUE}
     ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
  );
  const anyDue = pg.statement<{ id: number }>(`SELECT id FROM mail_outbox WHERE ${DUE} LIMIT 1`);
  const lease = pg.statement(`UPDATE mail_outbox SET next_attempt_at = $2 WHERE id = ANY($1::bigint[])`);
  const sent = pg.statement(
    `UPDATE mail_outbox SET sent_at = $2, message_id = $3, next_attempt_at = NULL WHERE id = $1`,
  );
  const failed = pg.statement(
    `UPDATE mail_outbox SET attempts = $2, next_attempt_at = $3, dead_at = $4, last_error = $5 WHERE id = $1`,
  );
  return {
    enqueueIfVerified: (row) => enqueue.run([row.notificationId, row.message, row.createdAt, row.userId]),
    cancelUntried: (notificationId) => cancel.run([notificationId]),
    anyDue: (now) => anyDue.get([now]) !== undefined,
    due: (now, limit) => due.all([now, limit]),
    lease(ids, until) {
      // libpq takes parameters as text: an int8[] literal.
      if (ids.length > 0) lease.run([`{${ids.join(',')}}`, until]);
    },
    markSent: (id, messageId, at) => sent.run([id, at, messageId]),
    markFailed: (id, f) => failed.run([id, f.attempts, f.nextAttemptAt, f.deadAt, f.error]),
  };
}
