import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { applyMigrations, immediateTransaction, openSqlite, unsyncedTransaction } from '../src/index.js';
import * as schema from './fixtures/schema.js';

const migrationsFolder = join(import.meta.dirname, 'fixtures', 'migrations');
const run = promisify(execFile);

function tempFile(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-core-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, name);
}

describe('openSqlite', () => {
  it('sets WAL, foreign keys, busy timeout and the synchronous level', () => {
    const file = tempFile('nested/dir/a.db');
    const { sqlite, close } = openSqlite({ file, synchronous: 'NORMAL', busyTimeoutMs: 1234 });
    onTestFinished(close);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(1234);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('defaults to synchronous FULL', () => {
    const { sqlite, close } = openSqlite({ file: tempFile('b.db') });
    onTestFinished(close);
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('applies migrations once, in order, and enforces their constraints', () => {
    const file = tempFile('c.db');
    const first = openSqlite({ file, schema, migrationsFolder });
    const tables = first.sqlite
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all();
    expect(tables).toEqual([{ name: '__drizzle_migrations' }, { name: 'accounts' }, { name: 'notes' }]);
    expect(() => first.sqlite.prepare('INSERT INTO notes (account_id, text) VALUES (99, ?)').run('orphan')).toThrow(
      'FOREIGN KEY constraint failed',
    );
    first.db.insert(schema.accounts).values({ owner: 'ann', balance: 5 }).run();
    first.close();

    const second = openSqlite({ file, schema, migrationsFolder });
    onTestFinished(second.close);
    expect(applyMigrations(second.sqlite, migrationsFolder)).toBe(0);
    expect(second.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: 2 });
    expect(second.db.select().from(schema.accounts).all()).toEqual([{ id: 1, owner: 'ann', balance: 5 }]);
  });

  it('applies what a newer journal adds to a database migrated before it', () => {
    const file = tempFile('older.db');
    const older = join(tempFile('older-migrations'), 'migrations');
    cpSync(migrationsFolder, older, { recursive: true });
    const journalFile = join(older, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 1) }));
    openSqlite({ file, migrationsFolder: older }).close();

    const { sqlite, close } = openSqlite({ file });
    onTestFinished(close);
    expect(applyMigrations(sqlite, migrationsFolder)).toBe(1);
    expect(sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: 2 });
    expect(applyMigrations(sqlite, migrationsFolder)).toBe(0);
  });

  it('opens an up-to-date database while another connection holds the write lock', () => {
    const file = tempFile('locked.db');
    openSqlite({ file, migrationsFolder }).close();
    const writer = new Database(file);
    onTestFinished(() => void writer.close());
    writer.exec('BEGIN IMMEDIATE');
    onTestFinished(() => void writer.exec('ROLLBACK'));
    // Nothing to apply, so no write lock is needed: no SQLITE_BUSY even with no time to wait.
    const { sqlite, close } = openSqlite({ file, migrationsFolder, busyTimeoutMs: 0 });
    onTestFinished(close);
    expect(sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: 2 });
  });

  it('reports a missing journal as drizzle does', () => {
    const { sqlite, close } = openSqlite({ file: tempFile('nojournal.db') });
    onTestFinished(close);
    expect(() => applyMigrations(sqlite, tempFile('no-migrations'))).toThrow("Can't find meta/_journal.json file");
  });

  it('lets four processes create the same new database at once', async () => {
    const file = tempFile('race.db');
    const script = join(import.meta.dirname, 'fixtures', 'open-and-migrate.mjs');
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        run(process.execPath, [script, file, migrationsFolder], { cwd: import.meta.dirname }),
      ),
    );
    expect(results.map((r) => r.stdout)).toEqual(['2', '2', '2', '2']);
    const { sqlite, close } = openSqlite({ file });
    onTestFinished(close);
    expect(sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get()).toEqual({ n: 2 });
  });
});

describe('transactions', () => {
  it('immediateTransaction commits, returns the value, and rolls back on throw', () => {
    const { db, close } = openSqlite({ file: tempFile('t.db'), schema, migrationsFolder });
    onTestFinished(close);
    const id = immediateTransaction(
      db,
      (tx) => tx.insert(schema.accounts).values({ owner: 'bo', balance: 10 }).returning().get().id,
    );
    expect(id).toBe(1);

    expect(() =>
      immediateTransaction(db, (tx) => {
        tx.update(schema.accounts)
          .set({ balance: sql`${schema.accounts.balance} - 15` })
          .where(eq(schema.accounts.id, 1))
          .run();
      }),
    ).toThrow('CHECK constraint failed: balance_not_negative');
    expect(() =>
      immediateTransaction(db, (tx) => {
        tx.update(schema.accounts).set({ balance: 0 }).where(eq(schema.accounts.id, 1)).run();
        throw new Error('decided against it');
      }),
    ).toThrow('decided against it');
    expect(db.select().from(schema.accounts).all()).toEqual([{ id: 1, owner: 'bo', balance: 10 }]);
  });

  it('unsyncedTransaction commits at synchronous NORMAL and puts the connection back to FULL, also on throw', () => {
    const { sqlite, db, close } = openSqlite({ file: tempFile('unsynced.db'), schema, migrationsFolder });
    onTestFinished(close);
    const level = () => sqlite.pragma('synchronous', { simple: true });
    const inside = unsyncedTransaction(db, (tx) => {
      tx.insert(schema.accounts).values({ owner: 'al', balance: 3 }).run();
      return level();
    });
    expect([inside, level()]).toEqual([1, 2]);
    expect(() =>
      unsyncedTransaction(db, (tx) => {
        tx.insert(schema.accounts).values({ owner: 'bea', balance: 4 }).run();
        throw new Error('no');
      }),
    ).toThrow('no');
    expect(level()).toBe(2);
    // Inside a synced transaction it is a savepoint of it, and the outer commit syncs.
    const nested = immediateTransaction(db, () => unsyncedTransaction(db, () => level()));
    expect([nested, level()]).toEqual([2, 2]);
    expect(db.select().from(schema.accounts).all()).toEqual([{ id: 1, owner: 'al', balance: 3 }]);
  });

  it('immediateTransaction takes the write lock before the first statement', () => {
    const file = tempFile('lock.db');
    const { db, close } = openSqlite({ file, schema, migrationsFolder });
    onTestFinished(close);
    const other = new Database(file, { timeout: 0 });
    onTestFinished(() => void other.close());
    const seen = immediateTransaction(db, () => {
      try {
        other.prepare("INSERT INTO accounts (owner) VALUES ('other')").run();
        return 'no lock';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    });
    expect(seen).toBe('SQLITE_BUSY');
    expect(other.prepare('SELECT count(*) AS n FROM accounts').get()).toEqual({ n: 0 });
  });

  it('nested immediateTransaction calls are savepoints: an inner failure rolls back only the inner part', () => {
    const { db, close } = openSqlite({ file: tempFile('nested.db'), schema, migrationsFolder });
    onTestFinished(close);
    immediateTransaction(db, (tx) => {
      tx.insert(schema.accounts).values({ owner: 'outer', balance: 1 }).run();
      expect(() =>
        immediateTransaction(db, (inner) => {
          inner.insert(schema.accounts).values({ owner: 'inner', balance: 2 }).run();
          throw new Error('inner failed');
        }),
      ).toThrow('inner failed');
      immediateTransaction(
        db,
        (inner) => void inner.insert(schema.accounts).values({ owner: 'kept', balance: 3 }).run(),
      );
    });
    expect(db.select({ owner: schema.accounts.owner }).from(schema.accounts).orderBy(schema.accounts.id).all()).toEqual(
      [{ owner: 'outer' }, { owner: 'kept' }],
    );
  });

  it('refuses an async callback at compile time', () => {
    const { db, close } = openSqlite({ file: tempFile('u.db'), schema, migrationsFolder });
    onTestFinished(close);
    expect(() =>
      // @ts-expect-error an async transaction callback is the documented trap
      immediateTransaction(db, async () => {
        await Promise.resolve();
      }),
    ).toThrow('Transaction function cannot return a promise');
  });

  it('documents the trap: with drizzle directly, statements after an await escape the transaction', async () => {
    const { sqlite, close } = openSqlite({ file: tempFile('trap.db'), migrationsFolder });
    onTestFinished(close);
    const db = drizzle(sqlite, { schema });
    let resumed!: Promise<void>;
    expect(() =>
      db.transaction((tx) => {
        tx.insert(schema.accounts).values({ owner: 'before-await' }).run();
        resumed = (async () => {
          await Promise.resolve();
          tx.insert(schema.accounts).values({ owner: 'after-await' }).run();
        })();
        return resumed as unknown as void;
      }),
    ).toThrow('Transaction function cannot return a promise');
    await resumed;
    // The first insert was rolled back; the one after the await ran in autocommit and stuck.
    expect(db.select({ owner: schema.accounts.owner }).from(schema.accounts).all()).toEqual([{ owner: 'after-await' }]);
  });
});
