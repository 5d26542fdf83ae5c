import { readdirSync, readFileSync } from 'node:fs';
import { getTableName, is, Table, type Column } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, type SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { packageFile } from '../src/package-files.js';
import * as pgSchema from '../src/db/pg/schema.js';
import * as sqliteSchema from '../src/db/sqlite/schema.js';

const names = (columns: readonly unknown[]) => columns.map((c) => (c as Column).name);

/** Everything the two schemas must agree on, as plain data. */
function describeTable(table: Table) {
  const config = is(table, PgTable) ? pgConfig(table) : sqliteConfig(table as SQLiteTable);
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
    indexes: config.indexes
      .map(({ config: index }) => ({
        name: index.name,
        unique: index.unique,
        columns: names(index.columns),
        partial: index.where !== undefined,
      }))
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
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

/** The schema module's tables (it exports nothing else today, but a helper export must not count as a table). */
const describeSchema = (module: Record<string, unknown>) =>
  Object.fromEntries(
    Object.values(module)
      .filter((value): value is Table => is(value, Table))
      .map((table) => [getTableName(table), describeTable(table)]),
  );

const migrationsSql = (dialect: 'sqlite' | 'pg') => {
  const folder = packageFile(`migrations/${dialect}`);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => ({ file, sql: readFileSync(`${folder}/${file}`, 'utf8') }));
};

describe('the SQLite and PostgreSQL schemas', () => {
  const sqlite = describeSchema(sqliteSchema);
  const pg = describeSchema(pgSchema);

  it('have the same tables', () => {
    expect(Object.keys(pg).sort()).toEqual(Object.keys(sqlite).sort());
    expect(Object.keys(sqlite)).toHaveLength(20);
  });

  it.each(Object.keys(sqlite))('agree on %s: columns, nullability, defaults, indexes, foreign keys, checks', (name) => {
    expect(pg[name]).toEqual(sqlite[name]);
  });

  it('are migrated by schema-neutral PostgreSQL migrations (no "public". from drizzle-kit left in them)', () => {
    const files = migrationsSql('pg');
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const { file, sql } of files) expect(sql, file).not.toContain('"public".');
  });

  it('keep append-only on PostgreSQL every table SQLite keeps append-only, TRUNCATE included', () => {
    const appendOnly = new Set(
      migrationsSql('sqlite').flatMap(({ sql }) => [...sql.matchAll(/BEFORE UPDATE ON `(\w+)`/g)].map((m) => m[1])),
    );
    expect([...appendOnly].sort()).toEqual(['postings', 'transactions']);
    const pgSql = migrationsSql('pg')
      .map(({ sql }) => sql)
      .join('\n');
    for (const table of appendOnly) {
      expect(pgSql).toContain(`BEFORE UPDATE OR DELETE ON ${table}\nFOR EACH ROW`);
      expect(pgSql).toContain(`BEFORE TRUNCATE ON ${table}\nFOR EACH STATEMENT`);
    }
  });
});
