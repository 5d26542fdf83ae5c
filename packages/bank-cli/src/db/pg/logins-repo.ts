import type { AdminLogStore, LoginStore } from '../../domain/store.js';
import type { AdminAction } from '../../domain/types.js';
import type { PgConnection } from './connection.js';

export function createLoginRepo(pg: PgConnection): LoginStore {
  const record = pg.statement(`INSERT INTO login_failures (username, reason, at) VALUES ($1, $2, $3)`);
  const reserve = pg.statement<{ id: number }>(
    `INSERT INTO login_failures (username, reason, at) VALUES ($1, 'pending', $2) RETURNING id`,
  );
  const settle = pg.statement(`UPDATE login_failures SET reason = $2 WHERE id = $1`);
  const forget = pg.statement(`DELETE FROM login_failures WHERE id = $1`);
  const countAfter = pg.statement<{ n: number }>(
    `SELECT count(*)::int AS n FROM login_failures WHERE username = $1 AND at > $2 AND reason <> 'locked'`,
  );
  const lockedUntil = pg.statement<{ until: number }>(
    `SELECT locked_until AS until FROM login_locks WHERE username = $1`,
  );
  const lock = pg.statement(
    `INSERT INTO login_locks (username, locked_until) VALUES ($1, $2)
     ON CONFLICT (username) DO UPDATE SET locked_until = excluded.locked_until`,
  );
  const unlock = pg.statement(`DELETE FROM login_locks WHERE username = $1 AND locked_until = $2`);

  return {
    recordFailure: (username, reason, at) => record.run([username, reason, at]),
    reserve: (username, at) => reserve.get([username, at])!.id,
    settle: (id, reason) => settle.run([id, reason]),
    forget: (id) => forget.run([id]),
    countFailuresAfter: (username, after) => countAfter.get([username, after])?.n ?? 0,
    lockedUntil: (username) => lockedUntil.get([username])?.until,
    lock: (username, until) => lock.run([username, until]),
    unlock: (username, until) => unlock.run([username, until]),
  };
}

export function createAdminLogRepo(pg: PgConnection): AdminLogStore {
  const insert = pg.statement(
    `INSERT INTO admin_actions (actor_id, action, target, detail, created_at) VALUES ($1, $2, $3, $4, $5)`,
  );
  const list = pg.statement<AdminAction>(
    `SELECT l.id, u.username AS actor, l.action, l.target, l.detail, l.created_at AS "createdAt"
     FROM admin_actions l LEFT JOIN users u ON u.id = l.actor_id ORDER BY l.id DESC LIMIT $1`,
  );

  return {
    insert: (row) => insert.run([row.actorId, row.action, row.target, row.detail, row.createdAt]),
    list: (limit) => list.all([limit]),
  };
}
