import type { InterestStore, RateRow } from '../../domain/store.js';
import type { PgConnection } from './connection.js';

const RATE_COLUMNS = `id, account_type AS "accountType", bps, effective_from AS "effectiveFrom", created_at AS "createdAt"`;

export function createInterestRepo(pg: PgConnection): InterestStore {
  const insertRate = pg.statement(
    `INSERT INTO interest_rates (account_type, bps, effective_from, actor_id, created_at) VALUES ($1, $2, $3, $4, $5)`,
  );
  const ratesOf = pg.statement<RateRow>(
    `SELECT ${RATE_COLUMNS} FROM interest_rates WHERE account_type = $1 ORDER BY effective_from, id`,
  );
  const allRates = pg.statement<RateRow>(
    `SELECT ${RATE_COLUMNS} FROM interest_rates ORDER BY account_type, effective_from, id`,
  );
  // Every column, as the SQLite repository's select() returns them.
  const run = pg.statement<{
    month: string;
    actorId: number | null;
    accounts: number;
    total: number;
    createdAt: number;
  }>(
    `SELECT month, actor_id AS "actorId", accounts, total, created_at AS "createdAt" FROM interest_runs WHERE month = $1`,
  );
  const lastRun = pg.statement<{ month: string }>(`SELECT month FROM interest_runs ORDER BY month DESC LIMIT 1`);
  const insertRun = pg.statement(
    `INSERT INTO interest_runs (month, actor_id, accounts, total, created_at) VALUES ($1, $2, $3, $4, $5)`,
  );
  const insertPosting = pg.statement(
    `INSERT INTO interest_postings (month, account_id, transaction_id, amount) VALUES ($1, $2, $3, $4)`,
  );
  const total = pg.statement<{ total: string }>(
    `SELECT coalesce(sum(amount), 0)::text AS total FROM interest_postings`,
  );

  return {
    insertRate: (row) => insertRate.run([row.accountType, row.bps, row.effectiveFrom, row.actorId, row.createdAt]),
    rates: (type) => (type === undefined ? allRates.all() : ratesOf.all([type])),
    run: (month) => run.get([month]),
    lastRunMonth: () => lastRun.get()?.month,
    insertRun: (row) => insertRun.run([row.month, row.actorId, row.accounts, row.total, row.createdAt]),
    insertPosting: (row) => insertPosting.run([row.month, row.accountId, row.transactionId, row.amount]),
    postedTotal: () => BigInt(total.get()!.total),
  };
}
