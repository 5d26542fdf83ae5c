/* eslint-disable @typescript-eslint/require-await -- the Store interface is async for drivers that are; better-sqlite3 answers synchronously. */
import { ConflictError } from '@quartet/core';
import { and, count, desc, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { UserRepository } from '../store.js';
import { users } from './schema.js';
import { isUniqueViolation, readPage, statementCache, type Db } from './connection.js';

const { passwordHash: _hash, tokenVersion: _version, ...publicColumns } = getTableColumns(users);
const sessionColumns = { ...publicColumns, tokenVersion: users.tokenVersion };

export function createUserRepository(db: Db): UserRepository {
  const byId = db
    .select(publicColumns)
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();
  // No cache on SQLite: a primary-key lookup in this process costs a few microseconds, about what checking
  // whether another process wrote since would, and it is always current.
  const session = db
    .select(sessionColumns)
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
      const { passwordHash: _, tokenVersion: _v, ...rest } = user;
      return rest;
    },
    async findById(id) {
      return byId.get({ id });
    },
    async findByEmail(email) {
      return byEmail.get({ email });
    },
    async session(id) {
      return session.get({ id });
    },
    async list(filter) {
      const q = shapes(`${filter.role !== undefined}:${filter.active !== undefined}`, () =>
        prepareList(filter.role !== undefined, filter.active !== undefined),
      );
      const params = { role: filter.role, active: filter.active === undefined ? undefined : Number(filter.active) };
      return readPage(q, params, filter);
    },
    async update(id, { endAccessTokens, ...patch }, now) {
      const version = endAccessTokens ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {};
      db.update(users)
        .set({ ...patch, ...version, updatedAt: now })
        .where(eq(users.id, id))
        .run();
      return byId.get({ id });
    },
  };
}
