import { count, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { UserStore } from '../../domain/store.js';
import { users } from './schema.js';

export function createUserRepo(db: BetterSQLite3Database): UserStore {
  const p = sql.placeholder;
  const byUsername = db
    .select()
    .from(users)
    .where(eq(users.username, p('username')))
    .prepare();
  const byId = db
    .select()
    .from(users)
    .where(eq(users.id, p('id')))
    .prepare();
  const insert = db
    .insert(users)
    .values({ username: p('username'), passwordHash: p('passwordHash'), role: p('role'), createdAt: p('createdAt') })
    .returning()
    .prepare();
  const list = db.select().from(users).orderBy(users.username).prepare();
  const countAdmins = db.select({ n: count() }).from(users).where(eq(users.role, 'admin')).prepare();
  const setActive = db
    .update(users)
    .set({ active: sql`${p('active')}` })
    .where(eq(users.id, p('id')))
    .prepare();
  const setRole = db
    .update(users)
    .set({ role: sql`${p('role')}` })
    .where(eq(users.id, p('id')))
    .prepare();
  const setHash = db
    .update(users)
    .set({ passwordHash: sql`${p('hash')}` })
    .where(eq(users.id, p('id')))
    .prepare();
  const setLastLogin = db
    .update(users)
    .set({ lastLoginAt: sql`${p('at')}` })
    .where(eq(users.id, p('id')))
    .prepare();

  return {
    byUsername: (username) => byUsername.get({ username }),
    byId: (id) => byId.get({ id }),
    insert: (user) => insert.get(user),
    list: () => list.all(),
    countAdmins: () => countAdmins.get()?.n ?? 0,
    setActive: (id, active) => void setActive.run({ id, active: active ? 1 : 0 }),
    setRole: (id, role) => void setRole.run({ id, role }),
    setPasswordHash: (id, hash) => void setHash.run({ id, hash }),
    setLastLogin: (id, at) => void setLastLogin.run({ id, at }),
  };
}
