import { readdirSync, readFileSync } from 'node:fs';
import { getTableName, is, type Column, type Table } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { schema as pgSchema } from '../src/db/pg/schema.js';
import { migrationsFolder as pgMigrations } from '../src/db/pg/store.js';
import { schema as sqliteSchema } from '../src/db/sqlite/schema.js';

/** Indexes one dialect has for its own full-text search (SQLite's is a virtual table in a migration). */
const DIALECT_ONLY_INDEXES = new Set(['products_search_idx']);

const names = (columns: readonly unknown[]) => columns.map((c) => (c as Column).name);

/** Everything the two schemas must agree on, as plain data, by table name. */
function describeTable(table: Table) {
  const config = is(table, PgTable) ? pgConfig(table) : sqliteConfig(table as SQLiteTable);
  const indexes = config.indexes
    .map((index) => index.config)
    .filter((index) => !DIALECT_ONLY_INDEXES.has(index.name ?? ''));
  return {
    columns: (config.columns as Column[]).map((column) => ({
      name: column.name,
      // 'number', 'string' or 'boolean': how the value reads back (bigint money is a number in both).
      type: column.dataType,
      notNull: column.notNull,
      primary: column.primary,
      default: column.default ?? null,
      enum: column.enumValues ?? null,
    })),
    primaryKey: config.primaryKeys.map((pk) => names(pk.columns)),
    uniques: indexes
      .filter((index) => index.unique)
      .map((index) => ({ name: index.name, columns: names(index.columns) })),
    indexes: indexes
      .filter((index) => !index.unique)
      .map((index) => ({ name: index.name, columns: names(index.columns) })),
    foreignKeys: config.foreignKeys.map((fk) => {
      const ref = fk.reference();
      return {
        columns: names(ref.columns),
        table: getTableName(ref.foreignTable),
        references: names(ref.foreignColumns),
      };
    }),
    checks: config.checks.map((check) => check.name).sort(),
  };
}

const describeSchema = (tables: Record<string, Table>) =>
  Object.fromEntries(Object.values(tables).map((table) => [getTableName(table), describeTable(table)]));

describe('the SQLite and PostgreSQL schemas', () => {
  const sqlite = describeSchema(sqliteSchema);
  const pg = describeSchema(pgSchema);

  it('have the same tables', () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    expect(Object.keys(sqlite)).toHaveLength(14);
  });

  it.each(Object.keys(sqlite))(
    'agree on %s: columns, nullability, keys, uniques, indexes, foreign keys, checks',
    (name) => {
      expect(pg[name]).toEqual(sqlite[name]);
    },
  );

  it('keep (user, key) unique for idempotency keys, so that instances agree on one order per key', () => {
    expect(sqlite['idempotency_keys']?.primaryKey).toEqual([['user_id', 'key']]);
  });

  it('are migrated by schema-neutral PostgreSQL migrations (no "public". from drizzle-kit left in them)', () => {
    const files = readdirSync(pgMigrations).filter((file) => file.endsWith('.sql'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) expect(readFileSync(`${pgMigrations}/${file}`, 'utf8')).not.toContain('"public".');
  });
});
