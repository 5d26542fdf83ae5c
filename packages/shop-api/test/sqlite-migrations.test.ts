import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openSqlite } from '@quartet/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { migrationsFolder, openSqliteStore } from '../src/db/sqlite/store.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'shop-migrations-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of the migrations folder whose journal stops after the first `count` migrations. */
function migrationsUpTo(count: number): string {
  const folder = join(tempDir(), 'migrations');
  cpSync(migrationsFolder, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

describe('SQLite migration 0003 (cart line positions)', () => {
  it('keeps the order existing cart lines were added in', async () => {
    const file = join(tempDir(), 'shop.db');
    const { sqlite, close } = openSqlite({ file });
    expect(applyMigrations(sqlite, migrationsUpTo(3))).toBe(3);
    const at = '2026-01-01T00:00:00.000Z';
    sqlite.prepare(`INSERT INTO users VALUES ('u1', 'a@example.com', 'A', 'hash', 'customer', 1, ?, ?)`).run(at, at);
    for (const id of ['p-c', 'p-a', 'p-b']) {
      sqlite
        .prepare(`INSERT INTO products VALUES (?, ?, ?, '', 100, 'USD', 5, 'misc', 1, ?, ?)`)
        .run(id, `SKU-${id}`, `Name ${id}`, at, at);
      sqlite.prepare(`INSERT INTO cart_items VALUES ('u1', ?, 1, ?)`).run(id, at);
    }
    close();

    const store = openSqliteStore({ file });
    onTestFinished(() => store.close());
    expect((await store.carts.lines('u1')).map((line) => line.productId)).toEqual(['p-c', 'p-a', 'p-b']);
    await store.carts.add('u1', 'p-a', 1, at);
    expect((await store.carts.lines('u1')).map((line) => [line.productId, line.quantity])).toEqual([
      ['p-c', 1],
      ['p-a', 2],
      ['p-b', 1],
    ]);
  });
});
