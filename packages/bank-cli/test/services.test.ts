import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { openBank } from '../src/app.js';
import { resolveConfig } from '../src/config.js';
import { listAccounts, openAccount, payeeAccounts } from '../src/domain/accounts.js';
import {
  adminActions,
  auditLog,
  initAdmin,
  listAllAccounts,
  listUsers,
  setUserActive,
  setUserRole,
  verifyLedger,
} from '../src/domain/admin.js';
import { changePassword, register } from '../src/domain/auth.js';
import { login } from '../src/domain/login.js';
import { accountHistory } from '../src/domain/history.js';
import { deposit, transfer, withdraw } from '../src/domain/payments.js';
import { auditView, entryView } from '../src/domain/views.js';
import { PASSWORD, tempDir, testBank } from './helpers.js';
import { rawDatabase } from './raw-database.js';
import { onPostgres, storageFlags } from './test-database.js';
import { join } from 'node:path';

const MIN = 60_000;

async function twoCustomers() {
  const t = testBank();
  const alice = await register(t.bank, 'alice', PASSWORD);
  const bob = await register(t.bank, 'bob', PASSWORD);
  const a = openAccount(t.bank, alice, 'savings', 'Rainy day');
  const b = openAccount(t.bank, bob, 'checking');
  return { ...t, alice, bob, a: a.number!, b: b.number! };
}

const balances = (t: Awaited<ReturnType<typeof twoCustomers>>) =>
  Object.fromEntries(t.bank.store.accounts.listAll().map((a) => [a.owner, a.balance])) as Record<string, number>;

describe('registration', () => {
  it('stores names lower-case and refuses the same name in another case', async () => {
    const { bank } = testBank();
    const user = await register(bank, 'Alice', PASSWORD);
    expect(user).toMatchObject({ username: 'alice', role: 'user', active: true });
    await expect(register(bank, 'ALICE', PASSWORD)).rejects.toThrow('username alice is not available');
  });

  it.each([
    ['al', PASSWORD, 'username must be at least 3 characters'],
    ['a'.repeat(33), PASSWORD, 'username must be at most 32 characters'],
    ['al ice', PASSWORD, 'username may only contain letters a-z, digits, "_", "." and "-"'],
    ['alice', 'short pw', 'password must be at least 12 characters'],
    ['alice', 'my-alice-password', 'password must not contain the username'],
    ['alice', 'é'.repeat(37), 'password must be at most 72 bytes of UTF-8'],
  ])('refuses %j / %j: %s', async (name, password, message) => {
    const { bank } = testBank();
    await expect(register(bank, name, password)).rejects.toMatchObject({ kind: 'validation', message });
  });
});

describe('login', () => {
  it('fails alike for an unknown user, a wrong password and a deactivated user, and records each', async () => {
    const { bank, file } = testBank();
    const admin = await initAdmin(bank, 'root', PASSWORD);
    await register(bank, 'carol', PASSWORD);
    setUserActive(bank, admin, 'carol', false);
    const dummy = vi.spyOn(bank.hasher, 'verifyDummy');

    for (const [name, pw] of [
      ['nobody', PASSWORD],
      ['root', 'wrong password!'],
      ['carol', PASSWORD],
    ] as const) {
      await expect(login(bank, name, pw)).rejects.toMatchObject({
        kind: 'unauthenticated',
        message: 'invalid username or password',
      });
    }
    // The unknown user still paid for a bcrypt comparison.
    expect(dummy).toHaveBeenCalledTimes(1);
    expect(rawDatabase(file).all('SELECT username, reason FROM login_failures ORDER BY id')).toEqual([
      { username: 'nobody', reason: 'unknown_user' },
      { username: 'root', reason: 'bad_password' },
      { username: 'carol', reason: 'inactive' },
    ]);
    expect((await login(bank, 'ROOT', PASSWORD)).username).toBe('root');
  });

  it('locks a name for 15 minutes after 5 failures within 15 minutes, across processes', async () => {
    const { bank, clock, config } = testBank();
    await register(bank, 'dave', PASSWORD);
    for (let i = 0; i < 5; i += 1) {
      clock.now += 2 * MIN;
      await expect(login(bank, 'dave', 'not the password')).rejects.toThrow('invalid username or password');
    }
    // Even the right password is refused now, by another connection too.
    const other = openBank(config, { now: () => clock.now });
    onTestFinished(other.close);
    await expect(login(other.bank, 'dave', PASSWORD)).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'LOCKED',
      message: 'too many failed logins; dave is locked for 15 more minutes',
    });
    clock.now += 14 * MIN;
    await expect(login(bank, 'dave', PASSWORD)).rejects.toThrow('dave is locked for 1 more minute');
    clock.now += MIN;
    expect((await login(bank, 'dave', PASSWORD)).username).toBe('dave');
    // The lock's failures do not count again: one more failure does not re-lock.
    await expect(login(bank, 'dave', 'not the password')).rejects.toThrow('invalid username or password');
    expect((await login(bank, 'dave', PASSWORD)).username).toBe('dave');
  });

  it('does not lock for 5 failures spread over more than 15 minutes', async () => {
    const { bank, clock } = testBank();
    await register(bank, 'erin', PASSWORD);
    for (let i = 0; i < 5; i += 1) {
      clock.now += 4 * MIN;
      await expect(login(bank, 'erin', 'not the password')).rejects.toThrow('invalid username or password');
    }
    expect((await login(bank, 'erin', PASSWORD)).username).toBe('erin');
  });

  it('locks unknown names exactly like real ones', async () => {
    const { bank } = testBank();
    for (let i = 0; i < 5; i += 1) await expect(login(bank, 'ghost', 'whatever12345')).rejects.toThrow('invalid');
    await expect(login(bank, 'ghost', 'whatever12345')).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('changes a password only with the current one', async () => {
    const { bank } = testBank();
    const user = await register(bank, 'fred', PASSWORD);
    await expect(changePassword(bank, user, 'wrong password!', 'another long one')).rejects.toMatchObject({
      kind: 'unauthenticated',
    });
    await expect(changePassword(bank, user, PASSWORD, 'fred is my name!')).rejects.toThrow(
      'password must not contain the username',
    );
    await changePassword(bank, user, PASSWORD, 'another long one');
    await expect(login(bank, 'fred', PASSWORD)).rejects.toThrow('invalid username or password');
    expect((await login(bank, 'fred', 'another long one')).username).toBe('fred');
  });
});

describe('money movements', () => {
  it('deposits, withdraws and transfers with exact balances and history', async () => {
    const t = await twoCustomers();
    const usd = t.bank.store.currency;
    expect(entryView(deposit(t.bank, t.alice, t.a, '100.00', 'salary'), usd)).toEqual({
      id: 1,
      type: 'deposit',
      amount: '100.00',
      balanceAfter: '100.00',
      counterparty: null,
      counterpartyOwner: null,
      note: 'salary',
      createdAt: '2026-01-15T12:00:00.000Z',
      currency: 'USD',
    });
    t.clock.now += 86_400_000;
    expect(entryView(transfer(t.bank, t.alice, t.a, t.b, '30.01'), usd)).toMatchObject({
      id: 2,
      type: 'transfer_out',
      amount: '30.01',
      balanceAfter: '69.99',
      counterparty: t.b,
      counterpartyOwner: 'bob',
    });
    t.clock.now += 86_400_000;
    expect(entryView(withdraw(t.bank, t.bob, t.b, '0.01', 'coffee'), usd)).toMatchObject({
      type: 'withdrawal',
      amount: '0.01',
      balanceAfter: '30.00',
    });
    expect(balances(t)).toEqual({ alice: 6999, bob: 3000 });
    expect(
      accountHistory(t.bank, t.bob, t.b).map((r) => {
        const e = entryView(r, usd);
        return [e.id, e.type, e.amount, e.balanceAfter, e.counterparty, e.createdAt.slice(0, 10)];
      }),
    ).toEqual([
      [3, 'withdrawal', '0.01', '30.00', null, '2026-01-17'],
      [2, 'transfer_in', '30.01', '30.01', t.a, '2026-01-16'],
    ]);
    const days = (since?: string, until?: string, limit?: string) =>
      accountHistory(t.bank, t.alice, t.a, { since, until, limit }).map((r) => r.transactionId);
    expect(days('2026-01-16')).toEqual([2]);
    expect(days(undefined, '2026-01-15')).toEqual([1]);
    expect(days('2026-01-15', '2026-01-16')).toEqual([2, 1]);
    expect(days(undefined, undefined, '1')).toEqual([2]);
    expect(() => days('2026-02-30')).toThrow('--since must be a date as YYYY-MM-DD, got "2026-02-30"');
    expect(() => days('2026-01-17', '2026-01-16')).toThrow('--since must not be after --until');
    expect(() => days(undefined, undefined, '0')).toThrow('--limit must be a whole number from 1 to 10000, got "0"');
    expect(() => verifyLedger(t.bank, { ...t.alice, role: 'admin' })).toThrow('this needs an administrator');
  });

  it('refuses an overdraft and writes nothing', async () => {
    const t = await twoCustomers();
    deposit(t.bank, t.alice, t.a, '10.00');
    expect(() => transfer(t.bank, t.alice, t.a, t.b, '10.01')).toThrow(
      `insufficient funds: ${t.a} has 10.00 USD, needs 10.01`,
    );
    expect(() => withdraw(t.bank, t.alice, t.a, '10.01')).toThrow('insufficient funds');
    expect(balances(t)).toEqual({ alice: 1000, bob: 0 });
    expect(rawDatabase(t.file).get('SELECT count(*) AS n FROM transactions')).toEqual({ n: 1 });
    withdraw(t.bank, t.alice, t.a, '10.00');
    expect(balances(t)).toEqual({ alice: 0, bob: 0 });
  });

  it.each([
    ['deposit into', (t: Awaited<ReturnType<typeof twoCustomers>>) => deposit(t.bank, t.alice, t.b, '1')],
    ['withdraw from', (t: Awaited<ReturnType<typeof twoCustomers>>) => withdraw(t.bank, t.alice, t.b, '1')],
    ['transfer out of', (t: Awaited<ReturnType<typeof twoCustomers>>) => transfer(t.bank, t.alice, t.b, t.a, '1')],
  ])("refuses to %s another user's account", async (_what, act) => {
    const t = await twoCustomers();
    deposit(t.bank, t.bob, t.b, '5');
    expect(() => act(t)).toThrow(
      expect.objectContaining({ kind: 'forbidden', message: `account ${t.b} is not yours` }),
    );
    expect(balances(t)).toEqual({ alice: 0, bob: 500 });
  });

  it('refuses a transfer to the same account, an unknown account, or a deactivated user', async () => {
    const t = await twoCustomers();
    deposit(t.bank, t.alice, t.a, '5');
    expect(() => transfer(t.bank, t.alice, t.a, t.a, '1')).toThrow(
      expect.objectContaining({ kind: 'conflict', message: 'cannot transfer to the same account' }),
    );
    expect(() => transfer(t.bank, t.alice, t.a, '1012345672', '1')).toThrow(
      expect.objectContaining({ kind: 'not_found', message: 'account 1012345672 not found' }),
    );
    const admin = await initAdmin(t.bank, 'root', PASSWORD);
    setUserActive(t.bank, admin, 'bob', false);
    expect(() => transfer(t.bank, t.alice, t.a, t.b, '1')).toThrow(
      expect.objectContaining({
        code: 'INACTIVE',
        message: `account ${t.b} belongs to a deactivated user and cannot receive money`,
      }),
    );
    expect(() => payeeAccounts(t.bank, 'bob')).toThrow('bob has no account that can receive money');
    // A deactivated user's still-open session moves nothing either.
    expect(() => deposit(t.bank, t.bob, t.b, '1')).toThrow('user bob is deactivated');
    setUserActive(t.bank, admin, 'bob', true);
    transfer(t.bank, t.alice, t.a, t.b, '1');
    expect(balances(t)).toMatchObject({ alice: 400, bob: 100 });
  });

  it('a deactivated user is refused first, whichever account they name; an active owner costs one account read', async () => {
    const t = await twoCustomers();
    deposit(t.bank, t.alice, t.a, '5');
    const admin = await initAdmin(t.bank, 'root', PASSWORD);
    setUserActive(t.bank, admin, 'alice', false);
    const refusedAsInactive = (act: () => unknown) =>
      expect(act).toThrow(expect.objectContaining({ code: 'INACTIVE', message: 'user alice is deactivated' }));
    // Own account, someone else's account, and an unknown account: the same first error as before the fast path.
    refusedAsInactive(() => transfer(t.bank, t.alice, t.a, t.b, '1'));
    refusedAsInactive(() => transfer(t.bank, t.alice, t.b, t.a, '1'));
    refusedAsInactive(() => withdraw(t.bank, t.alice, '1012345672', '1'));
    setUserActive(t.bank, admin, 'alice', true);
    expect(() => withdraw(t.bank, t.alice, t.b, '1')).toThrow(
      expect.objectContaining({ code: 'NOT_OWNER', message: `account ${t.b} is not yours` }),
    );
    expect(() => withdraw(t.bank, t.alice, '1012345672', '1')).toThrow(
      expect.objectContaining({ code: 'ACCOUNT_NOT_FOUND', message: 'account 1012345672 not found' }),
    );
    const users = vi.spyOn(t.bank.store.users, 'byId');
    const reads = vi.spyOn(t.bank.store.accounts, 'byId');
    transfer(t.bank, t.alice, t.a, t.b, '1');
    expect(users).not.toHaveBeenCalled();
    expect(reads).not.toHaveBeenCalled();
    expect(balances(t)).toMatchObject({ alice: 400, bob: 100 });
  });

  it('rejects a mistyped account number before any lookup', async () => {
    const t = await twoCustomers();
    const spy = vi.spyOn(t.bank.store.accounts, 'byNumber');
    const typo = t.a.slice(0, 9) + String((Number(t.a[9]) + 1) % 10);
    expect(() => deposit(t.bank, t.alice, typo, '1')).toThrow(
      `account number ${typo} is mistyped (check digit mismatch)`,
    );
    expect(spy).not.toHaveBeenCalled();
  });

  it('retries account numbers that are taken', async () => {
    const { bank, clock } = testBank();
    const user = await register(bank, 'gina', PASSWORD);
    // The second account draws the first one's digits again, then fresh ones.
    const digits = [0, 2, 3, 4, 5, 6, 7, 8, 9, 0, 2, 3, 4, 5, 6, 7, 8, 9, 8, 9, 9, 9, 9, 9, 9, 9, 9];
    let i = 0;
    const seq = { ...bank, randomDigit: () => digits[i++]!, now: () => clock.now };
    expect(openAccount(seq, user, 'savings').number).toBe('1234567897');
    expect(openAccount(seq, user, 'checking').number).toBe('9999999999');
    expect(i).toBe(27);
    expect(listAccounts(bank, user).map((a) => [a.kind, a.name])).toEqual([
      ['savings', 'Savings'],
      ['checking', 'Checking'],
    ]);
  });
});

describe('administration', () => {
  it('creates the first administrator once', async () => {
    const { bank } = testBank();
    const root = await initAdmin(bank, 'root', PASSWORD);
    expect(root.role).toBe('admin');
    await expect(initAdmin(bank, 'other', PASSWORD)).rejects.toMatchObject({ code: 'ADMIN_EXISTS' });
    expect(adminActions(bank, root).map((a) => [a.actor, a.action, a.target])).toEqual([['root', 'init', 'root']]);
  });

  it('changes roles and activity, logs it, and protects administrators from themselves', async () => {
    const { bank } = testBank();
    const root = await initAdmin(bank, 'root', PASSWORD);
    const hank = await register(bank, 'hank', PASSWORD);
    expect(() => listUsers(bank, hank)).toThrow(
      expect.objectContaining({ kind: 'forbidden', message: 'this needs an administrator' }),
    );
    expect(() => setUserActive(bank, root, 'root', false)).toThrow('you cannot deactivate yourself');
    expect(() => setUserRole(bank, root, 'root', 'user')).toThrow('you cannot demote yourself');
    expect(() => setUserRole(bank, root, 'hank', 'boss')).toThrow('role must be user or admin, got "boss"');
    expect(() => setUserRole(bank, root, 'nobody', 'admin')).toThrow(expect.objectContaining({ kind: 'not_found' }));
    setUserRole(bank, root, 'hank', 'admin');
    setUserActive(bank, hank, 'root', false);
    setUserActive(bank, hank, 'root', true);
    setUserRole(bank, hank, 'root', 'user');
    expect(() => listUsers(bank, root)).toThrow('this needs an administrator');
    expect(listUsers(bank, hank).map(({ user }) => [user.username, user.role, user.active])).toEqual([
      ['hank', 'admin', true],
      ['root', 'user', true],
    ]);
    expect(adminActions(bank, hank).map((a) => [a.actor, a.action, a.target, a.detail])).toEqual([
      ['hank', 'role', 'root', 'admin -> user'],
      ['hank', 'activate', 'root', null],
      ['hank', 'deactivate', 'root', null],
      ['root', 'role', 'hank', 'user -> admin'],
      ['root', 'init', 'root', null],
    ]);
  });

  it('audits transactions with filters and verifies the ledger', async () => {
    const t = await twoCustomers();
    const root = await initAdmin(t.bank, 'root', PASSWORD);
    const r = openAccount(t.bank, root, 'checking').number!;
    deposit(t.bank, t.alice, t.a, '50');
    transfer(t.bank, t.alice, t.a, t.b, '20', 'rent');
    deposit(t.bank, root, r, '7');
    const usd = t.bank.store.currency;
    expect(auditLog(t.bank, root).map((row) => auditView(row, usd))).toMatchObject([
      { id: 3, kind: 'deposit', amount: '7.00', from: ['(cash)'], to: [r], actor: 'root' },
      { id: 2, kind: 'transfer', amount: '20.00', from: [t.a], to: [t.b], actor: 'alice', note: 'rent' },
      { id: 1, kind: 'deposit', amount: '50.00', from: ['(cash)'], to: [t.a], actor: 'alice' },
    ]);
    expect(auditLog(t.bank, root, { user: 'bob' }).map((row) => row.id)).toEqual([2]);
    expect(auditLog(t.bank, root, { account: t.a, limit: '1' }).map((row) => row.id)).toEqual([2]);
    expect(() => auditLog(t.bank, t.alice)).toThrow('this needs an administrator');
    expect(verifyLedger(t.bank, root)).toEqual([]);
    expect(listAllAccounts(t.bank, root).map((a) => [a.owner, a.balance])).toEqual([
      ['alice', 3000],
      ['bob', 2000],
      ['root', 700],
    ]);
  });

  it('finds tampering, and the ledger itself refuses edits', async () => {
    const t = await twoCustomers();
    const root = await initAdmin(t.bank, 'root', PASSWORD);
    deposit(t.bank, t.alice, t.a, '50');
    const db = rawDatabase(t.file);
    expect(() => db.run('UPDATE postings SET amount = 1')).toThrow('postings are append-only');
    expect(() => db.run('DELETE FROM transactions')).toThrow('transactions are append-only');
    expect(() => db.run('UPDATE accounts SET balance = -1 WHERE number = ?', t.a)).toThrow(
      onPostgres ? 'violates check constraint "accounts_customer_not_negative"' : 'CHECK constraint failed',
    );
    db.run('UPDATE accounts SET balance = 4900 WHERE number = ?', t.a);
    expect(verifyLedger(t.bank, root)).toEqual([
      `account ${t.a}: balance is 49.00 USD but its postings sum to 50.00 USD`,
      'cash account is -50.00 USD but minus the sum of customer balances is -49.00 USD',
    ]);
  });
});

describe('storage', () => {
  it('refuses an async transaction callback, in the types and at run time', () => {
    const { bank } = testBank();
    // @ts-expect-error statements after an await would run outside the transaction
    expect(() => bank.store.writeTransaction(async () => Promise.resolve(1))).toThrow(
      'Transaction function cannot return a promise',
    );
  });

  it('fixes the currency when the database is created', async () => {
    const file = join(tempDir(), 'eur.db');
    const first = openBank(resolveConfig(storageFlags(file), { BANK_CURRENCY: 'EUR', BANK_BCRYPT_COST: '4' }));
    const user = await register(first.bank, 'ivan', PASSWORD);
    const number = openAccount(first.bank, user, 'savings').number!;
    first.close();
    const again = openBank(resolveConfig(storageFlags(file), { BANK_CURRENCY: 'JPY', BANK_BCRYPT_COST: '4' }));
    onTestFinished(again.close);
    expect(again.bank.store.currency).toEqual({ code: 'EUR', decimals: 2 });
    expect(entryView(deposit(again.bank, user, number, '1.5'), again.bank.store.currency)).toMatchObject({
      amount: '1.50',
      currency: 'EUR',
    });
  });

  it('resolves the database path from flag, then BANK_DB, then the data dir', () => {
    expect(resolveConfig({ db: '/x/flag.db' }, { BANK_DB: '/x/env.db' }).dbFile).toBe('/x/flag.db');
    expect(resolveConfig({}, { BANK_DB: '/x/env.db', BANK_DATA_DIR: '/x/data' }).dbFile).toBe('/x/env.db');
    expect(resolveConfig({}, { BANK_DATA_DIR: '/x/data' }).dbFile).toBe('/x/data/bank.db');
    expect(resolveConfig({}, { HOME: '/home/u' }).dbFile).toBe('/home/u/.local/share/quartet/bank/bank.db');
    expect(resolveConfig({}, {}).bcryptCost).toBe(12);
    expect(() => resolveConfig({}, { BANK_BCRYPT_COST: '3' })).toThrow(
      'bad environment: BANK_BCRYPT_COST: must be a whole number from 4 to 31, got "3"',
    );
  });

  it('takes a PostgreSQL URL from --database-url, then BANK_DATABASE_URL; either wins over the file', () => {
    const flag = 'postgres://u@db1/bank';
    const env = { BANK_DATABASE_URL: 'postgresql://u:secret@db2:5433/bank', BANK_DB: '/x/env.db' };
    expect(resolveConfig({ databaseUrl: flag, db: '/x/flag.db' }, env).databaseUrl).toBe(flag);
    expect(resolveConfig({ db: '/x/flag.db' }, env).databaseUrl).toBe(env.BANK_DATABASE_URL);
    expect(resolveConfig({ db: '/x/flag.db' }, { BANK_DATABASE_URL: '' }).databaseUrl).toBeUndefined();
    expect(() => resolveConfig({ databaseUrl: 'mysql://u:secret@db/bank' }, {})).toThrow(
      /^--database-url: must be a postgres:\/\/ URL$/,
    );
    expect(() => resolveConfig({}, { BANK_DATABASE_URL: '/x/bank.db' })).toThrow(
      /^BANK_DATABASE_URL: must be a postgres:\/\/ URL$/,
    );
  });
});
