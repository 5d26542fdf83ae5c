import type { FeeRow, PricingStore } from '../../domain/store.js';
import type { PgConnection } from './connection.js';

const FEE = `f.account_type AS "accountType", f.kind, f.fixed, f.bps, f.min, f.max`;

export function createPricingRepo(pg: PgConnection): PricingStore {
  const upsertLimit = pg.statement(
    `INSERT INTO daily_limits (account_type, amount) VALUES ($1, $2)
     ON CONFLICT (account_type) DO UPDATE SET amount = excluded.amount`,
  );
  const deleteLimit = pg.statement(`DELETE FROM daily_limits WHERE account_type = $1`);
  // "C": byte order, as SQLite's BINARY collation sorts, whatever the database's locale.
  const limits = pg.statement<{ accountType: string; amount: number }>(
    `SELECT account_type AS "accountType", amount FROM daily_limits ORDER BY account_type COLLATE "C"`,
  );
  const upsertFee = pg.statement(
    `INSERT INTO transfer_fees (account_type, kind, fixed, bps, min, max) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (account_type) DO UPDATE SET
       kind = excluded.kind, fixed = excluded.fixed, bps = excluded.bps, min = excluded.min, max = excluded.max`,
  );
  const deleteFee = pg.statement(`DELETE FROM transfer_fees WHERE account_type = $1`);
  const fees = pg.statement<FeeRow>(`SELECT ${FEE} FROM transfer_fees f ORDER BY f.account_type COLLATE "C"`);
  // The limit as a scalar subquery beside the fee row, so a payment reads both in one statement.
  const rules = pg.statement<{ dailyLimit: number | null } & { [K in keyof FeeRow]: FeeRow[K] | null }>(
    `SELECT (SELECT amount FROM daily_limits WHERE account_type = $1) AS "dailyLimit", ${FEE}
     FROM (SELECT 1) one LEFT JOIN transfer_fees f ON f.account_type = $1`,
  );

  return {
    rules: (type) => {
      const { dailyLimit, ...fee } = rules.get([type])!;
      return { dailyLimit: dailyLimit ?? undefined, fee: fee.accountType === null ? undefined : (fee as FeeRow) };
    },
    setDailyLimit: (type, amount) => (amount === null ? deleteLimit.run([type]) : upsertLimit.run([type, amount])),
    limits: () => limits.all(),
    setFee: (type, f) =>
      f === null ? deleteFee.run([type]) : upsertFee.run([type, f.kind, f.fixed, f.bps, f.min, f.max]),
    fees: () => fees.all(),
  };
}
