import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { initAdmin } from '../src/domain/admin.js';
import { register } from '../src/domain/auth.js';
import { deposit } from '../src/domain/payments.js';
import { PASSWORD, runBank, tempDir, testBank } from './helpers.js';
import { withDatabase } from './test-database.js';

/** One process, one login, transfers back to back through the package API; prints a WorkerResult. */
export const WORKER = join(import.meta.dirname, 'fixtures', 'transfer-worker.mjs');
export const run = promisify(execFile);

export interface WorkerResult {
  moved: [string, number][];
  refused: number;
}

/** A bank with root and `customers` users (user0, user1, …), each with a checking account holding `funds`. */
export async function bankWith(customers: number, funds: string) {
  const file = join(tempDir(), 'bank.db');
  const { bank } = testBank(file);
  await initAdmin(bank, 'root', PASSWORD);
  const numbers: string[] = [];
  for (let i = 0; i < customers; i += 1) {
    const user = await register(bank, `user${i}`, PASSWORD);
    const number = openAccount(bank, user, 'checking').number!;
    deposit(bank, user, number, funds);
    numbers.push(number);
  }
  const env = (user: string) => ({ BANK_DB: file, BANK_USER: user, BANK_PASSWORD: PASSWORD });
  // For worker processes: the file, and in the PostgreSQL run its database.
  const workerEnv = { ...process.env, ...withDatabase({ BANK_DB: file }) };
  return { file, numbers, env, workerEnv };
}

/** Every customer account's balance in cents, as `bank admin accounts --json` shows it. */
export async function cents(env: Record<string, string>): Promise<Map<string, number>> {
  const listed = await runBank(['admin', 'accounts', '--json'], { env });
  expect(listed.code, listed.stderr).toBe(0);
  const accounts = JSON.parse(listed.stdout) as { number: string; balance: string }[];
  return new Map(accounts.map((a) => [a.number, Number(a.balance.replace('.', ''))]));
}

export async function expectVerified(env: Record<string, string>): Promise<void> {
  expect(await runBank(['admin', 'verify'], { env })).toEqual({ code: 0, stdout: 'ledger OK\n', stderr: '' });
}
