import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { serviceForTests, serviceUrl } from '@quartet/core';
import { generateSync } from 'otplib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openBank } from '../src/app.js';
import { resolveConfig } from '../src/config.js';
import { databaseName } from '../src/db/copy-to-pg.js';
import { PgConnection } from '../src/db/pg/connection.js';
import { openAccount } from '../src/domain/accounts.js';
import { initAdmin } from '../src/domain/admin.js';
import { setAlerts } from '../src/domain/alerts.js';
import { register } from '../src/domain/auth.js';
import { requestEmail, verifyEmail } from '../src/domain/email.js';
import { accrueInterest, setInterestRate } from '../src/domain/interest.js';
import { applyForLoan, approveLoan, repayLoan } from '../src/domain/loans.js';
import { login, MAX_FAILURES } from '../src/domain/login.js';
import { deposit, transfer, withdraw } from '../src/domain/payments.js';
import { setTransferFee } from '../src/domain/pricing.js';
import { beginEnrolment, confirmEnrolment } from '../src/domain/two-factor.js';
import { adminAndAlice, PASSWORD, runBank, tempDir } from './helpers.js';

const postgres = await serviceForTests('postgres');
if (!postgres.available) console.warn(`bank migrate-to-postgres tests ${postgres.reason}`);

const at = (iso: string) => Date.parse(iso);

/** A database of this test's own, dropped after it. */
function freshDatabase(): string {
  const name = `bank_migrate_${randomBytes(5).toString('hex')}`;
  const admin = PgConnection.open(serviceUrl('postgres'), 'bank tests');
  admin.query(`CREATE DATABASE ${name}`);
  onTestFinished(() => {
    admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    admin.close();
  });
  const url = new URL(serviceUrl('postgres'));
  url.pathname = `/${name}`;
  return url.href;
}

/** SQL on the target, on a session of the test's own. */
function onTarget<T>(url: string, fn: (pg: PgConnection) => T): T {
  const pg = PgConnection.open(url, 'bank tests');
  try {
    return fn(pg);
  } finally {
    pg.close();
  }
}

const TABLES = [
  'users',
  'accounts',
  'admin_actions',
  'alert_settings',
  'daily_limits',
  'interest_runs',
  'transactions',
  'interest_postings',
  'interest_rates',
  'loans',
  'loan_instalments',
  'login_failures',
  'login_locks',
  'mail_outbox',
  'meta',
  'notifications',
  'postings',
  'recovery_codes',
  'transfer_fees',
  'user_emails',
];

/** Every row of every table, booleans as SQLite stores them, sorted: the two databases must hold the same. */
function everyRow(file: string, url: string) {
  const sorted = (rows: Record<string, unknown>[]) =>
    rows
      .map((row) => JSON.stringify(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v])))
      .sort();
  const sqlite = new Database(file, { readonly: true });
  try {
    return onTarget(url, (pg) =>
      TABLES.map((t) => ({
        table: t,
        sqlite: sorted(sqlite.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[]),
        postgres: sorted(pg.query(`SELECT * FROM ${t}`)),
      })),
    );
  } finally {
    sqlite.close();
  }
}

function rowCounts(url: string): Record<string, number> {
  return onTarget(url, (pg) =>
    Object.fromEntries(
      TABLES.map((t) => [t, pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)[0]!.n] as const),
    ),
  );
}

/**
 * A SQLite bank with something in every table the domain writes: an admin, three users, savings and checking,
 * deposits, a withdrawal, transfers with a fee, a loan applied for, approved and repaid, a month's interest,
 * two-factor login with recovery codes, a lockout, alerts and their notices, a verified e-mail address and notices
 * queued for it.
 */
async function richBank() {
  const file = join(tempDir(), 'bank.db');
  const clock = { now: at('2026-01-01T10:00:00Z') };
  // With SMTP configured, carol's notices are queued for e-mail (nothing here sends them).
  const config = resolveConfig({ db: file }, { BANK_BCRYPT_COST: '4', BANK_SMTP_URL: 'smtp://127.0.0.1:1' });
  const { bank, close } = openBank(config, { now: () => clock.now });
  try {
    const root = await initAdmin(bank, 'root', PASSWORD);
    const [alice, bob, carol] = [
      await register(bank, 'alice', PASSWORD),
      await register(bank, 'bob', PASSWORD),
      await register(bank, 'carol', PASSWORD),
    ];
    const aliceSavings = openAccount(bank, alice, 'savings').number!;
    const bobChecking = openAccount(bank, bob, 'checking').number!;
    const carolSavings = openAccount(bank, carol, 'savings', 'Rainy day').number!;
    const carolChecking = openAccount(bank, carol, 'checking').number!;
    const { code } = requestEmail(bank, carol, 'carol@example.com');
    verifyEmail(bank, carol, code);
    setInterestRate(bank, root, 'savings', '2.5');
    setTransferFee(bank, root, 'checking', { fixed: '0.50' });
    setAlerts(bank, alice, { large: '10.00', low: '5.00' });
    deposit(bank, alice, aliceSavings, '1000.00', 'salary');
    deposit(bank, bob, bobChecking, '300.00');
    clock.now = at('2026-01-10T09:30:00Z');
    transfer(bank, bob, bobChecking, aliceSavings, '120.00', 'rent share');
    transfer(bank, alice, aliceSavings, carolSavings, '50.00');
    withdraw(bank, alice, aliceSavings, '20.00');
    deposit(bank, carol, carolChecking, '40.00');
    applyForLoan(bank, carol, carolChecking, '1000.00', '3');
    approveLoan(bank, root, '1', '12');
    clock.now = at('2026-02-03T08:00:00Z');
    accrueInterest(bank, root, '2026-01');
    repayLoan(bank, carol, '1');
    const { secret } = beginEnrolment(bank, alice);
    const recovery = confirmEnrolment(bank, alice, secret, generateSync({ secret, epoch: clock.now / 1000 }));
    for (let i = 0; i < MAX_FAILURES; i++) await login(bank, 'bob', 'wrong').catch(() => undefined);
    // Logins at the real time, as the CLI's will be: the notices a login writes (failed attempts, statements due)
    // exist before the copy, so the later logins on either side add nothing the other lacks.
    clock.now = Date.now();
    for (const name of ['root', 'bob', 'carol']) await login(bank, name, PASSWORD);
    await login(bank, 'alice', PASSWORD, () => Promise.resolve(recovery[9]!));
    // And a lockout in force.
    for (let i = 0; i < MAX_FAILURES; i++) await login(bank, 'mallory', 'guess').catch(() => undefined);
    return { file, secret, recovery, aliceSavings, bobChecking, carolSavings, carolChecking };
  } finally {
    close();
  }
}

const sqliteEnv = (file: string, user: string, extra: Record<string, string> = {}) => ({
  BANK_DB: file,
  BANK_USER: user,
  BANK_PASSWORD: PASSWORD,
  ...extra,
});
const migrateArgs = (url: string, ...more: string[]) => [
  'admin',
  'migrate-to-postgres',
  '--database-url',
  url,
  ...more,
];

// The bank-pg project runs every test with BANK_DATABASE_URL set; this one needs a SQLite source of its own.
describe.skipIf(!postgres.available)('bank admin migrate-to-postgres', () => {
  it('copies every table in one go; verify passes on both; the same commands print the same on both', async () => {
    const w = await richBank();
    const url = freshDatabase();
    const result = await runBank(migrateArgs(url), { env: sqliteEnv(w.file, 'root') });
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: `${[
        `Copied the SQLite bank into ${databaseName(url)} in one transaction:`,
        'TABLE              ROWS',
        'users                 4',
        'accounts              9',
        'admin_actions         5',
        'alert_settings        1',
        'daily_limits          0',
        'interest_runs         1',
        'transactions         11',
        'interest_postings     2',
        'interest_rates        1',
        'loans                 1',
        'loan_instalments      3',
        'login_failures       10',
        'login_locks           2',
        'mail_outbox           3',
        'meta                  2',
        'notifications        11',
        'postings             23',
        'recovery_codes       10',
        'transfer_fees         1',
        'user_emails           1',
        'verify (SQLite): ledger OK',
        'verify (PostgreSQL): ledger OK',
        'balances: 9 accounts identical',
      ].join('\n')}\n`,
    });

    for (const { table, sqlite, postgres } of everyRow(w.file, url)) expect(postgres, table).toEqual(sqlite);

    // From here on the PostgreSQL bank must answer exactly as the file does.
    const pgEnv = (user: string, extra: Record<string, string> = {}) => ({
      ...sqliteEnv(w.file, user, extra),
      BANK_DATABASE_URL: url,
    });
    const both = async (user: string, args: string[], extra: Record<string, string> = {}) => {
      const [onSqlite, onPg] = await Promise.all([
        runBank(args, { env: sqliteEnv(w.file, user, extra) }),
        runBank(args, { env: pgEnv(user, extra) }),
      ]);
      expect(onPg, `bank ${args.join(' ')} as ${user}`).toEqual(onSqlite);
      expect(onSqlite.code, `${args.join(' ')}: ${onSqlite.stderr}`).toBe(0);
      return onSqlite;
    };
    // Two-factor login: a current code on each side (each bank remembers its own last step), then recovery codes.
    const totp = { BANK_TOTP: generateSync({ secret: w.secret }) };
    expect((await both('alice', ['accounts'], totp)).stdout).toContain(w.aliceSavings);
    expect((await both('alice', ['history', w.aliceSavings], { BANK_TOTP: w.recovery[0]! })).stdout).toContain(
      'rent share',
    );
    await both('alice', ['2fa', 'status'], { BANK_TOTP: w.recovery[1]! });
    await both('alice', ['notifications', '--json'], { BANK_TOTP: w.recovery[2]! });
    await both('bob', ['notifications', '--json']);
    await both('carol', ['history', w.carolChecking]);
    await both('carol', ['loans', 'show', '1']);
    await both('carol', ['profile']);
    await both('root', ['admin', 'audit', '--limit', '100']);
    await both('root', ['admin', 'users']);
    await both('root', ['admin', 'accounts']);
    expect((await both('root', ['admin', 'verify'])).stdout).toBe('ledger OK\n');
    // The identities carry on after the copied ids: the next transaction is #12 on both.
    const next = await both('bob', ['deposit', w.bobChecking, '1.00']);
    expect(next.stdout).toContain('Transaction #12.');
  }, 180_000); // some 30 processes: more than the default allows on a busy machine

  it('says the same as data with --json', async () => {
    const w = await richBank();
    const url = freshDatabase();
    const result = await runBank(migrateArgs(url, '--json'), { env: sqliteEnv(w.file, 'root') });
    expect(result.code).toBe(0);
    const data = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(data).toMatchObject({
      target: databaseName(url),
      ok: true,
      verify: { sqlite: [], postgres: [] },
      accounts: 9,
      differences: [],
    });
    expect(data['tables']).toContainEqual({ table: 'postings', sqlite: 23, postgres: 23 });
  });

  it('refuses a target that holds a bank, and leaves it as it was', async () => {
    const w = await richBank();
    const url = freshDatabase();
    expect((await runBank(migrateArgs(url), { env: sqliteEnv(w.file, 'root') })).code).toBe(0);
    const before = rowCounts(url);
    expect(await runBank(migrateArgs(url), { env: sqliteEnv(w.file, 'root') })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `bank: ${databaseName(url)} is not empty (users, accounts, admin_actions, alert_settings, interest_runs, ` +
        'transactions, interest_postings, interest_rates, loans, loan_instalments, login_failures, login_locks, ' +
        'mail_outbox, notifications, postings, recovery_codes, transfer_fees, user_emails hold rows); ' +
        'migrate-to-postgres copies into an empty database only\n',
    });
    expect(rowCounts(url)).toEqual(before);
  });

  it('needs an administrator', async () => {
    const w = await richBank();
    const url = freshDatabase();
    expect(await runBank(migrateArgs(url), { env: sqliteEnv(w.file, 'bob') })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: this needs an administrator\n',
    });
    expect(onTarget(url, (pg) => pg.query(`SELECT to_regclass('users') AS t`)[0])).toEqual({ t: null });
  });

  it('refuses when bank itself is pointed at PostgreSQL: the source must be the SQLite file', async () => {
    const w = await richBank();
    const url = freshDatabase();
    const line =
      'bank: migrate-to-postgres copies a SQLite bank: unset BANK_DATABASE_URL and bank --database-url ' +
      '(the target is the subcommand’s --database-url)\n';
    const viaEnv = await runBank(migrateArgs(url), { env: { ...sqliteEnv(w.file, 'root'), BANK_DATABASE_URL: url } });
    expect(viaEnv).toEqual({ code: 2, stdout: '', stderr: line });
    const viaFlag = await runBank(['--database-url', url, ...migrateArgs(url)], { env: sqliteEnv(w.file, 'root') });
    expect(viaFlag).toEqual({ code: 2, stdout: '', stderr: line });
    const notAUrl = await runBank(migrateArgs('mysql://x'), { env: sqliteEnv(w.file, 'root') });
    expect(notAUrl).toEqual({ code: 2, stdout: '', stderr: 'bank: --database-url: must be a postgres:// URL\n' });
  });

  it('says in one line that an unreachable target cannot be reached (exit 6)', async () => {
    const w = await richBank();
    const result = await runBank(migrateArgs('postgres://postgres@127.0.0.1:1/nowhere'), {
      env: sqliteEnv(w.file, 'root'),
    });
    expect(result.code).toBe(6);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^bank: cannot connect to PostgreSQL: [^\n]+\n$/);
  });

  it('writes nothing when PostgreSQL refuses a row halfway; a bootstrapped target is fine to copy into', async () => {
    const w = await richBank();
    const url = freshDatabase();
    // What any `bank --database-url` does first, before it asks who you are: migrate, fix the currency, create the
    // system accounts.
    expect(await runBank(['accounts'], { env: { BANK_DATABASE_URL: url } })).toMatchObject({ code: 2 });
    onTarget(url, (pg) => pg.query('ALTER TABLE postings ADD CONSTRAINT test_refuses CHECK (id < 15)'));
    const before = rowCounts(url);
    expect(before).toMatchObject({ meta: 2, accounts: 5, users: 0, transactions: 0, postings: 0 });
    expect(await runBank(migrateArgs(url), { env: sqliteEnv(w.file, 'root') })).toEqual({
      code: 1,
      stdout: '',
      stderr:
        `bank: copying into ${databaseName(url)} failed (table postings): new row for relation "postings" ` +
        'violates check constraint "test_refuses"; nothing was written\n',
    });
    expect(rowCounts(url)).toEqual(before);

    onTarget(url, (pg) => pg.query('ALTER TABLE postings DROP CONSTRAINT test_refuses'));
    const again = await runBank(migrateArgs(url), { env: sqliteEnv(w.file, 'root') });
    expect(again.stdout).toContain('balances: 9 accounts identical');
    expect(again.code).toBe(0);
  });

  it('lists every difference and exits 1 when the copy does not say what the file says', async () => {
    const w = await adminAndAlice();
    deposit(w.bank, w.alice, w.savings, '100.00');
    const url = freshDatabase();
    expect(await runBank(['accounts'], { env: { BANK_DATABASE_URL: url } })).toMatchObject({ code: 2 });
    // A target that skims a cent off every customer account it is given.
    onTarget(url, (pg) => {
      pg.query(`CREATE FUNCTION test_skim() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN IF NEW.number IS NOT NULL THEN NEW.balance := NEW.balance - 1; END IF; RETURN NEW; END $$`);
      pg.query('CREATE TRIGGER test_skim BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION test_skim()');
    });
    const result = await runBank(migrateArgs(url), { env: sqliteEnv(w.file, 'root') });
    expect(result.stdout).toContain(
      [
        'verify (SQLite): ledger OK',
        `verify (PostgreSQL): account ${w.savings}: balance is 99.99 USD but its postings sum to 100.00 USD`,
        'verify (PostgreSQL): cash account is -100.00 USD but minus the sum of customer balances is -99.99 USD',
        'differences:',
        `  account 6 ${w.savings}: 100.00 USD in SQLite, 99.99 USD in PostgreSQL`,
        '',
      ].join('\n'),
    );
    expect(result).toMatchObject({ code: 1, stderr: '' });
  });

  it('copies a ledger of 100,000 postings in seconds', async () => {
    const file = join(tempDir(), 'bank.db');
    const { bank, close } = openBank(resolveConfig({ db: file }, { BANK_BCRYPT_COST: '4' }));
    const root = await initAdmin(bank, 'root', PASSWORD);
    const from = openAccount(bank, root, 'checking').number!;
    const to = openAccount(bank, root, 'savings').number!;
    deposit(bank, root, from, '1000000.00');
    bank.store.writeTransaction(() => {
      for (let i = 0; i < 49_999; i++) transfer(bank, root, from, to, '0.01');
    });
    close();
    const url = freshDatabase();
    const started = Date.now();
    const result = await runBank(migrateArgs(url), { env: sqliteEnv(file, 'root') });
    const seconds = (Date.now() - started) / 1000;
    expect(result.stdout).toMatch(/^postings +100000$/m);
    expect(result.stdout).toContain('balances: 7 accounts identical');
    expect(result.code).toBe(0);
    expect(seconds).toBeLessThan(30);
  });
});
