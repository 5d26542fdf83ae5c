import { asc, eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { PricingStore } from '../../domain/store.js';
import { dailyLimits, transferFees } from './schema.js';

export function createPricingRepo(db: BetterSQLite3Database): PricingStore {
  const p = sql.placeholder;
  const upsertLimit = db
    .insert(dailyLimits)
    .values({ accountType: p('type'), amount: p('amount') })
    .onConflictDoUpdate({ target: dailyLimits.accountType, set: { amount: sql`excluded.amount` } })
    .prepare();
  const deleteLimit = db
    .delete(dailyLimits)
    .where(eq(dailyLimits.accountType, p('type')))
    .prepare();
  const limits = db.select().from(dailyLimits).orderBy(asc(dailyLimits.accountType)).prepare();
  const upsertFee = db
    .insert(transferFees)
    .values({
      accountType: p('type'),
      kind: p('kind'),
      fixed: p('fixed'),
      bps: p('bps'),
      min: p('min'),
      max: p('max'),
    })
    .onConflictDoUpdate({
      target: transferFees.accountType,
      set: {
        kind: sql`excluded.kind`,
        fixed: sql`excluded.fixed`,
        bps: sql`excluded.bps`,
        min: sql`excluded.min`,
        max: sql`excluded.max`,
      },
    })
    .prepare();
  const deleteFee = db
    .delete(transferFees)
    .where(eq(transferFees.accountType, p('type')))
    .prepare();
  const fees = db.select().from(transferFees).orderBy(asc(transferFees.accountType)).prepare();
  // The limit as a scalar subquery beside the fee row, so a payment reads both in one statement.
  const rules = db
    .select({
      dailyLimit: sql<
        number | null
      >`(SELECT ${dailyLimits.amount} FROM ${dailyLimits} WHERE ${dailyLimits.accountType} = ${p('type')})`,
      fee: transferFees,
    })
    .from(sql`(SELECT 1)`)
    .leftJoin(transferFees, eq(transferFees.accountType, p('type')))
    .prepare();

  return {
    rules: (type) => {
      const row = rules.get({ type });
      return { dailyLimit: row?.dailyLimit ?? undefined, fee: row?.fee ?? undefined };
    },
    setDailyLimit: (type, amount) =>
      void (amount === null ? deleteLimit.run({ type }) : upsertLimit.run({ type, amount })),
    limits: () => limits.all(),
    setFee: (type, f) => void (f === null ? deleteFee.run({ type }) : upsertFee.run({ type, ...f })),
    fees: () => fees.all(),
  };
}
