import { ConflictError } from '@quartet/core';
import { and, count, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { UserRepository } from '../store.js';
import { offsetOf } from '../rows.js';
import { isUniqueViolation } from '@quartet/core/pg';
import { readPage, transaction, type Db } from './connection.js';
import { users } from './schema.js';
import { USER_CHANNEL, type UserCache } from './user-cache.js';

const { passwordHash: _hash, tokenVersion: _version, ...publicColumns } = getTableColumns(users);
const sessionColumns = { ...publicColumns, tokenVersion: users.tokenVersion };

export function createUserRepository(db: Db, cache: UserCache): UserRepository {
  const byId = async (id: string) => (await db.select(publicColumns).from(users).where(eq(users.id, id)))[0];

  return {
    async create(user) {
      try {
        await db.insert(users).values(user);
      } catch (error) {
        if (isUniqueViolation(error, 'users_email_unique'))
          throw new ConflictError('email is already registered', 'EMAIL_TAKEN');
        throw error;
      }
      const { passwordHash: _, tokenVersion: _v, ...rest } = user;
      return rest;
    },
    findById: byId,
    async findByEmail(email) {
      return (await db.select().from(users).where(eq(users.email, email)))[0];
    },
    async session(id) {
      const kept = cache.get(id);
      if (kept) return kept;
      const stamp = cache.stamp();
      const [user] = await db.select(sessionColumns).from(users).where(eq(users.id, id));
      if (user) cache.keep(user, stamp);
      return user;
    },
    async list(filter) {
      const conditions: SQL[] = [];
      if (filter.role !== undefined) conditions.push(eq(users.role, filter.role));
      if (filter.active !== undefined) conditions.push(eq(users.active, filter.active));
      const where = and(...conditions);
      return readPage(
        db
          .select(publicColumns)
          .from(users)
          .where(where)
          .orderBy(desc(users.createdAt), desc(users.id))
          .limit(filter.limit)
          .offset(offsetOf(filter)),
        db.select({ n: count() }).from(users).where(where),
        filter,
      );
    },
    async update(id, { endAccessTokens, ...patch }, now) {
      const version = endAccessTokens ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {};
      const user = await transaction(db, async (tx) => {
        const [updated] = await tx
          .update(users)
          .set({ ...patch, ...version, updatedAt: now })
          .where(eq(users.id, id))
          .returning(publicColumns);
        // Delivered when the transaction commits: every instance drops its copy of this user.
        if (updated) await tx.execute(sql`SELECT pg_notify(${USER_CHANNEL}, ${id})`);
        return updated;
      });
      cache.forget(id);
      return user;
    },
  };
}
