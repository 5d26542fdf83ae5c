import { randomBytes } from 'node:crypto';
import { serviceUrl } from '@quartet/core';
import type { TestProject } from 'vitest/node';
import { PgConnection } from '../src/db/pg/connection.js';
import { migrate } from '../src/db/pg/migrate.js';
import { PG_MIGRATIONS_FOLDER } from '../src/db/pg/store.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every database this run creates starts with it, so that the teardown drops exactly those. */
    bankDatabasePrefix: string;
    /** A migrated, empty database each test's database is copied from. */
    bankTemplate: string;
  }
}

/** Once per run: a migrated template (CREATE DATABASE … TEMPLATE copies it in ~50 ms), dropped at the end with the rest. */
export default function setup(project: TestProject): () => void {
  const prefix = `bank_t_${randomBytes(4).toString('hex')}`;
  const template = `${prefix}_template`;
  const admin = PgConnection.open(serviceUrl('postgres'), 'bank tests');
  admin.query(`CREATE DATABASE ${template}`);
  const url = new URL(serviceUrl('postgres'));
  url.pathname = `/${template}`;
  const connection = PgConnection.open(url.href, 'bank tests');
  try {
    migrate(connection, PG_MIGRATIONS_FOLDER);
  } finally {
    connection.close();
  }
  project.provide('bankDatabasePrefix', prefix);
  project.provide('bankTemplate', template);
  return () => {
    const names = admin.query<{ name: string }>(`SELECT datname AS name FROM pg_database WHERE datname LIKE $1`, [
      `${prefix}%`,
    ]);
    // Killed test processes may still hold a session.
    for (const { name } of names) admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    admin.close();
  };
}
