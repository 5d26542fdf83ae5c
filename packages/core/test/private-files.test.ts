import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ensurePrivateDir, ensurePrivateFile, openSqlite, tightenModes } from '../src/index.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-private-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const mode = (path: string) => statSync(path).mode & 0o777;

/** Run `fn` under the usual permissive umask, so that a missing chmod would show. */
function withUmask<T>(mask: number, fn: () => T): T {
  const old = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

describe('private files', () => {
  it('creates missing directories 0700 and a missing file 0600 under umask 022', () => {
    const root = tempDir();
    withUmask(0o022, () => {
      ensurePrivateDir(join(root, 'a', 'b'));
      expect(ensurePrivateFile(join(root, 'a', 'b', 'secret'))).toBeUndefined();
    });
    expect(mode(join(root, 'a'))).toBe(0o700);
    expect(mode(join(root, 'a', 'b'))).toBe(0o700);
    expect(mode(join(root, 'a', 'b', 'secret'))).toBe(0o600);
  });

  it('tightens an existing file that others can read and says so in one line', () => {
    const file = join(tempDir(), 'bank.db');
    writeFileSync(file, 'x');
    chmodSync(file, 0o644);
    expect(ensurePrivateFile(file)).toBe('warning: bank.db was open to other users (mode 0644); changed it to 0600');
    expect(mode(file)).toBe(0o600);
    expect(ensurePrivateFile(file)).toBeUndefined();
  });

  it('skips missing files and reports each one it changed', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x-wal'), '');
    chmodSync(join(dir, 'x-wal'), 0o666);
    expect(tightenModes([join(dir, 'x-wal'), join(dir, 'x-shm')])).toEqual([
      'warning: x-wal was open to other users (mode 0666); changed it to 0600',
    ]);
  });
});

describe('openSqlite file modes', () => {
  it('creates the directory 0700 and the database, -wal and -shm 0600 under umask 022', () => {
    const root = tempDir();
    const file = join(root, 'data', 'bank.db');
    const opened = withUmask(0o022, () => {
      const db = openSqlite({ file });
      db.sqlite.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
      return db;
    });
    onTestFinished(opened.close);
    expect(opened.warnings).toEqual([]);
    expect(mode(join(root, 'data'))).toBe(0o700);
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([0o600, 0o600, 0o600]);
  });

  it('tightens an existing world-readable database at open and returns the warning', () => {
    const file = join(tempDir(), 'shop.db');
    openSqlite({ file }).close();
    chmodSync(file, 0o644);
    const opened = openSqlite({ file });
    onTestFinished(opened.close);
    expect(opened.warnings).toEqual(['warning: shop.db was open to other users (mode 0644); changed it to 0600']);
    expect(mode(file)).toBe(0o600);
  });
});
