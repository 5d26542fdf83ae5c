import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { openBank } from '../src/app.js';
import { resolveConfig } from '../src/config.js';
import { openAccount } from '../src/domain/accounts.js';
import { deposit } from '../src/domain/payments.js';
import { makeUser, tempDir } from './helpers.js';
import { rawDatabase } from './raw-database.js';
import { storageFlags } from './test-database.js';

export const START = Date.UTC(2026, 0, 15, 12);

/** A bank with e-mail configured (the outbox on), a hand-moved clock, and alice and bob with 100.00 each. */
export async function mailBank(smtpUrl: string, file = join(tempDir(), 'bank.db')) {
  const clock = { now: START };
  const config = resolveConfig(storageFlags(file), { BANK_BCRYPT_COST: '4', BANK_SMTP_URL: smtpUrl });
  const { bank, close } = openBank(config, { now: () => clock.now });
  onTestFinished(close);
  const alice = await makeUser(bank, 'alice');
  const bob = await makeUser(bank, 'bob');
  const a = openAccount(bank, alice, 'savings').number!;
  const b = openAccount(bank, bob, 'checking').number!;
  deposit(bank, alice, a, '100.00');
  deposit(bank, bob, b, '100.00');
  const settings = { smtpUrl, from: 'bank@localhost', timeoutMs: 2000 };
  return { bank, clock, file, config, alice, bob, a, b, settings };
}

export interface OutboxRow {
  id: number;
  notification_id: number;
  address: string;
  attempts: number;
  next_attempt_at: number | null;
  sent_at: number | null;
  message_id: string | null;
  dead_at: number | null;
}

/** The outbox as stored, read through a second connection. */
export function outboxRows(file: string): OutboxRow[] {
  const db = rawDatabase(file);
  try {
    return db.all<OutboxRow>('SELECT * FROM mail_outbox ORDER BY id');
  } finally {
    db.close();
  }
}

export function codeTries(file: string, userId: number): number | undefined {
  const db = rawDatabase(file);
  try {
    return db.get<{ n: number }>('SELECT code_tries AS n FROM user_emails WHERE user_id = ?', userId)?.n;
  } finally {
    db.close();
  }
}

/** The six digits of a verification e-mail. */
export function codeIn(raw: string): string {
  const code = /verification code is (\d{6})/.exec(raw)?.[1];
  if (code === undefined) throw new Error(`no code in:\n${raw}`);
  return code;
}
