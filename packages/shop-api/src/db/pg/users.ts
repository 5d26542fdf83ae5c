import { ConflictError } from '@quartet/core';
import { and, count, desc, eq, getTableColumns, type SQL } from 'drizzle-orm';
import type { UserRepository } from '../store.js';
import { offsetOf } from '../rows.js';
import { isUniqueViolation, readPage, type Db } from './connection.js';
import { users } from './schema.js';

const { passwordHash: _hash, ...publicColumns } = getTableColumns(users);

export function createUserRepository(db: Db): UserRepository {
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
      const { passwordHash: _, ...rest } = user;
      return rest;
    },
    findById: byId,
    async findByEmail(email) {
      return (await db.select().from(users).where(eq(users.email, email)))[0];
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
    async update(id, patch, now) {
      await db
        .update(users)
        .set({ ...patch, updatedAt: now })
        .where(eq(users.id, id));
      return byId(id);
    },
  };
}
