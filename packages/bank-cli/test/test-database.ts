import { serviceUrl } from '@quartet/core';
import { inject } from 'vitest';
import { PgConnection } from '../src/db/pg/connection.js';

/** True in the `bank-pg` project (vitest.pg.config.ts): the same tests, on PostgreSQL. */
export const onPostgres = process.env['BANK_TEST_DATABASE'] === 'postgres';

const databases = new Map<string, string>();
let admin: PgConnection | undefined;
let created = 0;

/**
 * The PostgreSQL database that stands for the SQLite `file` a test names: made the first time the file is named
 * (a copy of the run's migrated template), the same one afterwards, so that a test that opens "the same file" from
 * two processes shares one database.
 */
export function databaseFor(file: string): string {
  const known = databases.get(file);
  if (known !== undefined) return known;
  const name = `${inject('bankDatabasePrefix')}_${process.pid}_${++created}`;
  admin ??= PgConnection.open(serviceUrl('postgres'), 'bank tests');
  admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('bankTemplate')}`);
  const url = new URL(serviceUrl('postgres'));
  url.pathname = `/${name}`;
  databases.set(file, url.href);
  return url.href;
}

/** A bank child's environment: in the PostgreSQL run, BANK_DB's file becomes its database (the URL wins over it). */
export function withDatabase<T extends Record<string, string | undefined>>(env: T): T {
  const file = env['BANK_DB'];
  if (!onPostgres || file === undefined) return env;
  return { ...env, BANK_DATABASE_URL: databaseFor(file) };
}

/** Config flags for `resolveConfig`: the file, and in the PostgreSQL run its database. */
export function storageFlags(file: string): { db: string; databaseUrl?: string } {
  return onPostgres ? { db: file, databaseUrl: databaseFor(file) } : { db: file };
}
