import { asc, desc, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { InterestStore } from '../../domain/store.js';
import { bigIntStatement, joinSum, splitSum } from './exact-sums.js';
import { interestPostings, interestRates, interestRuns } from './schema.js';

export function createInterestRepo(db: BetterSQLite3Database): InterestStore {
  const p = sql.placeholder;
  const insertRate = db
    .insert(interestRates)
    .values({
      accountType: p('accountType'),
      bps: p('bps'),
      effectiveFrom: p('effectiveFrom'),
      actorId: p('actorId'),
      createdAt: p('createdAt'),
    })
    .prepare();
  const columns = {
    id: interestRates.id,
    accountType: interestRates.accountType,
    bps: interestRates.bps,
    effectiveFrom: interestRates.effectiveFrom,
    createdAt: interestRates.createdAt,
  };
  const ratesOf = db
    .select(columns)
    .from(interestRates)
    .where(eq(interestRates.accountType, p('type')))
    .orderBy(asc(interestRates.effectiveFrom), asc(interestRates.id))
    .prepare();
  const allRates = db
    .select(columns)
    .from(interestRates)
    .orderBy(asc(interestRates.accountType), asc(interestRates.effectiveFrom), asc(interestRates.id))
    .prepare();
  const run = db
    .select()
    .from(interestRuns)
    .where(eq(interestRuns.month, p('month')))
    .prepare();
  const lastRun = db
    .select({ month: interestRuns.month })
    .from(interestRuns)
    .orderBy(desc(interestRuns.month))
    .limit(1)
    .prepare();
  const insertRun = db
    .insert(interestRuns)
    .values({
      month: p('month'),
      actorId: p('actorId'),
      accounts: p('accounts'),
      total: p('total'),
      createdAt: p('createdAt'),
    })
    .prepare();
  const insertPosting = db
    .insert(interestPostings)
    .values({
      month: p('month'),
      accountId: p('accountId'),
      transactionId: p('transactionId'),
      amount: p('amount'),
    })
    .prepare();
  const total = bigIntStatement(db, `SELECT ${splitSum('amount', 't')} FROM interest_postings`);

  return {
    insertRate: (row) => void insertRate.run(row),
    rates: (type) => (type === undefined ? allRates.all() : ratesOf.all({ type })),
    run: (month) => run.get({ month }),
    lastRunMonth: () => lastRun.get()?.month,
    insertRun: (row) => void insertRun.run(row),
    insertPosting: (row) => void insertPosting.run(row),
    postedTotal: () => joinSum(total.get() as Record<string, unknown>, 't'),
  };
}
