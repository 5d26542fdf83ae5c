import type { UserStore } from '../../domain/store.js';
import type { User } from '../../domain/types.js';
import type { PgConnection } from './connection.js';

const USER = `id, username, password_hash AS "passwordHash", role, active, created_at AS "createdAt",
  last_login_at AS "lastLoginAt", totp_secret AS "totpSecret", totp_last_step AS "totpLastStep"`;

// A name already taken needs no constraint mapping: createUser reads byUsername first in the same SERIALIZABLE
// transaction, so a concurrent registration of the name aborts one of the two (40001), whose retry finds it.
export function createUserRepo(pg: PgConnection): UserStore {
  const byUsername = pg.statement<User>(`SELECT ${USER} FROM users WHERE username = $1`);
  const byId = pg.statement<User>(`SELECT ${USER} FROM users WHERE id = $1`);
  const insert = pg.statement<User>(
    `INSERT INTO users (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4) RETURNING ${USER}`,
  );
  // "C": byte order, as SQLite's BINARY collation sorts, whatever the database's locale.
  const list = pg.statement<User>(`SELECT ${USER} FROM users ORDER BY username COLLATE "C"`);
  const countAdmins = pg.statement<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = 'admin'`);
  const setActive = pg.statement(`UPDATE users SET active = $2 WHERE id = $1`);
  const setRole = pg.statement(`UPDATE users SET role = $2 WHERE id = $1`);
  const setHash = pg.statement(`UPDATE users SET password_hash = $2 WHERE id = $1`);
  const setLastLogin = pg.statement(`UPDATE users SET last_login_at = $2 WHERE id = $1`);

  return {
    byUsername: (username) => byUsername.get([username]),
    byId: (id) => byId.get([id]),
    insert: (user) => insert.get([user.username, user.passwordHash, user.role, user.createdAt])!,
    list: () => list.all(),
    countAdmins: () => countAdmins.get()?.n ?? 0,
    setActive: (id, active) => setActive.run([id, active]),
    setRole: (id, role) => setRole.run([id, role]),
    setPasswordHash: (id, hash) => setHash.run([id, hash]),
    setLastLogin: (id, at) => setLastLogin.run([id, at]),
  };
}
