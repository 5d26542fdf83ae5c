import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from '@quartet/core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createWriteBatch } from '../src/db/sqlite/write-batch.js';

/** A file database with one table, a WriteBatch on it, and a second connection that sees only committed rows. */
function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'shop-batch-'));
  const file = join(dir, 'batch.db');
  const main = openSqlite({ file, busyTimeoutMs: 0 });
  main.sqlite.exec('CREATE TABLE t (v TEXT NOT NULL UNIQUE)');
  const other = openSqlite({ file, busyTimeoutMs: 0 });
  onTestFinished(() => {
    main.close();
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const insert = main.sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  const committed = () => other.sqlite.prepare('SELECT v FROM t ORDER BY v').pluck().all();
  return { batch: createWriteBatch(main.sqlite), insert, committed, other };
}

describe('WriteBatch (group commit)', () => {
  it('commits the writes of one event-loop turn in one transaction, answering after the commit', async () => {
    const { batch, insert, committed } = setup();
    let seenBySecondWrite: unknown[] = ['not run'];
    const results = await Promise.all([
      batch(() => insert.run('a').changes),
      batch(() => {
        // Still inside the shared transaction: the first write is not committed yet.
        seenBySecondWrite = committed();
        return insert.run('b').changes;
      }),
    ]);
    expect(results).toEqual([1, 1]);
    expect(seenBySecondWrite).toEqual([]);
    expect(committed()).toEqual(['a', 'b']);
  });

  it('rolls a failing write back alone; the others of its batch commit', async () => {
    const { batch, insert, committed } = setup();
    const results = await Promise.allSettled([
      batch(() => insert.run('a')),
      batch(() => {
        insert.run('half-written');
        insert.run('a'); // UNIQUE violation: this write fails after a first statement
      }),
      batch(() => insert.run('c')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(committed()).toEqual(['a', 'c']);
  });

  it('fails every write of a batch that cannot begin, and writes nothing', async () => {
    const { batch, insert, committed, other } = setup();
    other.sqlite.exec('BEGIN IMMEDIATE'); // another connection holds the write lock
    const results = await Promise.allSettled([batch(() => insert.run('a')), batch(() => insert.run('b'))]);
    other.sqlite.exec('ROLLBACK');
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_BUSY' });
    expect(committed()).toEqual([]);
    // The next batch starts afresh.
    await batch(() => insert.run('c'));
    expect(committed()).toEqual(['c']);
  });
});
