import { asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { AccountStore } from '../../domain/store.js';
import type { AccountWithOwner } from '../../domain/types.js';
import { accounts, users } from './schema.js';

export function createAccountRepo(db: BetterSQLite3Database): AccountStore {
  const p = sql.placeholder;
  const withOwner = () =>
    db
      .select({
        id: accounts.id,
        number: accounts.number,
        systemCode: accounts.systemCode,
        ownerId: accounts.ownerId,
        kind: accounts.kind,
        name: accounts.name,
        balance: accounts.balance,
        createdAt: accounts.createdAt,
        owner: users.username,
        // System accounts have no owner and are always active.
        ownerActive: sql<number>`coalesce(${users.active}, 1)`,
      })
      .from(accounts)
      .leftJoin(users, eq(users.id, accounts.ownerId));

  const byNumber = withOwner()
    .where(eq(accounts.number, p('number')))
    .prepare();
  const byId = withOwner()
    .where(eq(accounts.id, p('id')))
    .prepare();
  const byOwner = withOwner()
    .where(eq(accounts.ownerId, p('ownerId')))
    .orderBy(asc(accounts.id))
    .prepare();
  const all = withOwner().where(isNotNull(accounts.number)).orderBy(asc(users.username), asc(accounts.id)).prepare();
  const bySystemCode = db
    .select()
    .from(accounts)
    .where(eq(accounts.systemCode, p('code')))
    .prepare();
  const insert = db
    .insert(accounts)
    .values({
      number: p('number'),
      systemCode: p('systemCode'),
      ownerId: p('ownerId'),
      kind: p('kind'),
      name: p('name'),
      createdAt: p('createdAt'),
    })
    .returning()
    .prepare();
  const setBalance = db
    .update(accounts)
    .set({ balance: sql`${p('balance')}` })
    .where(eq(accounts.id, p('id')))
    .prepare();

  type Row = Omit<AccountWithOwner, 'ownerActive'> & { ownerActive: number };
  const toAccount = (row: Row | undefined): AccountWithOwner | undefined =>
    row && { ...row, ownerActive: row.ownerActive === 1 };

  return {
    byNumber: (number) => toAccount(byNumber.get({ number })),
    byId: (id) => toAccount(byId.get({ id })),
    bySystemCode: (code) => bySystemCode.get({ code }),
    insert: (account) => insert.get(account),
    listByOwner: (ownerId) => (byOwner.all({ ownerId }) as Row[]).map((row) => toAccount(row)!),
    listAll: () => (all.all() as Row[]).map((row) => toAccount(row)!),
    setBalance: (id, balance) => void setBalance.run({ id, balance }),
    // BEGIN IMMEDIATE holds the database's one write lock already.
    lock: () => {},
  };
}
