import { spawn } from 'node:child_process';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, PASSWORD, tempDir, type RunResult } from './helpers.js';
import { rawDatabase } from './raw-database.js';
import { startMenus, until, ctrlC } from './menu-screen.js';

const mode = (path: string) => `0${(statSync(path).mode & 0o777).toString(8)}`;

/**
 * The built bin under a given umask. `onStderr` sees stderr as it grows and
 * may end stdin (for a command that waits on it).
 */
function bankWithUmask(
  umask: string,
  args: readonly string[],
  env: Record<string, string>,
  onStderr?: (stderr: string, endInput: () => void) => void,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', `umask ${umask} && exec "$@"`, 'sh', process.execPath, BIN, ...args], {
      env: { PATH: process.env['PATH'] ?? '', BANK_BCRYPT_COST: '4', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, () => child.stdin.end());
    });
    if (!onStderr) child.stdin.end();
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const warning = (file: string) => `bank: warning: ${file} was open to other users (mode 0644); changed it to 0600\n`;

describe('files bank writes are private to their owner', () => {
  it('creates the data directory 0700 and bank.db, -wal and -shm 0600 under umask 022', async () => {
    const data = join(tempDir(), 'xdg', 'quartet', 'bank');
    const env = { BANK_DATA_DIR: data, BANK_PASSWORD: PASSWORD, BANK_USER: 'alice' };
    expect(await bankWithUmask('022', ['register', 'alice'], env)).toMatchObject({ code: 0, stderr: '' });
    expect([mode(data), mode(join(data, 'bank.db'))]).toEqual(['0700', '0600']);

    // `2fa enable` holds the database open while it waits for a code on stdin: -wal and -shm exist then.
    let seen: string[] = [];
    const waited = await bankWithUmask('022', ['2fa', 'enable'], env, (stderr, endInput) => {
      if (seen.length > 0 || !stderr.includes('Code from the app to confirm:\n')) return;
      seen = ['bank.db', 'bank.db-wal', 'bank.db-shm'].map((f) => `${f} ${mode(join(data, f))}`);
      endInput();
    });
    expect(waited.code).toBe(2);
    expect(seen).toEqual(['bank.db 0600', 'bank.db-wal 0600', 'bank.db-shm 0600']);
  });

  it('tightens a database file others can read, and says so on stderr', async () => {
    const dir = tempDir();
    const file = join(dir, 'bank.db');
    const env = { BANK_DB: file, BANK_PASSWORD: PASSWORD, BANK_USER: 'alice' };
    expect((await bankWithUmask('022', ['register', 'alice'], env)).code).toBe(0);
    chmodSync(file, 0o644);
    expect(await bankWithUmask('022', ['accounts'], env)).toEqual({
      code: 0,
      stdout: 'You have no accounts yet.\n',
      stderr: warning('bank.db'),
    });
    expect(mode(file)).toBe('0600');

    // With another connection open, -wal and -shm stay; loose ones are tightened too, even when the command fails.
    rawDatabase(file).get('SELECT count(*) FROM users');
    chmodSync(file, 0o644);
    chmodSync(`${file}-wal`, 0o644);
    chmodSync(`${file}-shm`, 0o644);
    expect(await bankWithUmask('022', ['accounts'], { ...env, BANK_PASSWORD: 'not her password' })).toEqual({
      code: 3,
      stdout: '',
      stderr: `${warning('bank.db')}${warning('bank.db-wal')}${warning('bank.db-shm')}bank: invalid username or password\n`,
    });
    expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['0600', '0600', '0600']);
  });

  it('shows the warning above the first menu', async () => {
    const file = join(tempDir(), 'bank.db');
    expect((await bankWithUmask('022', ['register', 'alice'], { BANK_DB: file, BANK_PASSWORD: PASSWORD })).code).toBe(
      0,
    );
    chmodSync(file, 0o644);
    const done = startMenus(file);
    expect(await until('Welcome')).toContain(`${warning('bank.db').slice('bank: '.length)}\nWelcome to bank (USD).`);
    ctrlC();
    await done;
  });

  it('writes statements 0600 even under umask 000, replacing a readable file', async () => {
    const dir = tempDir();
    const file = join(dir, 'bank.db');
    const env = { BANK_DB: file, BANK_PASSWORD: PASSWORD, BANK_USER: 'alice' };
    expect((await bankWithUmask('000', ['register', 'alice'], env)).code).toBe(0);
    const opened = await bankWithUmask('000', ['accounts', 'open', 'savings', '--json'], env);
    const { number } = JSON.parse(opened.stdout) as { number: string };
    const month = new Date().toISOString().slice(0, 7);
    const out = join(dir, 'statement.csv');
    writeFileSync(out, 'old\n', { mode: 0o644 });
    chmodSync(out, 0o644);
    const args = ['statement', number, '--month', month, '--format', 'csv', '-o', out];
    expect(await bankWithUmask('000', args, env)).toMatchObject({ code: 0, stderr: '' });
    // The temporary file is renamed over the target, so this is the mode it was created with.
    expect([mode(file), mode(out)]).toEqual(['0600', '0600']);
  });
});
