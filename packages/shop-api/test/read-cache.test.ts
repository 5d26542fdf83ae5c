import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@quartet/core';
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
  const cached = createReadCache(main.sqlite);
  const select = main.sqlite.prepare<[], string>('SELECT v FROM t ORDER BY v').pluck();
  let reads = 0;
  const read = () => cached('all', () => (reads++, { values: select.all() }));
  return { main, other, read, reads: () => reads };
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
});
