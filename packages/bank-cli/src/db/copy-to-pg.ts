import { ConflictError, isQuartetError } from '@quartet/core/errors';
import { openSqlite } from '@quartet/core/sqlite';
import { getTableColumns, getTableName, is, type Column } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { PgConnection } from './pg/connection.js';
import { migrate } from './pg/migrate.js';
import { PG_MIGRATIONS_FOLDER } from './pg/store.js';
import * as sqliteSchema from './sqlite/schema.js';
import { MIGRATIONS_FOLDER } from './sqlite/store.js';

/** Rows per INSERT: 500 postings are 2,500 parameters, far below PostgreSQL's 65,535. */
const BATCH = 500;

export interface CopiedTable {
  table: string;
  /** Rows read from the SQLite file. */
  sqlite: number;
  /** Rows in the PostgreSQL table once the copy committed. */
  postgres: number;
}

/**
 * Copies every table of a SQLite bank into the PostgreSQL database at `url`, keeping every id, in one
 * transaction that also creates the schema: a failure anywhere leaves the target exactly as it was.
 *
 * The target must hold no bank yet. What `openPgStore` writes on first use (the currency in `meta` and the
 * system accounts, no money) is allowed and replaced by the SQLite bank's own: the copy keeps SQLite's account
 * ids, which every posting refers to, and the bank's currency is the one its ledger is in.
 */
export function copySqliteToPg(file: string, url: string): CopiedTable[] {
  const tables = tablesInForeignKeyOrder();
  const source = openSqlite({ file, migrationsFolder: MIGRATIONS_FOLDER });
  try {
    const pg = PgConnection.open(url, 'bank migrate-to-postgres');
    let current = '';
    try {
      // A read transaction: one snapshot of the file, even while another process writes to it.
      return source.sqlite.transaction(() =>
        pg.transaction(
          () => {
            // DDL is transactional in PostgreSQL: a failed copy does not leave an empty schema behind either.
            migrate(pg, PG_MIGRATIONS_FOLDER);
            refuseUnlessEmpty(pg, tables, url);
            pg.query('DELETE FROM accounts');
            pg.query('DELETE FROM meta');
            const copied = tables.map((table) => {
              current = getTableName(table);
              return { table: current, sqlite: copyTable(source.sqlite, pg, table), postgres: 0 };
            });
            current = '';
            for (const table of tables) restartIdentity(pg, table);
            for (const row of copied) row.postgres = countRows(pg, row.table);
            return copied;
          },
          { synced: true },
        ),
      )();
    } catch (error) {
      if (isQuartetError(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const where = current === '' ? '' : ` (table ${current})`;
      throw new ConflictError(
        `copying into ${databaseName(url)} failed${where}: ${message}; nothing was written`,
        'MIGRATION_FAILED',
      );
    } finally {
      pg.close();
    }
  } finally {
    source.close();
  }
}

/** The target as the user may see it: never its password, not even one given as a query parameter. */
export function databaseName(url: string): string {
  const parsed = new URL(url);
  const user = parsed.username === '' ? '' : `${parsed.username}@`;
  return `${parsed.protocol}//${user}${parsed.host}${parsed.pathname}`;
}

/** Every table of the SQLite schema, each after the tables its foreign keys refer to. */
function tablesInForeignKeyOrder(): SQLiteTable[] {
  const ordered: SQLiteTable[] = [];
  const visit = (table: SQLiteTable): void => {
    if (ordered.includes(table)) return;
    for (const key of getTableConfig(table).foreignKeys) {
      const parent = key.reference().foreignTable;
      if (parent !== table) visit(parent);
    }
    ordered.push(table);
  };
  for (const value of Object.values(sqliteSchema)) if (is(value, SQLiteTable)) visit(value);
  return ordered;
}

/** The bootstrap's meta rows and system accounts are allowed; anything else means a bank lives there. */
function refuseUnlessEmpty(pg: PgConnection, tables: readonly SQLiteTable[], url: string): void {
  const occupied = tables
    .map((table) => getTableName(table))
    .filter((name) => name !== 'meta')
    .filter((name) => {
      const where = name === 'accounts' ? ' WHERE system_code IS NULL OR balance <> 0' : '';
      return pg.query<{ found: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quote(name)}${where}) AS found`)[0]!.found;
    });
  if (occupied.length > 0) {
    throw new ConflictError(
      `${databaseName(url)} is not empty (${occupied.join(', ')} hold rows); migrate-to-postgres copies into an empty database only`,
      'TARGET_NOT_EMPTY',
    );
  }
}

/** Streams one table in rowid order into multi-row INSERTs; returns how many rows it read. */
function copyTable(sqlite: ReturnType<typeof openSqlite>['sqlite'], pg: PgConnection, table: SQLiteTable): number {
  const columns: Column[] = Object.values(getTableColumns(table));
  const names = columns.map((column) => quote(column.name)).join(', ');
  const insertText = (rows: number) => {
    const tuples = Array.from(
      { length: rows },
      (_, row) => `(${columns.map((_, i) => `$${row * columns.length + i + 1}`).join(', ')})`,
    );
    return `INSERT INTO ${quote(getTableName(table))} (${names}) VALUES ${tuples.join(', ')}`;
  };
  const fullBatch = pg.statement(insertText(BATCH));
  const read = sqlite.prepare(`SELECT ${names} FROM ${quote(getTableName(table))} ORDER BY rowid`).raw(true);
  let params: unknown[] = [];
  let total = 0;
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    // drizzle's own mapping: SQLite's 0/1 become the booleans PostgreSQL's boolean columns take.
    columns.forEach((column, i) => params.push(row[i] === null ? null : column.mapFromDriverValue(row[i])));
    total += 1;
    if (total % BATCH === 0) {
      fullBatch.run(params);
      params = [];
    }
  }
  const rest = total % BATCH;
  if (rest > 0) pg.query(insertText(rest), params);
  return total;
}

/** Ids were copied explicitly, so each identity restarts after the largest one, as SQLite's would. */
function restartIdentity(pg: PgConnection, table: SQLiteTable): void {
  if (!Object.values(getTableColumns(table)).some((column) => column.name === 'id')) return;
  const name = quote(getTableName(table));
  pg.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 0) + 1, false) FROM ${name}`, [name]);
}

function countRows(pg: PgConnection, table: string): number {
  return pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${quote(table)}`)[0]!.n;
}

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}
