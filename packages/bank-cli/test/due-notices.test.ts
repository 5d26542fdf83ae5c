import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyMigrations, openSqlite } from '@quartet/core/sqlite';
import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { initAdmin } from '../src/domain/admin.js';
import { formatMoney } from '../src/domain/currency.js';
import { applyForLoan, approveLoan, repayLoan, showLoan } from '../src/domain/loans.js';
import { login } from '../src/domain/login.js';
import { listNotifications } from '../src/domain/notifications.js';
import { deposit, transfer } from '../src/domain/payments.js';
import { MIGRATIONS_FOLDER } from '../src/db/sqlite/store.js';
import { makeUser, PASSWORD, tempDir, testBank } from './helpers.js';
import { onPostgres } from './test-database.js';

const at = (day: string) => Date.parse(`${day}T12:00:00Z`);

describe('time-based notifications, made at login', () => {
  it('notifies a loan instalment due within 3 days once, and last month’s statement once a month', async () => {
    const t = testBank(undefined, at('2026-01-15'));
    const root = await initAdmin(t.bank, 'root', PASSWORD);
    const alice = await makeUser(t.bank, 'alice');
    const a = openAccount(t.bank, alice, 'savings').number!;
    deposit(t.bank, alice, a, '500.00');
    applyForLoan(t.bank, alice, a, '300.00', '3');
    approveLoan(t.bank, root, '1', '12');
    const [first, second] = showLoan(t.bank, alice, '1').schedule;
    const due = (i: typeof first) => formatMoney(i!.principal + i!.interest, t.bank.store.currency);
    expect([first?.dueDate, second?.dueDate]).toEqual(['2026-02-15', '2026-03-15']);
    const texts = () => listNotifications(t.bank, alice, false).map((n) => [n.kind, n.message]);
    const loginOn = async (day: string) => {
      t.clock.now = at(day);
      await login(t.bank, 'alice', PASSWORD);
    };

    await loginOn('2026-01-31');
    expect(texts()).toEqual([]);
    await loginOn('2026-02-11'); // four days before the first instalment
    expect(texts()).toEqual([
      ['statement', `Your statement for 2026-01 is ready (${a}): bank statement ACCOUNT --month 2026-01.`],
    ]);
    await loginOn('2026-02-12');
    await loginOn('2026-02-13');
    await loginOn('2026-02-20'); // overdue and unpaid: still the one notice
    const loanDue1 = ['loan_due', `Loan #1: instalment 1 (${due(first)} USD) is due on 2026-02-15.`];
    const january = [
      'statement',
      `Your statement for 2026-01 is ready (${a}): bank statement ACCOUNT --month 2026-01.`,
    ];
    expect(texts()).toEqual([loanDue1, january]);

    repayLoan(t.bank, alice, '1');
    await loginOn('2026-03-11');
    await loginOn('2026-03-12');
    await loginOn('2026-03-12');
    expect(texts()).toEqual([
      ['loan_due', `Loan #1: instalment 2 (${due(second)} USD) is due on 2026-03-15.`],
      ['statement', `Your statement for 2026-02 is ready (${a}): bank statement ACCOUNT --month 2026-02.`],
      loanDue1,
      january,
    ]);
  });
});

describe.skipIf(onPostgres)('migration 0003 (notifications) on SQLite', () => {
  it('upgrades a database made by 0000-0002: existing users get notifications and alerts', () => {
    const file = join(tempDir(), 'bank.db');
    const folder = join(tempDir(), 'migrations');
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalFile = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
    writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, 3) }));
    const old = openSqlite({ file });
    expect(applyMigrations(old.sqlite, folder)).toBe(3);
    const insertUser = old.sqlite.prepare(
      `INSERT INTO users (username, password_hash, role, created_at) VALUES (?, 'x', 'user', 0)`,
    );
    insertUser.run('alice');
    insertUser.run('bob');
    old.close();

    const t = testBank(file);
    const tables = openSqlite({ file });
    const names = tables.sqlite
      .prepare(`SELECT name FROM sqlite_master WHERE name IN ('notifications', 'alert_settings') ORDER BY name`)
      .all();
    tables.close();
    expect(names).toEqual([{ name: 'alert_settings' }, { name: 'notifications' }]);
    const alice = t.bank.store.users.byUsername('alice')!;
    const bob = t.bank.store.users.byUsername('bob')!;
    const a = openAccount(t.bank, alice, 'savings').number!;
    const b = openAccount(t.bank, bob, 'savings').number!;
    deposit(t.bank, bob, b, '10.00');
    transfer(t.bank, bob, b, a, '4.00');
    expect(listNotifications(t.bank, alice, false).map((n) => n.message)).toEqual([
      `Received 4.00 USD on ${a} from ${b}.`,
    ]);
  });
});
