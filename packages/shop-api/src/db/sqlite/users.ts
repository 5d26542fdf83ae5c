/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { ConflictError } from '@quartet/core';
import { and, count, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { UserRepository } from '../store.js';
import { users } from './schema.js';
import { isUniqueViolation, readPage, statementCache, type Db } from './connection.js';

const { passwordHash: _hash, ...publicColumns } = getTableColumns(users);

export function createUserRepository(db: Db): UserRepository {
  const byId = db
    .select(publicColumns)
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();
  const byEmail = db
    .select()
    .from(users)
    .where(eq(users.email, sql.placeholder('email')))
    .prepare();
  const shapes = statementCache<ReturnType<typeof prepareList>>();

  function prepareList(role: boolean, active: boolean) {
    const conditions: SQL[] = [];
    if (role) conditions.push(sql`${users.role} = ${sql.placeholder('role')}`);
    if (active) conditions.push(sql`${users.active} = ${sql.placeholder('active')}`);
    const where = conditions.length > 0 ? and(...conditions) : undefined;
    return {
      rows: db
        .select(publicColumns)
        .from(users)
        .where(where)
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(sql.placeholder('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(),
      total: db.select({ n: count() }).from(users).where(where).prepare(),
    };
  }

  return {
    async create(user) {
      try {
        db.insert(users).values(user).run();
      } catch (error) {
        if (isUniqueViolation(error, 'users.email'))
          throw new ConflictError('email is already registered', 'EMAIL_TAKEN');
        throw error;
      }
      const { passwordHash: _, ...rest } = user;
      return rest;
    },
    async findById(id) {
      return byId.get({ id });
    },
    async findByEmail(email) {
      return byEmail.get({ email });
    },
    async list(filter) {
      const q = shapes(`${filter.role !== undefined}:${filter.active !== undefined}`, () =>
        prepareList(filter.role !== undefined, filter.active !== undefined),
      );
      const params = { role: filter.role, active: filter.active === undefined ? undefined : Number(filter.active) };
      return readPage(q, params, filter);
    },
    async update(id, patch, now) {
      db.update(users)
        .set({ ...patch, updatedAt: now })
        .where(eq(users.id, id))
        .run();
      return byId.get({ id });
    },
  };
}
