import type { LedgerStore } from '../../domain/store.js';
import type { Account, AuditRow, HistoryRow } from '../../domain/types.js';
import { ACCOUNT } from './accounts-repo.js';
import type { PgConnection } from './connection.js';

// An account's postings with the other side of each (for a transfer, the other customer account); `history` is
// newest first, `between` oldest first.
const ENTRIES = `SELECT t.id AS "transactionId", t.kind, p.amount, p.balance_after AS "balanceAfter",
    other_account.number AS counterparty, other_owner.username AS "counterpartyOwner", t.note,
    t.created_at AS "createdAt"
  FROM postings p
  JOIN transactions t ON t.id = p.transaction_id
  LEFT JOIN postings other ON other.transaction_id = p.transaction_id AND other.id = (
    SELECT min(o.id) FROM postings o WHERE o.transaction_id = p.transaction_id AND o.account_id <> p.account_id)
  LEFT JOIN accounts other_account ON other_account.id = other.account_id
  LEFT JOIN users other_owner ON other_owner.id = other_account.owner_id
  WHERE p.account_id = $1 AND t.created_at >= $2 AND t.created_at < $3`;

/** A numeric sum read as text (exact at any size); no rows sum to 0. */
const exact = (sum: string | null): bigint => BigInt(sum ?? '0');

export function createLedgerRepo(pg: PgConnection): LedgerStore {
  const insertTransaction = pg.statement<{ id: number }>(
    `INSERT INTO transactions (kind, note, actor_id, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
  );
  const insertPosting = pg.statement(
    `INSERT INTO postings (transaction_id, account_id, amount, balance_after) VALUES ($1, $2, $3, $4)`,
  );
  const history = pg.statement<HistoryRow>(`${ENTRIES} ORDER BY p.id DESC LIMIT $4`);
  const between = pg.statement<HistoryRow>(`${ENTRIES} ORDER BY p.id`);

  const audit = pg.statement<AuditRow>(
    `SELECT t.id, t.kind, t.note, actor.username AS actor, t.created_at AS "createdAt", (
        SELECT coalesce(json_agg(json_build_object(
          'account', coalesce(a.number, '(' || a.system_code || ')'), 'owner', u.username, 'amount', pp.amount
        ) ORDER BY pp.id), '[]')
        FROM postings pp JOIN accounts a ON a.id = pp.account_id LEFT JOIN users u ON u.id = a.owner_id
        WHERE pp.transaction_id = t.id) AS postings
     FROM transactions t LEFT JOIN users actor ON actor.id = t.actor_id
     WHERE ($2::bigint IS NULL OR EXISTS (
         SELECT 1 FROM postings f WHERE f.transaction_id = t.id AND f.account_id = $2))
       AND ($3::bigint IS NULL OR t.actor_id = $3 OR EXISTS (
         SELECT 1 FROM postings f JOIN accounts fa ON fa.id = f.account_id
         WHERE f.transaction_id = t.id AND fa.owner_id = $3))
     ORDER BY t.id DESC LIMIT $1`,
  );

  const allAccounts = pg.statement<Account>(`SELECT ${ACCOUNT} FROM accounts a ORDER BY a.id`);
  const postedSums = pg.statement<{ id: number; sum: string }>(
    `SELECT account_id AS id, sum(amount)::text AS sum FROM postings GROUP BY account_id`,
  );
  const unbalanced = pg.statement<{ id: number; sum: string | null; postings: number }>(
    `SELECT t.id, sum(p.amount)::text AS sum, count(p.id)::int AS postings
     FROM transactions t LEFT JOIN postings p ON p.transaction_id = t.id
     GROUP BY t.id HAVING count(p.id) < 2 OR sum(p.amount) <> 0 ORDER BY t.id`,
  );
  // "C": byte order, as SQLite's BINARY collation sorts, whatever the database's locale.
  const systemKinds = pg.statement<{ systemCode: string; kind: string; total: string }>(
    `SELECT a.system_code AS "systemCode", t.kind, sum(p.amount)::text AS total
     FROM postings p JOIN accounts a ON a.id = p.account_id JOIN transactions t ON t.id = p.transaction_id
     WHERE a.system_code IS NOT NULL GROUP BY a.system_code, t.kind
     ORDER BY a.system_code COLLATE "C", t.kind COLLATE "C"`,
  );

  const balanceBefore = pg.statement<{ balance: number }>(
    `SELECT p.balance_after AS balance FROM postings p JOIN transactions t ON t.id = p.transaction_id
     WHERE p.account_id = $1 AND t.created_at < $2 ORDER BY p.id DESC LIMIT 1`,
  );
  // SQLite bounds this by the first posting id of the day, because there ids grow with time under its one write
  // lock. Concurrent PostgreSQL transactions take ids out of commit order, so only the date filter is exact here;
  // the planner reaches today's postings through the created_at index. A float sum, as SQLite's total(): exact
  // below 2^53, and it cannot overflow (beyond that any limit is used up anyway).
  const outgoing = pg.statement<{ total: number }>(
    `SELECT (-coalesce(sum(p.amount), 0))::float8 AS total
     FROM postings p JOIN transactions t ON t.id = p.transaction_id
     WHERE p.account_id = $1 AND p.amount < 0 AND t.kind IN ('withdrawal', 'transfer') AND t.created_at >= $2`,
  );

  return {
    insertTransaction: (row) => insertTransaction.get([row.kind, row.note, row.actorId, row.createdAt])!.id,
    insertPosting: (row) => insertPosting.run([row.transactionId, row.accountId, row.amount, row.balanceAfter]),
    history: (accountId, q) =>
      history.all([accountId, q.since ?? Number.MIN_SAFE_INTEGER, q.until ?? Number.MAX_SAFE_INTEGER, q.limit]),
    // The driver parses json: postings arrive as an array.
    audit: (q) => audit.all([q.limit, q.accountId ?? null, q.userId ?? null]),
    balanceCheck() {
      const sums = new Map(postedSums.all().map((row) => [row.id, exact(row.sum)]));
      return allAccounts.all().map((account) => ({ account, postedSum: sums.get(account.id) ?? 0n }));
    },
    unbalancedTransactions: () =>
      unbalanced.all().map((row) => ({ id: row.id, sum: exact(row.sum), postings: row.postings })),
    systemPostingKinds: () =>
      systemKinds.all().map((row) => ({ systemCode: row.systemCode, kind: row.kind, total: exact(row.total) })),
    balanceBefore: (accountId, at) => balanceBefore.get([accountId, at])?.balance ?? 0,
    entriesBetween: (accountId, since, until) => between.all([accountId, since, until]),
    outgoingSince: (accountId, since) => outgoing.get([accountId, since])!.total,
  };
}
