import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openBank } from '../src/app.js';
import { resolveConfig } from '../src/config.js';
import type { Bank } from '../src/domain/bank.js';
import { storageFlags, withDatabase } from './test-database.js';

export const BIN = join(import.meta.dirname, '..', 'bin', 'bank.js');
export const PASSWORD = 'correct horse battery';

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bank-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A bank on a fresh file, with a clock the test moves by hand. */
export function testBank(file = join(tempDir(), 'bank.db'), start = Date.UTC(2026, 0, 15, 12)) {
  const clock = { now: start };
  const config = resolveConfig(storageFlags(file), { BANK_BCRYPT_COST: '4' });
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
    const env = withDatabase({ PATH: process.env['PATH'] ?? '', BANK_BCRYPT_COST: '4', ...options.env });
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

/** An admin (root) and alice with a savings account, on a fresh file; `as` runs the built bin as a user. */
export async function adminAndAlice(start?: number) {
  const { initAdmin } = await import('../src/domain/admin.js');
  const { openAccount } = await import('../src/domain/accounts.js');
  const file = join(tempDir(), 'bank.db');
  const t = testBank(file, start);
  const root = await initAdmin(t.bank, 'root', PASSWORD);
  const alice = await makeUser(t.bank, 'alice');
  const savings = openAccount(t.bank, alice, 'savings').number!;
  const env = (user: string, extra: Record<string, string> = {}) => ({
    BANK_DB: file,
    BANK_USER: user,
    BANK_PASSWORD: PASSWORD,
    ...extra,
  });
  const as = (user: string, args: string[], extra?: Record<string, string>) => runBank(args, { env: env(user, extra) });
  return { ...t, root, alice, savings, env, as };
}

/** Every end-to-end test ends here: the built bin must say the ledger is sound. */
export async function expectLedgerOk(as: (user: string, args: string[]) => Promise<RunResult>): Promise<void> {
  const { expect } = await import('vitest');
  expect(await as('root', ['admin', 'verify'])).toEqual({ code: 0, stdout: 'ledger OK\n', stderr: '' });
}

/** A port on 127.0.0.1 that nothing listens on: taken, then let go (a dead SMTP or PostgreSQL server). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
