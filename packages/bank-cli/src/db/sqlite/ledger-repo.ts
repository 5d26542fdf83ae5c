import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { LedgerStore } from '../../domain/store.js';
import type { AuditRow } from '../../domain/types.js';
import { bigIntStatement, joinSum, splitSum, splitSumIsNotZero } from './exact-sums.js';
import { accounts, postings, transactions, users } from './schema.js';

export function createLedgerRepo(db: BetterSQLite3Database): LedgerStore {
  const p = sql.placeholder;
  const insertTransaction = db
    .insert(transactions)
    .values({ kind: p('kind'), note: p('note'), actorId: p('actorId'), createdAt: p('createdAt') })
    .prepare();
  const insertPosting = db
    .insert(postings)
    .values({
      transactionId: p('transactionId'),
      accountId: p('accountId'),
      amount: p('amount'),
      balanceAfter: p('balanceAfter'),
    })
    .prepare();

  // The other side of a posting: for a transfer, the other customer account.
  const other = alias(postings, 'other');
  const otherAccount = alias(accounts, 'other_account');
  const otherOwner = alias(users, 'other_owner');
  // An account's postings with the other side of each; `history` is newest first, `between` oldest first.
  const entries = () =>
    db
      .select({
        transactionId: transactions.id,
        kind: transactions.kind,
        amount: postings.amount,
        balanceAfter: postings.balanceAfter,
        counterparty: otherAccount.number,
        counterpartyOwner: otherOwner.username,
        note: transactions.note,
        createdAt: transactions.createdAt,
      })
      .from(postings)
      .innerJoin(transactions, eq(transactions.id, postings.transactionId))
      .leftJoin(
        other,
        and(
          eq(other.transactionId, postings.transactionId),
          sql`${other.id} = (SELECT min(o.id) FROM postings o WHERE o.transaction_id = ${postings.transactionId} AND o.account_id <> ${postings.accountId})`,
        ),
      )
      .leftJoin(otherAccount, eq(otherAccount.id, other.accountId))
      .leftJoin(otherOwner, eq(otherOwner.id, otherAccount.ownerId))
      .where(
        and(
          eq(postings.accountId, p('accountId')),
          gte(transactions.createdAt, p('since')),
          lt(transactions.createdAt, p('until')),
        ),
      );
  const history = entries().orderBy(desc(postings.id)).limit(p('limit')).prepare();
  const between = entries().orderBy(asc(postings.id)).prepare();

  const audit = db
    .select({
      id: transactions.id,
      kind: transactions.kind,
      note: transactions.note,
      actor: users.username,
      createdAt: transactions.createdAt,
      postings: sql<string>`(
        SELECT json_group_array(json_object(
          'account', coalesce(a.number, '(' || a.system_code || ')'), 'owner', u.username, 'amount', pp.amount
        ) ORDER BY pp.id)
        FROM postings pp JOIN accounts a ON a.id = pp.account_id LEFT JOIN users u ON u.id = a.owner_id
        WHERE pp.transaction_id = ${transactions.id})`,
    })
    .from(transactions)
    .leftJoin(users, eq(users.id, transactions.actorId))
    .where(
      sql`(${p('accountId')} IS NULL OR EXISTS (SELECT 1 FROM postings f WHERE f.transaction_id = ${transactions.id} AND f.account_id = ${p('accountId')}))
      AND (${p('userId')} IS NULL OR ${transactions.actorId} = ${p('userId')} OR EXISTS (
        SELECT 1 FROM postings f JOIN accounts fa ON fa.id = f.account_id
        WHERE f.transaction_id = ${transactions.id} AND fa.owner_id = ${p('userId')}))`,
    )
    .orderBy(desc(transactions.id))
    .limit(p('limit'))
    .prepare();

  // Every account with the exact sum of its postings.
  const allAccounts = db.select().from(accounts).orderBy(asc(accounts.id)).prepare();
  const postedSums = bigIntStatement(
    db,
    `SELECT account_id AS id, ${splitSum('amount', 's')} FROM postings GROUP BY account_id`,
  );
  const unbalanced = bigIntStatement(
    db,
    `SELECT t.id AS id, ${splitSum('p.amount', 's')}, count(p.id) AS n
     FROM transactions t LEFT JOIN postings p ON p.transaction_id = t.id
     GROUP BY t.id HAVING n < 2 OR ${splitSumIsNotZero('s')} ORDER BY t.id`,
  );
  const systemKinds = bigIntStatement(
    db,
    `SELECT a.system_code AS systemCode, t.kind AS kind, ${splitSum('p.amount', 's')}
     FROM postings p JOIN accounts a ON a.id = p.account_id JOIN transactions t ON t.id = p.transaction_id
     WHERE a.system_code IS NOT NULL GROUP BY a.system_code, t.kind ORDER BY a.system_code, t.kind`,
  );

  const balanceBefore = db
    .select({ balance: postings.balanceAfter })
    .from(postings)
    .innerJoin(transactions, eq(transactions.id, postings.transactionId))
    .where(and(eq(postings.accountId, p('accountId')), lt(transactions.createdAt, p('at'))))
    .orderBy(desc(postings.id))
    .limit(1)
    .prepare();
  // Posting ids grow with transaction ids (a transaction and its postings are written together under the write
  // lock), so no posting of the account from `since` on has an id below the first posting of the first transaction
  // from `since` on. That bound lets the (account_id, id) index skip the account's older history, and the first
  // transaction comes from the created_at index (min(id) over today's range, so a clock that stepped back is still
  // exact): the check costs what today's payments cost, not the account's whole history. The date filter stays.
  const firstPostingSince = sql`(SELECT min(f.id) FROM ${postings} f WHERE f.transaction_id =
    (SELECT min(t.id) FROM ${transactions} t INDEXED BY transactions_created_at_idx WHERE t.created_at >= ${p('since')}))`;
  const outgoing = db
    // total() is a float sum: exact below 2^53 and it never overflows; beyond that any limit is used up anyway.
    .select({ total: sql<number>`-total(${postings.amount})` })
    .from(postings)
    .innerJoin(transactions, eq(transactions.id, postings.transactionId))
    .where(
      and(
        eq(postings.accountId, p('accountId')),
        gte(postings.id, firstPostingSince),
        lt(postings.amount, 0),
        inArray(transactions.kind, ['withdrawal', 'transfer']),
        gte(transactions.createdAt, p('since')),
      ),
    )
    .prepare();
  return {
    systemPostingKinds: () =>
      (systemKinds.all() as Record<string, unknown>[]).map((row) => ({
        systemCode: String(row['systemCode']),
        kind: String(row['kind']),
        total: joinSum(row, 's'),
      })),
    balanceBefore: (accountId, at) => balanceBefore.get({ accountId, at })?.balance ?? 0,
    entriesBetween: (accountId, since, until) => between.all({ accountId, since, until }),
    outgoingSince: (accountId, since) => outgoing.get({ accountId, since })?.total ?? 0,
    // The rowid of an INTEGER PRIMARY KEY table is its id; cheaper than RETURNING on the hottest write.
    insertTransaction: (row) => Number(insertTransaction.run(row).lastInsertRowid),
    insertPosting: (row) => void insertPosting.run(row),
    history: (accountId, q) =>
      history.all({
        accountId,
        limit: q.limit,
        since: q.since ?? Number.MIN_SAFE_INTEGER,
        until: q.until ?? Number.MAX_SAFE_INTEGER,
      }),
    audit: (q) =>
      audit
        .all({ limit: q.limit, userId: q.userId ?? null, accountId: q.accountId ?? null })
        .map((row) => ({ ...row, postings: JSON.parse(row.postings) as AuditRow['postings'] })),
    balanceCheck() {
      const sums = new Map(
        (postedSums.all() as Record<string, unknown>[]).map((row) => [Number(row['id']), joinSum(row, 's')]),
      );
      return allAccounts.all().map((account) => ({ account, postedSum: sums.get(account.id) ?? 0n }));
    },
    unbalancedTransactions: () =>
      (unbalanced.all() as Record<string, unknown>[]).map((row) => ({
        id: Number(row['id']),
        sum: joinSum(row, 's'),
        postings: Number(row['n']),
      })),
  };
}
