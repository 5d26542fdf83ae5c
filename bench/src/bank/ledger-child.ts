import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newBank, timeLoop, timeTransfers } from './bank-setup.js';

/**
 * Run in a child process: `node ledger-child.js <dir> <count>`. Times `count`
 * transfers through bank's service layer, then two storage ceilings with the
 * same pragmas (WAL, synchronous=FULL, foreign keys), raw better-sqlite3 and
 * one BEGIN IMMEDIATE transaction per transfer:
 * - `schema`: the writes a transfer makes, on a database bank itself created
 *   (same tables, indexes and triggers): debit with a balance check, credit,
 *   one transactions row, its two postings, and the receiver's "received"
 *   notification (the transfer goes to another customer);
 * - `minimal`: three statements on two bare tables (debit with a balance
 *   check, credit, one ledger row): the least any ledger could write.
 * Prints one JSON line.
 */
const [dir = '.', countArg = '20000'] = process.argv.slice(2);
const count = Number(countArg);
function remove(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

function withPragmas(file: string): Database.Database {
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

async function service(): Promise<number> {
  const file = join(dir, 'bank.db');
  const opened = await newBank({ db: file });
  try {
    return timeTransfers(opened, count);
  } finally {
    opened.close();
    remove(file);
  }
}

async function schemaRaw(): Promise<number> {
  const file = join(dir, 'schema.db');
  const { bank, close, from, to, alice } = await newBank({ db: file });
  const fromId = bank.store.accounts.byNumber(from)?.id;
  const receiver = bank.store.accounts.byNumber(to);
  const toId = receiver?.id;
  close();
  const db = withPragmas(file);
  try {
    // RETURNING gives each posting its balance_after without a separate read.
    const debit = db
      .prepare('UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ? RETURNING balance')
      .pluck();
    const credit = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ? RETURNING balance').pluck();
    const insertTransaction = db.prepare(
      "INSERT INTO transactions (kind, note, actor_id, created_at) VALUES ('transfer', NULL, ?, ?)",
    );
    const insertPosting = db.prepare(
      'INSERT INTO postings (transaction_id, account_id, amount, balance_after) VALUES (?, ?, ?, ?)',
    );
    const insertNotice = db.prepare(
      "INSERT INTO notifications (user_id, kind, message, created_at) VALUES (?, 'received', ?, ?)",
    );
    const notice = `Received 0.01 USD on ${to} from ${from}.`;
    const move = db.transaction((amount: number) => {
      const fromBalance = debit.get(amount, fromId, amount);
      if (fromBalance === undefined) throw new Error('insufficient funds');
      const toBalance = credit.get(amount, toId);
      const id = insertTransaction.run(alice.id, Date.now()).lastInsertRowid;
      insertPosting.run(id, fromId, -amount, fromBalance);
      insertPosting.run(id, toId, amount, toBalance);
      insertNotice.run(receiver?.ownerId, notice, Date.now());
    });
    return timeLoop(count, () => move.immediate(1));
  } finally {
    db.close();
    remove(file);
  }
}

function minimalRaw(): number {
  const file = join(dir, 'raw.db');
  const db = withPragmas(file);
  try {
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
    return timeLoop(count, () => move.immediate(1));
  } finally {
    db.close();
    remove(file);
  }
}

const serviceSeconds = await service();
const schemaSeconds = await schemaRaw();
const rawSeconds = minimalRaw();
process.stdout.write(JSON.stringify({ count, serviceSeconds, schemaSeconds, rawSeconds }) + '\n');
