import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { NotificationStore } from '../../domain/store.js';
import { alertSettings, notifications } from './schema.js';

export function createNotificationRepo(db: BetterSQLite3Database): NotificationStore {
  const p = sql.placeholder;
  const insert = db
    .insert(notifications)
    .values({ userId: p('userId'), kind: p('kind'), message: p('message'), key: p('key'), createdAt: p('createdAt') })
    .onConflictDoNothing()
    .prepare();
  const deleteByKey = db
    .delete(notifications)
    .where(and(eq(notifications.userId, p('userId')), eq(notifications.key, p('key'))))
    .returning({ id: notifications.id })
    .prepare();
  const columns = {
    id: notifications.id,
    userId: notifications.userId,
    kind: notifications.kind,
    message: notifications.message,
    createdAt: notifications.createdAt,
    readAt: notifications.readAt,
  };
  const list = db
    .select(columns)
    .from(notifications)
    .where(and(eq(notifications.userId, p('userId')), sql`(${p('unreadOnly')} = 0 OR ${notifications.readAt} IS NULL)`))
    .orderBy(desc(notifications.id))
    .prepare();
  const unread = db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, p('userId')), isNull(notifications.readAt)))
    .prepare();
  const owned = db
    .select({ id: notifications.id })
    .from(notifications)
    .where(and(eq(notifications.id, p('id')), eq(notifications.userId, p('userId'))))
    .prepare();
  // A notification read before keeps the time it was first read.
  const markOne = db
    .update(notifications)
    .set({ readAt: sql`${p('at')}` })
    .where(and(eq(notifications.id, p('id')), eq(notifications.userId, p('userId')), isNull(notifications.readAt)))
    .prepare();
  const markAll = db
    .update(notifications)
    .set({ readAt: sql`${p('at')}` })
    .where(and(eq(notifications.userId, p('userId')), isNull(notifications.readAt)))
    .prepare();
  const alerts = db
    .select({ largeAbove: alertSettings.largeAbove, lowBelow: alertSettings.lowBelow })
    .from(alertSettings)
    .where(eq(alertSettings.userId, p('userId')))
    .prepare();
  const setAlerts = db
    .insert(alertSettings)
    .values({ userId: p('userId'), largeAbove: p('largeAbove'), lowBelow: p('lowBelow') })
    .onConflictDoUpdate({
      target: alertSettings.userId,
      set: { largeAbove: sql`excluded.large_above`, lowBelow: sql`excluded.low_below` },
    })
    .prepare();

  return {
    insert(row) {
      const { changes, lastInsertRowid } = insert.run(row);
      return changes === 1 ? Number(lastInsertRowid) : undefined;
    },
    deleteByKey: (userId, key) => deleteByKey.get({ userId, key })?.id,
    list: (userId, unreadOnly) => list.all({ userId, unreadOnly: unreadOnly ? 1 : 0 }),
    unreadCount: (userId) => unread.get({ userId })?.n ?? 0,
    ownedIds: (userId, ids) => ids.filter((id) => owned.get({ id, userId }) !== undefined),
    markRead(userId, ids, at) {
      for (const id of ids) markOne.run({ id, userId, at });
    },
    markAllRead: (userId, at) => markAll.run({ userId, at }).changes,
    alerts: (userId) => alerts.get({ userId }) ?? { largeAbove: null, lowBelow: null },
    setAlerts: (userId, s) => void setAlerts.run({ userId, largeAbove: s.largeAbove, lowBelow: s.lowBelow }),
  };
}
