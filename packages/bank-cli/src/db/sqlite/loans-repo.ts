import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { LoanStore } from '../../domain/store.js';
import { bigIntStatement, joinSum, splitSum } from './exact-sums.js';
import { accounts, loanInstalments, loans, users } from './schema.js';

export function createLoanRepo(db: BetterSQLite3Database): LoanStore {
  const p = sql.placeholder;
  const insert = db
    .insert(loans)
    .values({
      accountId: p('accountId'),
      userId: p('userId'),
      principal: p('principal'),
      months: p('months'),
      status: 'pending',
      appliedAt: p('appliedAt'),
    })
    .returning()
    .prepare();
  const withOwner = () =>
    db
      .select({ ...getTableColumns(loans), account: sql<string>`${accounts.number}`, owner: users.username })
      .from(loans)
      .innerJoin(accounts, eq(accounts.id, loans.accountId))
      .innerJoin(users, eq(users.id, loans.userId));
  const byId = withOwner()
    .where(eq(loans.id, p('id')))
    .prepare();
  const list = withOwner()
    .where(
      and(
        sql`(${p('userId')} IS NULL OR ${loans.userId} = ${p('userId')})`,
        sql`(${p('status')} IS NULL OR ${loans.status} = ${p('status')})`,
      ),
    )
    .orderBy(asc(loans.id))
    .prepare();
  const decide = db
    .update(loans)
    .set({
      status: sql`${p('status')}`,
      rateBps: sql`${p('rateBps')}`,
      decidedAt: sql`${p('at')}`,
      decidedBy: sql`${p('by')}`,
    })
    .where(eq(loans.id, p('id')))
    .prepare();
  const insertInstalment = db
    .insert(loanInstalments)
    .values({
      loanId: p('loanId'),
      n: p('n'),
      dueDate: p('dueDate'),
      principal: p('principal'),
      interest: p('interest'),
      remaining: p('remaining'),
    })
    .prepare();
  const instalments = db
    .select({
      n: loanInstalments.n,
      dueDate: loanInstalments.dueDate,
      principal: loanInstalments.principal,
      interest: loanInstalments.interest,
      remaining: loanInstalments.remaining,
    })
    .from(loanInstalments)
    .where(eq(loanInstalments.loanId, p('loanId')))
    .orderBy(asc(loanInstalments.n))
    .prepare();
  const pay = db
    .update(loans)
    .set({
      principalPaid: sql`${loans.principalPaid} + ${p('principal')}`,
      interestPaid: sql`${loans.interestPaid} + ${p('interest')}`,
      status: sql`CASE WHEN ${p('closedAt')} IS NULL THEN ${loans.status} ELSE 'closed' END`,
      closedAt: sql`${p('closedAt')}`,
    })
    .where(eq(loans.id, p('id')))
    .prepare();
  const totals = bigIntStatement(
    db,
    `SELECT ${splitSum('principal - principal_paid', 'o')}, ${splitSum('interest_paid', 'i')}
     FROM loans WHERE status IN ('active', 'closed')`,
  );

  return {
    insert: (row) => insert.get(row),
    byId: (id) => byId.get({ id }),
    list: (f) => list.all({ userId: f.userId ?? null, status: f.status ?? null }),
    decide: (id, d) => void decide.run({ id, ...d }),
    insertInstalments(loanId, rows) {
      for (const row of rows) insertInstalment.run({ loanId, ...row });
    },
    instalments: (loanId) => instalments.all({ loanId }),
    recordPayment: (id, principal, interest, closedAt) => void pay.run({ id, principal, interest, closedAt }),
    totals() {
      const row = totals.get() as Record<string, unknown>;
      return { outstandingPrincipal: joinSum(row, 'o'), interestPaid: joinSum(row, 'i') };
    },
  };
}
