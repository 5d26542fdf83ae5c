import Database from 'better-sqlite3';
import { onTestFinished } from 'vitest';

/**
 * Writes ledger rows straight into a bank file, as another program (or an
 * attacker with the file) could: amounts the bank's own paths cap or refuse,
 * notes it would not accept. Each transaction stays balanced and each posting
 * records the balance after it, so the ledger is still sound.
 */
export interface SeedLeg {
  /** A customer account number, or a system code such as "cash". */
  account: string;
  amount: bigint;
}

export function ledgerSeeder(file: string) {
  const db = new Database(file);
  onTestFinished(() => {
    db.close();
  });
  db.defaultSafeIntegers(true);
  const idOf = db.prepare('SELECT id, balance FROM accounts WHERE number = ? OR system_code = ?');
  const insertTransaction = db.prepare(
    'INSERT INTO transactions (kind, note, actor_id, created_at) VALUES (?, ?, NULL, ?)',
  );
  const insertPosting = db.prepare(
    'INSERT INTO postings (transaction_id, account_id, amount, balance_after) VALUES (?, ?, ?, ?)',
  );
  const setBalance = db.prepare('UPDATE accounts SET balance = ? WHERE id = ?');

  const one = (kind: string, legs: readonly SeedLeg[], note: string | null, at: number) => {
    const { lastInsertRowid } = insertTransaction.run(kind, note, at);
    for (const leg of legs) {
      const row = idOf.get(leg.account, leg.account) as { id: bigint; balance: bigint } | undefined;
      if (!row) throw new Error(`no account ${leg.account}`);
      const after = row.balance + leg.amount;
      insertPosting.run(lastInsertRowid, row.id, leg.amount, after);
      setBalance.run(after, row.id);
    }
  };
  return {
    db,
    /** One balanced transaction. */
    post: (kind: string, legs: readonly SeedLeg[], note: string | null = null, at = Date.now()) =>
      db.transaction(() => one(kind, legs, note, at))(),
    /** Many, in one database transaction (fast). */
    postMany: (rows: readonly { kind: string; legs: readonly SeedLeg[] }[], at = Date.now()) =>
      db.transaction(() => {
        for (const row of rows) one(row.kind, row.legs, null, at);
      })(),
  };
}
