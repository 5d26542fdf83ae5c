import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openBank } from '../src/app.js';
import { resolveConfig } from '../src/config.js';
import type { Bank } from '../src/domain/bank.js';

export const BIN = join(import.meta.dirname, '..', 'dist', 'cli.js');
export const PASSWORD = 'correct horse battery';

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bank-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A bank on a fresh file, with a clock the test moves by hand. */
export function testBank(file = join(tempDir(), 'bank.db'), start = Date.UTC(2026, 0, 15, 12)) {
  const clock = { now: start };
  const config = resolveConfig({ db: file }, { BANK_BCRYPT_COST: '4' });
  const { bank, close } = openBank(config, { now: () => clock.now });
  onTestFinished(close);
  return { bank, clock, file, config };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `bank` with a clean environment (no BANK_* leaking in from the shell). */
export function runBank(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', BANK_BCRYPT_COST: '4', ...options.env };
    const child = execFile(process.execPath, [BIN, ...args], { env }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(new Error(`could not run bank: ${error.message}`));
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
}

/** A user who can act at once: registered, and the env to act as them. */
export async function makeUser(bank: Bank, name: string) {
  const { register } = await import('../src/domain/auth.js');
  return register(bank, name, PASSWORD);
}
