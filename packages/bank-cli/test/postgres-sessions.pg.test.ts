import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { adminAndAlice, expectLedgerOk } from './helpers.js';
import { bankWith, cents, expectVerified } from './many-processes.js';
import { rawDatabase } from './raw-database.js';
import { withDatabase } from './test-database.js';

/** What only PostgreSQL has: row locks another session holds, and a server that outlives a killed client. */
describe('a bank process killed on PostgreSQL', () => {
  it('PostgreSQL: a transfer killed after its postings were written but before COMMIT leaves no trace', async () => {
    const { file, numbers, env } = await bankWith(2, '100.00');
    const [a, b] = numbers as [string, string];
    const db = rawDatabase(file);
    const rows = () =>
      db.get<{ t: number; p: number; n: number }>(
        `SELECT (SELECT count(*) FROM transactions) AS t, (SELECT count(*) FROM postings) AS p,
                  (SELECT count(*) FROM notifications WHERE kind = 'received') AS n`,
      )!;
    const before = rows();
    // The receiver's notice is the transfer's last write, and its foreign key needs a share lock on the receiver's
    // users row: holding that row makes the transfer wait there, its balances and postings written but not
    // committed. (On a connection of its own: inside a transaction pg_stat_activity shows one frozen snapshot.)
    const locker = rawDatabase(file);
    locker.run('BEGIN');
    locker.run(`SELECT id FROM users WHERE username = 'user1' FOR UPDATE`);
    const child = spawn(
      process.execPath,
      [join(import.meta.dirname, '..', 'bin', 'bank.js'), 'transfer', a, b, '60.00'],
      {
        env: withDatabase({ PATH: process.env['PATH'] ?? '', BANK_BCRYPT_COST: '4', ...env('user0') }),
        stdio: 'ignore',
      },
    );
    onTestFinished(() => void child.kill('SIGKILL'));
    // The killed client's session: the one waiting for the lock on notifications.
    const waiting = () =>
      db.get<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO notifications%'`,
      )?.pid;
    let pid: number | undefined;
    while ((pid = waiting()) === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    // It is inside the transfer: it has written postings and moved balances in its open transaction.
    const held = db.all<{ relation: string }>(
      `SELECT relation::regclass::text AS relation FROM pg_locks
          WHERE pid = ? AND mode = 'RowExclusiveLock' AND relation::regclass::text IN ('accounts', 'postings', 'transactions')
          ORDER BY 1`,
      pid,
    );
    expect(held.map((row) => row.relation)).toEqual(['accounts', 'postings', 'transactions']);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    locker.run('COMMIT');
    // The server rolls the orphaned transaction back when it finds the client gone.
    const alive = () => db.get('SELECT 1 FROM pg_stat_activity WHERE pid = ?', pid) !== undefined;
    while (alive()) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(rows()).toEqual(before);
    expect(Object.fromEntries(await cents(env('root')))).toEqual({ [a]: 10_000, [b]: 10_000 });
    await expectVerified(env('root'));
  });
});

describe('a bank on PostgreSQL under a lock it cannot get', () => {
  it('waits BANK_BUSY_TIMEOUT_MS for a row another session holds, then says the database is busy and writes nothing', async () => {
    const w = await adminAndAlice();
    await w.as('alice', ['deposit', w.savings, '50.00']);
    const locker = rawDatabase(w.file);
    locker.run('BEGIN');
    locker.run('SELECT id FROM accounts WHERE number = ? FOR UPDATE', w.savings);
    expect(await w.as('alice', ['withdraw', w.savings, '20.00'], { BANK_BUSY_TIMEOUT_MS: '300' })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: the database is busy; try again\n',
    });
    locker.run('ROLLBACK');
    expect((await w.as('alice', ['withdraw', w.savings, '20.00'])).code).toBe(0);
    expect(JSON.parse((await w.as('alice', ['accounts', '--json'])).stdout)).toMatchObject([{ balance: '30.00' }]);
    await expectLedgerOk(w.as);
  });
});
