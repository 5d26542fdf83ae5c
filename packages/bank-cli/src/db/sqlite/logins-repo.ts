import { and, count, eq, gt, ne, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { AdminLogStore, LoginStore } from '../../domain/store.js';
import { adminActions, loginFailures, loginLocks, users } from './schema.js';

export function createLoginRepo(db: BetterSQLite3Database): LoginStore {
  const p = sql.placeholder;
  const record = db
    .insert(loginFailures)
    .values({ username: p('username'), reason: p('reason'), at: p('at') })
    .prepare();
  const reserve = db
    .insert(loginFailures)
    .values({ username: p('username'), reason: 'pending', at: p('at') })
    .prepare();
  const settle = db
    .update(loginFailures)
    .set({ reason: sql`${p('reason')}` })
    .where(eq(loginFailures.id, p('id')))
    .prepare();
  const forget = db
    .delete(loginFailures)
    .where(eq(loginFailures.id, p('id')))
    .prepare();
  const countAfter = db
    .select({ n: count() })
    .from(loginFailures)
    .where(
      and(
        eq(loginFailures.username, p('username')),
        gt(loginFailures.at, p('after')),
        ne(loginFailures.reason, 'locked'),
      ),
    )
    .prepare();
  const lockedUntil = db
    .select({ until: loginLocks.lockedUntil })
    .from(loginLocks)
    .where(eq(loginLocks.username, p('username')))
    .prepare();
  const lock = db
    .insert(loginLocks)
    .values({ username: p('username'), lockedUntil: p('until') })
    .onConflictDoUpdate({ target: loginLocks.username, set: { lockedUntil: sql`excluded.locked_until` } })
    .prepare();
  const unlock = db
    .delete(loginLocks)
    .where(and(eq(loginLocks.username, p('username')), eq(loginLocks.lockedUntil, p('until'))))
    .prepare();

  return {
    recordFailure: (username, reason, at) => void record.run({ username, reason, at }),
    reserve: (username, at) => Number(reserve.run({ username, at }).lastInsertRowid),
    settle: (id, reason) => void settle.run({ id, reason }),
    forget: (id) => void forget.run({ id }),
    countFailuresAfter: (username, after) => countAfter.get({ username, after })?.n ?? 0,
    lockedUntil: (username) => lockedUntil.get({ username })?.until,
    lock: (username, until) => void lock.run({ username, until }),
    unlock: (username, until) => void unlock.run({ username, until }),
  };
}

export function createAdminLogRepo(db: BetterSQLite3Database): AdminLogStore {
  const p = sql.placeholder;
  const insert = db
    .insert(adminActions)
    .values({
      actorId: p('actorId'),
      action: p('action'),
      target: p('target'),
      detail: p('detail'),
      createdAt: p('createdAt'),
    })
    .prepare();
  const list = db
    .select({
      id: adminActions.id,
      actor: users.username,
      action: adminActions.action,
      target: adminActions.target,
      detail: adminActions.detail,
      createdAt: adminActions.createdAt,
    })
    .from(adminActions)
    .leftJoin(users, eq(users.id, adminActions.actorId))
    .orderBy(sql`${adminActions.id} desc`)
    .limit(p('limit'))
    .prepare();

  return {
    insert: (row) => void insert.run(row),
    list: (limit) => list.all({ limit }),
  };
}
