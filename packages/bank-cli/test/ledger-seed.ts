import { rawDatabase } from './raw-database.js';

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
  const db = rawDatabase(file);
  const one = (kind: string, legs: readonly SeedLeg[], note: string | null, at: number) => {
    const transaction = db.get<{ id: number }>(
      'INSERT INTO transactions (kind, note, actor_id, created_at) VALUES (?, ?, NULL, ?) RETURNING id',
      kind,
      note,
      at,
    )!;
    for (const leg of legs) {
      // As text, so that a balance past 2^53 reads exactly on both databases.
      const row = db.get<{ id: number; balance: string }>(
        'SELECT id, CAST(balance AS TEXT) AS balance FROM accounts WHERE number = ? OR system_code = ?',
        leg.account,
        leg.account,
      );
      if (!row) throw new Error(`no account ${leg.account}`);
      const after = BigInt(row.balance) + leg.amount;
      db.run(
        'INSERT INTO postings (transaction_id, account_id, amount, balance_after) VALUES (?, ?, ?, ?)',
        transaction.id,
        row.id,
        leg.amount,
        after,
      );
      db.run('UPDATE accounts SET balance = ? WHERE id = ?', after, row.id);
    }
  };
  return {
    db,
    /** One balanced transaction. */
    post: (kind: string, legs: readonly SeedLeg[], note: string | null = null, at = Date.now()) =>
      db.transaction(() => one(kind, legs, note, at)),
    /** Many, in one database transaction (fast). */
    postMany: (rows: readonly { kind: string; legs: readonly SeedLeg[] }[], at = Date.now()) =>
      db.transaction(() => {
        for (const row of rows) one(row.kind, row.legs, null, at);
      }),
  };
}
