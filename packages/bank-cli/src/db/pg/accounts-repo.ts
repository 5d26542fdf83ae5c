import type { AccountStore } from '../../domain/store.js';
import type { Account, AccountWithOwner } from '../../domain/types.js';
import type { PgConnection } from './connection.js';

/** An accounts row (alias `a`) as the domain's Account. */
export const ACCOUNT = `a.id, a.number, a.system_code AS "systemCode", a.owner_id AS "ownerId", a.kind, a.name,
  a.balance, a.created_at AS "createdAt"`;

// System accounts have no owner and are always active.
const WITH_OWNER = `SELECT ${ACCOUNT}, u.username AS owner, coalesce(u.active, true) AS "ownerActive"
  FROM accounts a LEFT JOIN users u ON u.id = a.owner_id`;

export function createAccountRepo(pg: PgConnection): AccountStore {
  const byNumber = pg.statement<AccountWithOwner>(`${WITH_OWNER} WHERE a.number = $1`);
  const byId = pg.statement<AccountWithOwner>(`${WITH_OWNER} WHERE a.id = $1`);
  const byOwner = pg.statement<AccountWithOwner>(`${WITH_OWNER} WHERE a.owner_id = $1 ORDER BY a.id`);
  // "C": byte order, as SQLite's BINARY collation sorts, whatever the database's locale.
  const all = pg.statement<AccountWithOwner>(
    `${WITH_OWNER} WHERE a.number IS NOT NULL ORDER BY u.username COLLATE "C", a.id`,
  );
  const bySystemCode = pg.statement<Account>(`SELECT ${ACCOUNT} FROM accounts a WHERE a.system_code = $1`);
  const insert = pg.statement<Account>(
    `INSERT INTO accounts AS a (number, system_code, owner_id, kind, name, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ACCOUNT}`,
  );
  const setBalance = pg.statement(`UPDATE accounts SET balance = $2 WHERE id = $1`);
  // Row locks in ascending id order: two opposite transfers queue on their first account instead of deadlocking.
  const lock = pg.statement(`SELECT id FROM accounts WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE`);

  return {
    byNumber: (number) => byNumber.get([number]),
    byId: (id) => byId.get([id]),
    bySystemCode: (code) => bySystemCode.get([code]),
    insert: (account) =>
      insert.get([account.number, account.systemCode, account.ownerId, account.kind, account.name, account.createdAt])!,
    listByOwner: (ownerId) => byOwner.all([ownerId]),
    listAll: () => all.all(),
    setBalance: (id, balance) => setBalance.run([id, balance]),
    // libpq sends parameters as text: an array goes as a PostgreSQL array literal.
    lock: (ids) => lock.run([`{${ids.join(',')}}`]),
  };
}
