import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { PgConnection } from './connection.js';

/**
 * drizzle's PostgreSQL migrator, run synchronously on bank's own session: the same bookkeeping table
 * (`__drizzle_migrations`, kept in the session's current schema as @quartet/core's migratePg does), one
 * transaction for all pending migrations, and an advisory lock so that processes starting together on a new
 * database do not all try to create the tables. Returns how many migrations ran.
 */
const LOCK = 'bank migrations';

export function migrate(connection: PgConnection, migrationsFolder: string): number {
  const migrations = readMigrationFiles({ migrationsFolder });
  const schema = connection.query<{ schema: string | null }>('SELECT current_schema() AS schema')[0]?.schema;
  const table = `${quoteIdentifier(schema ?? 'public')}."__drizzle_migrations"`;
  const lastApplied = (): number | undefined => {
    const exists = connection.query<{ found: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS found`, [
      `${quoteIdentifier(schema ?? 'public')}.__drizzle_migrations`,
    ])[0]?.found;
    if (!exists) return undefined;
    const row = connection.query<{ at: string | null }>(`SELECT max(created_at)::text AS at FROM ${table}`)[0];
    return row?.at == null ? undefined : Number(row.at);
  };
  const pending = (last: number | undefined) => migrations.filter((m) => last === undefined || last < m.folderMillis);
  // The common case, a database that is up to date, takes no lock.
  if (pending(lastApplied()).length === 0) return 0;
  // Taken before the transaction begins, so that its snapshot already shows what the lock's last holder did.
  connection.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK]);
  try {
    return connection.transaction(
      () => {
        connection.query(
          `CREATE TABLE IF NOT EXISTS ${table} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
        );
        const todo = pending(lastApplied());
        for (const migration of todo) {
          for (const statement of migration.sql) {
            if (statement.trim() !== '') connection.query(statement);
          }
          connection.query(`INSERT INTO ${table} (hash, created_at) VALUES ($1, $2)`, [
            migration.hash,
            migration.folderMillis,
          ]);
        }
        return todo.length;
      },
      { synced: true },
    );
  } finally {
    connection.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK]);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
