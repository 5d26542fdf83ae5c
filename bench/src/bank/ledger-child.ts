import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { deposit, login, openAccount, openBank, register, resolveConfig, transfer } from '@quartet/bank-cli';

/**
 * Run in a child process: `node ledger-child.js <dir> <count>`. Times `count`
 * transfers through bank's service layer, then the storage ceiling: raw
 * better-sqlite3 running three statements per BEGIN IMMEDIATE transaction
 * (debit with a balance check, credit, ledger row) with the same pragmas.
 * Prints one JSON line.
 */
const [dir = '.', countArg = '20000'] = process.argv.slice(2);
const count = Number(countArg);

async function service(): Promise<number> {
  const file = join(dir, 'bank.db');
  const { bank, close } = openBank(resolveConfig({ db: file }, { BANK_BCRYPT_COST: '4' }));
  try {
    await register(bank, 'alice', 'first long passphrase');
    await register(bank, 'bobby', 'second long passphrase');
    const alice = await login(bank, 'alice', 'first long passphrase');
    const bob = await login(bank, 'bobby', 'second long passphrase');
    const from = openAccount(bank, alice, 'checking').number ?? '';
    const to = openAccount(bank, bob, 'checking').number ?? '';
    deposit(bank, alice, from, '1000000.00');
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1) transfer(bank, alice, from, to, '0.01');
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

function raw(): number {
  const file = join(dir, 'raw.db');
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.exec(`
      CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0));
      CREATE TABLE entries (id INTEGER PRIMARY KEY, from_id INTEGER NOT NULL REFERENCES accounts(id),
        to_id INTEGER NOT NULL REFERENCES accounts(id), amount INTEGER NOT NULL, created_at INTEGER NOT NULL);
      INSERT INTO accounts (id, balance) VALUES (1, 100000000), (2, 0);
    `);
    const debit = db.prepare('UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?');
    const credit = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ?');
    const entry = db.prepare('INSERT INTO entries (from_id, to_id, amount, created_at) VALUES (?, ?, ?, ?)');
    const move = db.transaction((amount: number) => {
      if (debit.run(amount, 1, amount).changes !== 1) throw new Error('insufficient funds');
      credit.run(amount, 2);
      entry.run(1, 2, amount, Date.now());
    });
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1) move.immediate(1);
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}

// Alternate, so that neither side always runs on a warmer page cache.
const serviceSeconds = await service();
const rawSeconds = raw();
process.stdout.write(JSON.stringify({ count, serviceSeconds, rawSeconds }) + '\n');
