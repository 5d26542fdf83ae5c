import type { NotificationStore } from '../../domain/store.js';
import type { AlertSettings, Notification } from '../../domain/types.js';
import type { PgConnection } from './connection.js';

export function createNotificationRepo(pg: PgConnection): NotificationStore {
  // The conflict target names the partial unique index, whose WHERE it must repeat: a keyed notice is made once.
  // The NOT EXISTS comes first because a conflicting insert still takes an id from the sequence, and the due
  // notices are made again at every login: the ids would run ahead of SQLite's, which shows them to the user.
  const insert = pg.statement<{ id: number }>(
    `INSERT INTO notifications (user_id, kind, message, key, created_at)
     SELECT $1::bigint, $2::text, $3::text, $4::text, $5::bigint
     WHERE $4::text IS NULL OR NOT EXISTS (SELECT 1 FROM notifications WHERE user_id = $1 AND key = $4)
     ON CONFLICT (user_id, key) WHERE key IS NOT NULL DO NOTHING RETURNING id`,
  );
  const deleteByKey = pg.statement<{ id: number }>(
    `DELETE FROM notifications WHERE user_id = $1 AND key = $2 RETURNING id`,
  );
  const list = pg.statement<Notification>(
    `SELECT id, user_id AS "userId", kind, message, created_at AS "createdAt", read_at AS "readAt"
     FROM notifications WHERE user_id = $1 AND (NOT $2::boolean OR read_at IS NULL) ORDER BY id DESC`,
  );
  const unread = pg.statement<{ n: number }>(
    `SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`,
  );
  const owned = pg.statement<{ id: number }>(`SELECT id FROM notifications WHERE id = $1 AND user_id = $2`);
  // A notification read before keeps the time it was first read.
  const markOne = pg.statement(
    `UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS NULL`,
  );
  const markAll = pg.statement<{ n: number }>(
    `WITH marked AS (UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL RETURNING 1)
     SELECT count(*)::int AS n FROM marked`,
  );
  const alerts = pg.statement<AlertSettings>(
    `SELECT large_above AS "largeAbove", low_below AS "lowBelow" FROM alert_settings WHERE user_id = $1`,
  );
  const setAlerts = pg.statement(
    `INSERT INTO alert_settings (user_id, large_above, low_below) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET large_above = excluded.large_above, low_below = excluded.low_below`,
  );

  return {
    insert: (row) => insert.get([row.userId, row.kind, row.message, row.key, row.createdAt])?.id,
    deleteByKey: (userId, key) => deleteByKey.get([userId, key])?.id,
    list: (userId, unreadOnly) => list.all([userId, unreadOnly]),
    unreadCount: (userId) => unread.get([userId])?.n ?? 0,
    ownedIds: (userId, ids) => ids.filter((id) => owned.get([id, userId]) !== undefined),
    markRead(userId, ids, at) {
      for (const id of ids) markOne.run([id, userId, at]);
    },
    markAllRead: (userId, at) => markAll.get([userId, at])!.n,
    alerts: (userId) => alerts.get([userId]) ?? { largeAbove: null, lowBelow: null },
    setAlerts: (userId, s) => setAlerts.run([userId, s.largeAbove, s.lowBelow]),
  };
}
