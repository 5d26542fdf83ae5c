import { and, count, eq, isNull, or, lt, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { TwoFactorStore } from '../../domain/store.js';
import { recoveryCodes, users } from './schema.js';

export function createTwoFactorRepo(db: BetterSQLite3Database): TwoFactorStore {
  const p = sql.placeholder;
  const setSecret = db
    .update(users)
    .set({ totpSecret: sql`${p('secret')}`, totpLastStep: null })
    .where(eq(users.id, p('id')))
    .prepare();
  // One statement, so two processes cannot both accept the same code.
  const advance = db
    .update(users)
    .set({ totpLastStep: sql`${p('step')}` })
    .where(and(eq(users.id, p('id')), or(isNull(users.totpLastStep), lt(users.totpLastStep, p('step')))))
    .prepare();
  const deleteCodes = db
    .delete(recoveryCodes)
    .where(eq(recoveryCodes.userId, p('id')))
    .prepare();
  const insertCode = db
    .insert(recoveryCodes)
    .values({ userId: p('id'), codeHash: p('hash') })
    .prepare();
  const useCode = db
    .update(recoveryCodes)
    .set({ usedAt: sql`${p('at')}` })
    .where(and(eq(recoveryCodes.userId, p('id')), eq(recoveryCodes.codeHash, p('hash')), isNull(recoveryCodes.usedAt)))
    .prepare();
  const unused = db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, p('id')), isNull(recoveryCodes.usedAt)))
    .prepare();

  return {
    setSecret: (id, secret) => void setSecret.run({ id, secret }),
    advanceStep: (id, step) => advance.run({ id, step }).changes === 1,
    replaceRecoveryCodes(id, hashes) {
      deleteCodes.run({ id });
      for (const hash of hashes) insertCode.run({ id, hash });
    },
    useRecoveryCode: (id, hash, at) => useCode.run({ id, hash, at }).changes === 1,
    unusedRecoveryCodes: (id) => unused.get({ id })?.n ?? 0,
  };
}
