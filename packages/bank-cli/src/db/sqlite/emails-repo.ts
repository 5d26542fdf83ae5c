import { eq, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { EmailStore } from '../../domain/store.js';
import { userEmails } from './schema.js';

export function createEmailRepo(db: BetterSQLite3Database): EmailStore {
  const p = sql.placeholder;
  const get = db
    .select({
      address: userEmails.address,
      verifiedAt: userEmails.verifiedAt,
      codeHash: userEmails.codeHash,
      codeExpiresAt: userEmails.codeExpiresAt,
      codeTries: userEmails.codeTries,
    })
    .from(userEmails)
    .where(eq(userEmails.userId, p('userId')))
    .prepare();
  const set = db
    .insert(userEmails)
    .values({ userId: p('userId'), address: p('address'), codeHash: p('hash'), codeExpiresAt: p('expiresAt') })
    .onConflictDoUpdate({
      target: userEmails.userId,
      set: {
        address: sql`excluded.address`,
        verifiedAt: null,
        codeHash: sql`excluded.code_hash`,
        codeExpiresAt: sql`excluded.code_expires_at`,
        codeTries: 0,
      },
    })
    .prepare();
  const setTries = db
    .update(userEmails)
    .set({ codeTries: sql`${p('tries')}` })
    .where(eq(userEmails.userId, p('userId')))
    .prepare();
  const verified = db
    .update(userEmails)
    .set({ verifiedAt: sql`${p('at')}`, codeHash: null, codeExpiresAt: null, codeTries: 0 })
    .where(eq(userEmails.userId, p('userId')))
    .prepare();
  const remove = db
    .delete(userEmails)
    .where(eq(userEmails.userId, p('userId')))
    .prepare();
  return {
    get: (userId) => get.get({ userId }),
    setAddress: (userId, address, code) =>
      void set.run({ userId, address, hash: code.hash, expiresAt: code.expiresAt }),
    setTries: (userId, tries) => void setTries.run({ userId, tries }),
    markVerified: (userId, at) => void verified.run({ userId, at }),
    remove: (userId) => void remove.run({ userId }),
  };
}
