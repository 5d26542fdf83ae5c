import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqlite } from '@quartet/core';
import Database from 'better-sqlite3';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createReadCache } from '../src/db/sqlite/read-cache.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shop-read-cache-'));
  const file = join(dir, 'cache.db');
  const main = openSqlite({ file });
  main.sqlite.exec("CREATE TABLE t (v TEXT NOT NULL); INSERT INTO t VALUES ('a')");
  const other = openSqlite({ file });
  onTestFinished(() => {
    main.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cache = createReadCache(main.sqlite, { maxEntries: 3, maxBytes: 10 });
  const select = main.sqlite.prepare<[], string>('SELECT v FROM t ORDER BY v').pluck();
  let reads = 0;
  const read = () => cache.read('all', () => (reads++, { values: select.all() }));
  return { file, main, other, cache, read, reads: () => reads };
}

describe('catalog read cache (SQLite)', () => {
  it('reuses a result until this connection writes anything', () => {
    const { main, read, reads } = setup();
    expect(read().values).toEqual(['a']);
    expect(read().values).toEqual(['a']);
    expect(reads()).toBe(1);
    main.sqlite.exec("INSERT INTO t VALUES ('b')");
    expect(read().values).toEqual(['a', 'b']);
    expect(reads()).toBe(2);
  });

  it('sees a commit by another connection at once', () => {
    const { other, read, reads } = setup();
    expect(read().values).toEqual(['a']);
    other.sqlite.exec("UPDATE t SET v = 'z'");
    expect(read().values).toEqual(['z']);
    expect(reads()).toBe(2);
  });

  it('does not cache inside a transaction, which may yet roll back', () => {
    const { main, read, reads } = setup();
    main.sqlite.exec('BEGIN');
    main.sqlite.exec("INSERT INTO t VALUES ('b')");
    expect(read().values).toEqual(['a', 'b']);
    main.sqlite.exec('ROLLBACK');
    expect(read().values).toEqual(['a']);
    expect(reads()).toBe(2);
  });

  it('hands out frozen results, which callers share', () => {
    const { read } = setup();
    const result = read();
    expect(Object.isFrozen(result) && Object.isFrozen(result.values)).toBe(true);
    expect(read()).toBe(result);
  });

  it('keeps serialized bytes until this connection writes anything', () => {
    const { main, cache } = setup();
    const body = Buffer.from('[a]');
    expect(cache.get('/x')).toBeUndefined();
    cache.keep('/x', body, cache.stamp());
    expect(cache.get('/x')).toBe(body);
    main.sqlite.exec("INSERT INTO t VALUES ('b')");
    expect(cache.get('/x')).toBeUndefined();
  });

  it('drops serialized bytes at a commit by another connection', () => {
    const { other, cache } = setup();
    cache.keep('/x', Buffer.from('[a]'), cache.stamp());
    other.sqlite.exec("UPDATE t SET v = 'z'");
    expect(cache.get('/x')).toBeUndefined();
  });

  it('does not keep bytes computed from a state that changed before they were kept', () => {
    const { main, other, cache } = setup();
    const before = cache.stamp();
    other.sqlite.exec("UPDATE t SET v = 'z'");
    cache.keep('/x', Buffer.from('[a]'), before);
    expect(cache.get('/x')).toBeUndefined();
    const again = cache.stamp();
    main.sqlite.exec("INSERT INTO t VALUES ('b')");
    cache.keep('/x', Buffer.from('[z]'), again);
    expect(cache.get('/x')).toBeUndefined();
  });

  it('keeps nothing inside a transaction', () => {
    const { main, cache } = setup();
    main.sqlite.exec('BEGIN');
    cache.keep('/x', Buffer.from('[a]'), cache.stamp());
    expect(cache.get('/x')).toBeUndefined();
    main.sqlite.exec('ROLLBACK');
    expect(cache.get('/x')).toBeUndefined();
  });

  it('starts over when the bytes or entries would pass their bounds', () => {
    const { cache, read } = setup();
    cache.keep('/a', Buffer.from('123456'), cache.stamp());
    cache.keep('/b', Buffer.from('1234'), cache.stamp());
    expect([cache.get('/a')?.length, cache.get('/b')?.length]).toEqual([6, 4]);
    cache.keep('/c', Buffer.from('1'), cache.stamp());
    expect([cache.get('/a'), cache.get('/b'), cache.get('/c')?.length]).toEqual([undefined, undefined, 1]);
    cache.keep('/big', Buffer.alloc(11), cache.stamp());
    expect(cache.get('/big')).toBeUndefined();
    read();
    cache.keep('/d', Buffer.from('1'), cache.stamp());
    cache.keep('/e', Buffer.from('1'), cache.stamp());
    expect(cache.get('/c')).toBeUndefined();
    expect(cache.get('/e')?.length).toBe(1);
  });

  it('hands kept bytes only to get, and read results only to read', () => {
    const { cache, read } = setup();
    read();
    expect(cache.get('all')).toBeUndefined();
  });

  it('watches the WAL-index header of a file database', () => {
    const { cache } = setup();
    expect(cache.watching).toBe('wal-index');
  });

  it('sees a commit by another process at once', () => {
    const { file, read, reads } = setup();
    expect(read().values).toEqual(['a']);
    const script =
      "const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.exec(\"UPDATE t SET v = 'p'\"); db.close();";
    execFileSync(process.execPath, ['-e', script, file], { cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(read().values).toEqual(['p']);
    expect(reads()).toBe(2);
  });

  it('sees commits across a checkpoint that empties the WAL', () => {
    const { other, read } = setup();
    expect(read().values).toEqual(['a']);
    other.sqlite.exec("UPDATE t SET v = 'z'");
    other.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(read().values).toEqual(['z']);
    other.sqlite.exec("UPDATE t SET v = 'y'");
    expect(read().values).toEqual(['y']);
    other.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    other.sqlite.exec("UPDATE t SET v = 'x'");
    expect(read().values).toEqual(['x']);
  });

  it('relies on no other connection writing in exclusive locking mode (private WAL-index) while it is open', () => {
    const { file, read } = setup();
    read();
    const exclusive = new Database(file, { timeout: 100 });
    onTestFinished(() => {
      exclusive.close();
    });
    exclusive.pragma('locking_mode = EXCLUSIVE');
    expect(() => exclusive.exec("UPDATE t SET v = 'x'")).toThrow(/locked/);
    expect(read().values).toEqual(['a']);
  });

  it('falls back to PRAGMA data_version outside WAL mode, and still sees other connections', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-read-cache-'));
    const file = join(dir, 'plain.db');
    const main = new Database(file);
    main.pragma('journal_mode = DELETE');
    main.exec("CREATE TABLE t (v TEXT NOT NULL); INSERT INTO t VALUES ('a')");
    const other = new Database(file);
    onTestFinished(() => {
      main.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const cache = createReadCache(main);
    expect(cache.watching).toBe('data_version');
    const select = main.prepare<[], string>('SELECT v FROM t').pluck();
    expect(cache.read('v', () => select.all())).toEqual(['a']);
    other.exec("UPDATE t SET v = 'z'");
    expect(cache.read('v', () => select.all())).toEqual(['z']);
  });
});
