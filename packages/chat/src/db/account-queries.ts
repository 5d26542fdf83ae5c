import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { asc, eq } from 'drizzle-orm';
import type { AccountStore } from './account-store.js';
import * as schema from './schema.js';

/** The account queries on the chat database. */
export function sqliteAccounts(db: BetterSQLite3Database<typeof schema>): AccountStore {
  const { accounts } = schema;
  const columns = {
    name: accounts.name,
    nameKey: accounts.nameKey,
    passwordHash: accounts.passwordHash,
    email: accounts.email,
    verifyCode: accounts.verifyCode,
    oper: accounts.oper,
    createdAt: accounts.createdAt,
  };
  return {
    create(account) {
      return db.insert(accounts).values(account).onConflictDoNothing({ target: accounts.nameKey }).run().changes > 0;
    },
    find(nameKey) {
      return db.select(columns).from(accounts).where(eq(accounts.nameKey, nameKey)).get();
    },
    markVerified(nameKey) {
      return db.update(accounts).set({ verifyCode: null }).where(eq(accounts.nameKey, nameKey)).run().changes > 0;
    },
    setOper(nameKey, oper) {
      return db.update(accounts).set({ oper }).where(eq(accounts.nameKey, nameKey)).run().changes > 0;
    },
    list() {
      return db.select(columns).from(accounts).orderBy(asc(accounts.nameKey)).all();
    },
  };
}
