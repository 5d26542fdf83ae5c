import type { LoanStore } from '../../domain/store.js';
import type { Loan, LoanWithOwner, StoredInstalment } from '../../domain/types.js';
import type { PgConnection } from './connection.js';

/** Every column of `loans` (qualified by `table`), named as the domain's Loan. */
function loanColumns(table: string): string {
  return `${table}.id, ${table}.account_id AS "accountId", ${table}.user_id AS "userId", ${table}.principal,
    ${table}.months, ${table}.status, ${table}.rate_bps AS "rateBps", ${table}.applied_at AS "appliedAt",
    ${table}.decided_at AS "decidedAt", ${table}.decided_by AS "decidedBy", ${table}.closed_at AS "closedAt",
    ${table}.principal_paid AS "principalPaid", ${table}.interest_paid AS "interestPaid"`;
}

const WITH_OWNER = `SELECT ${loanColumns('l')}, a.number AS account, u.username AS owner
  FROM loans l JOIN accounts a ON a.id = l.account_id JOIN users u ON u.id = l.user_id`;

export function createLoanRepo(pg: PgConnection): LoanStore {
  const insert = pg.statement<Loan>(
    `INSERT INTO loans (account_id, user_id, principal, months, status, applied_at)
     VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING ${loanColumns('loans')}`,
  );
  const byId = pg.statement<LoanWithOwner>(`${WITH_OWNER} WHERE l.id = $1`);
  const list = pg.statement<LoanWithOwner>(
    `${WITH_OWNER} WHERE ($1::bigint IS NULL OR l.user_id = $1) AND ($2::text IS NULL OR l.status = $2) ORDER BY l.id`,
  );
  const decide = pg.statement(
    `UPDATE loans SET status = $2, rate_bps = $3, decided_at = $4, decided_by = $5 WHERE id = $1`,
  );
  const insertInstalment = pg.statement(
    `INSERT INTO loan_instalments (loan_id, n, due_date, principal, interest, remaining) VALUES ($1, $2, $3, $4, $5, $6)`,
  );
  const instalments = pg.statement<StoredInstalment>(
    `SELECT n, due_date AS "dueDate", principal, interest, remaining FROM loan_instalments WHERE loan_id = $1 ORDER BY n`,
  );
  const pay = pg.statement(
    `UPDATE loans SET principal_paid = principal_paid + $2, interest_paid = interest_paid + $3,
       status = CASE WHEN $4::bigint IS NULL THEN status ELSE 'closed' END, closed_at = $4
     WHERE id = $1`,
  );
  const totals = pg.statement<{ outstanding: string; interest: string }>(
    `SELECT coalesce(sum(principal - principal_paid), 0)::text AS outstanding,
       coalesce(sum(interest_paid), 0)::text AS interest
     FROM loans WHERE status IN ('active', 'closed')`,
  );

  return {
    insert: (row) => insert.get([row.accountId, row.userId, row.principal, row.months, row.appliedAt])!,
    byId: (id) => byId.get([id]),
    list: (f) => list.all([f.userId ?? null, f.status ?? null]),
    decide: (id, d) => decide.run([id, d.status, d.rateBps, d.at, d.by]),
    insertInstalments(loanId, rows) {
      for (const row of rows) {
        insertInstalment.run([loanId, row.n, row.dueDate, row.principal, row.interest, row.remaining]);
      }
    },
    instalments: (loanId) => instalments.all([loanId]),
    recordPayment: (id, principal, interest, closedAt) => pay.run([id, principal, interest, closedAt]),
    totals() {
      const row = totals.get()!;
      return { outstandingPrincipal: BigInt(row.outstanding), interestPaid: BigInt(row.interest) };
    },
  };
}
