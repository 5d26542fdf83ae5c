import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { initAdmin, setUserActive } from '../src/domain/admin.js';
import { register } from '../src/domain/auth.js';
import { deposit } from '../src/domain/payments.js';
import { PASSWORD, runBank, tempDir, testBank } from './helpers.js';
import { rawDatabase } from './raw-database.js';
import { onPostgres } from './test-database.js';

/** alice (savings, 100.00), bob (checking, 0.00), carol (deactivated, savings) and the admin root. */
async function world() {
  const file = join(tempDir(), 'bank.db');
  const { bank } = testBank(file);
  const root = await initAdmin(bank, 'root', PASSWORD);
  const alice = await register(bank, 'alice', PASSWORD);
  const bob = await register(bank, 'bob', PASSWORD);
  const carol = await register(bank, 'carol', PASSWORD);
  const a = openAccount(bank, alice, 'savings', 'Rainy day').number!;
  const b = openAccount(bank, bob, 'checking').number!;
  const c = openAccount(bank, carol, 'savings').number!;
  deposit(bank, alice, a, '100.00');
  setUserActive(bank, root, 'carol', false);
  const env = (user?: string, extra: Record<string, string> = {}) => ({
    BANK_DB: file,
    BANK_PASSWORD: PASSWORD,
    ...(user ? { BANK_USER: user } : {}),
    ...extra,
  });
  const as = (user: string, args: string[], extra?: Record<string, string>) => runBank(args, { env: env(user, extra) });
  return { file, a, b, c, env, as };
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('bank (built bin), usage', () => {
  it('prints its version and help, and exits 2 on usage errors', async () => {
    expect(await runBank(['--version'])).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    const help = await runBank(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('transfer [options] <from> <to> <amount>');
    expect(await runBank(['frob'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "error: unknown command 'frob' (see bank --help)\n",
    });
    expect(await runBank(['deposit', '1234567897'])).toMatchObject({
      code: 2,
      stderr: "error: missing required argument 'amount'\n",
    });
    expect(await runBank(['accounts', 'list', '--bogus'])).toMatchObject({
      code: 2,
      stderr: "error: unknown option '--bogus'\n",
    });
    const adminHelp = await runBank(['admin']);
    expect(adminHelp.code).toBe(2);
    expect(adminHelp.stderr).toContain('Usage: bank admin [options] [command]');
    expect(await runBank([], {})).toMatchObject({
      code: 2,
      stderr: 'bank: the menus need a terminal; see "bank --help" for the subcommands\n',
    });
  });

  // PostgreSQL's own failures are in postgres-cli.test.ts.
  it.skipIf(onPostgres)('says in one line when the file is not a bank database', async () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'just some text that is long enough to look like a header of something else\n'.repeat(20));
    expect(await runBank(['accounts'], { env: { BANK_DB: file, BANK_USER: 'x', BANK_PASSWORD: PASSWORD } })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: database error: file is not a database (SQLITE_NOTADB)\n',
    });
  });

  it('refuses a bad environment with exit 2', async () => {
    const dir = tempDir();
    expect(await runBank(['accounts'], { env: { BANK_DB: join(dir, 'x.db'), BANK_BCRYPT_COST: 'lots' } })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: bad environment: BANK_BCRYPT_COST: must be a whole number from 4 to 31, got "lots"\n',
    });
    expect(await runBank(['accounts'], { env: { BANK_DB: join(dir, 'x.db'), BANK_CURRENCY: 'euro' } })).toMatchObject({
      code: 2,
      stderr: 'bank: currency must be a 3-letter ISO 4217 code such as USD, got "EURO"\n',
    });
  });
});

describe('bank (built bin), customers', () => {
  it('registers a user into a new database in the data dir, with the password from stdin', async () => {
    const dir = tempDir();
    const env = { BANK_DATA_DIR: dir, BANK_CURRENCY: 'EUR' };
    expect(
      await runBank(['register', 'Dana', '--password-stdin', '--json'], { env, input: `${PASSWORD}\n` }),
    ).toMatchObject({
      code: 0,
      stderr: '',
    });
    const opened = await runBank(['--user', 'dana', '--password-stdin', 'accounts', 'open', 'checking', '--json'], {
      env,
      input: PASSWORD,
    });
    expect(opened.code).toBe(0);
    expect(JSON.parse(opened.stdout)).toEqual({
      number: expect.stringMatching(/^[1-9]\d{9}$/) as string,
      type: 'checking',
      name: 'Checking',
      balance: '0.00',
      currency: 'EUR',
      owner: 'dana',
      active: true,
    });
    if (!onPostgres) {
      const db = new Database(join(dir, 'bank.db'), { readonly: true });
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
    expect(await runBank(['register', 'dana'], { env: { ...env, BANK_PASSWORD: PASSWORD } })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: username dana is not available\n',
    });
  });

  it('deposits, withdraws, transfers and reads history, as text and JSON', async () => {
    const w = await world();
    expect(await w.as('alice', ['deposit', w.a, '20.5', '--note', 'gift'])).toEqual({
      code: 0,
      stdout: 'Deposited 20.50 USD. Balance: 120.50 USD. Transaction #2.\n',
      stderr: '',
    });
    const sent = await w.as('alice', ['transfer', w.a, w.b, '70.00', '--note', 'rent', '--json']);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toEqual({
      id: 3,
      type: 'transfer_out',
      amount: '70.00',
      balanceAfter: '50.50',
      counterparty: w.b,
      counterpartyOwner: 'bob',
      note: 'rent',
      createdAt: expect.stringMatching(ISO) as string,
      currency: 'USD',
      fee: '0.00',
      feeTransactionId: null,
      balanceAfterFee: '50.50',
    });
    expect((await w.as('bob', ['withdraw', w.b, '0.50'])).stdout).toBe(
      'Withdrew 0.50 USD. Balance: 69.50 USD. Transaction #4.\n',
    );
    const history = await w.as('bob', ['history', w.b, '--json']);
    expect(JSON.parse(history.stdout)).toMatchObject([
      { id: 4, type: 'withdrawal', amount: '0.50', balanceAfter: '69.50', counterparty: null, note: null },
      { id: 3, type: 'transfer_in', amount: '70.00', balanceAfter: '70.00', counterparty: w.a, note: 'rent' },
    ]);
    expect(JSON.parse((await w.as('bob', ['history', w.b, '--json', '--limit', '1'])).stdout)).toHaveLength(1);
    expect(JSON.parse((await w.as('bob', ['history', w.b, '--json', '--until', '2000-01-01'])).stdout)).toEqual([]);
    const text = await w.as('alice', ['history', w.a]);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('ID  DATE (UTC)           TYPE           AMOUNT  BALANCE  COUNTERPARTY      NOTE');
    expect(lines.slice(1).map((l) => l.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, 'DATE'))).toEqual([
      ` 3  DATE  transfer_out   -70.00    50.50  ${w.b} (bob)  rent`,
      ' 2  DATE  deposit        +20.50   120.50                    gift',
      ' 1  DATE  deposit       +100.00   100.00',
      '',
    ]);
    expect((await w.as('alice', ['accounts'])).stdout).toBe(
      `NUMBER      TYPE     NAME         BALANCE\n${w.a}  savings  Rainy day  50.50 USD\n`,
    );
  });

  it.each([
    [
      'amount "abc"',
      (w: W) => ['deposit', w.a, 'abc'],
      2,
      '"abc" is not an amount; use digits with an optional decimal point, such as 12.34',
    ],
    ['a negative amount', (w: W) => ['withdraw', w.a, '-5'], 2, 'amount must not be negative'],
    ['a zero amount', (w: W) => ['transfer', w.a, w.b, '0'], 2, 'amount must be greater than zero'],
    ['three decimals', (w: W) => ['deposit', w.a, '1.001'], 2, 'amount has more than 2 decimal places'],
    ['a short account number', (_w: W) => ['deposit', '12345', '1'], 2, 'account number must have 10 digits, got 5'],
    [
      'a mistyped account number',
      (w: W) => ['transfer', w.a, typo(w.b), '1'],
      2,
      'account number T is mistyped (check digit mismatch)',
    ],
    [
      'a bad account type',
      () => ['accounts', 'open', 'gold'],
      2,
      'account type must be savings or checking, got "gold"',
    ],
    [
      'a bad --limit',
      (w: W) => ['history', w.a, '--limit', 'ten'],
      2,
      '--limit must be a whole number from 1 to 10000, got "ten"',
    ],
    [
      'a bad --since',
      (w: W) => ['history', w.a, '--since', '2026-13-01'],
      2,
      '--since must be a date as YYYY-MM-DD, got "2026-13-01"',
    ],
    [
      'a long note',
      (w: W) => ['deposit', w.a, '1', '--note', 'x'.repeat(141)],
      2,
      'note must be at most 140 characters',
    ],
    [
      'insufficient funds',
      (w: W) => ['withdraw', w.a, '100.01'],
      1,
      'insufficient funds: A has 100.00 USD, needs 100.01',
    ],
    ["bob's account as the source", (w: W) => ['transfer', w.b, w.a, '1'], 1, 'account B is not yours'],
    ["a deposit into bob's account", (w: W) => ['deposit', w.b, '1'], 1, 'account B is not yours'],
    ["a withdrawal from bob's account", (w: W) => ['withdraw', w.b, '1'], 1, 'account B is not yours'],
    ["another user's history", (w: W) => ['history', w.b], 1, 'account B is not yours'],
    ['an unknown account', () => ['transfer', '1234567897', '1012345672', '1'], 1, 'account 1234567897 not found'],
    ['the same account', (w: W) => ['transfer', w.a, w.a, '1'], 1, 'cannot transfer to the same account'],
    [
      'a deactivated receiver',
      (w: W) => ['transfer', w.a, w.c, '1'],
      1,
      'account C belongs to a deactivated user and cannot receive money',
    ],
    ['an admin command', () => ['admin', 'users'], 1, 'this needs an administrator'],
  ])('refuses %s with its exit code and one line', async (_what, args, code, message) => {
    const w = await world();
    const result = await w.as('alice', args(w));
    const expected = message
      .replace(/\bA\b/, w.a)
      .replace(/\bB\b/, w.b)
      .replace(/\bC\b/, w.c)
      .replace(/\bT\b/, typo(w.b));
    expect(result).toEqual({ code, stdout: '', stderr: `bank: ${expected}\n` });
    // Nothing was written: alice still has exactly what she had.
    expect(JSON.parse((await w.as('alice', ['accounts', '--json'])).stdout)).toMatchObject([{ balance: '100.00' }]);
  });

  it('fails authentication with exit 3 and one generic message', async () => {
    const w = await world();
    const generic = { code: 3, stdout: '', stderr: 'bank: invalid username or password\n' };
    expect(await w.as('alice', ['accounts'], { BANK_PASSWORD: 'not her password' })).toEqual(generic);
    expect(await w.as('zed', ['accounts'])).toEqual(generic);
    expect(await w.as('carol', ['accounts'])).toEqual(generic);
    expect(await runBank(['accounts'], { env: { BANK_DB: w.file, BANK_PASSWORD: PASSWORD } })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: who are you? pass --user NAME or set BANK_USER\n',
    });
    expect(await runBank(['--user', 'alice', 'accounts'], { env: { BANK_DB: w.file } })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: no password: set BANK_PASSWORD, pass --password-stdin, or run in a terminal\n',
    });
  });

  it('locks a user after 5 failures, for every process (exit 1)', async () => {
    const w = await world();
    for (let i = 0; i < 5; i += 1) {
      expect((await w.as('bob', ['accounts'], { BANK_PASSWORD: 'guess number ' + i })).code).toBe(3);
    }
    expect(await w.as('bob', ['accounts'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: too many failed logins; bob is locked for 15 more minutes\n',
    });
    const users = JSON.parse((await w.as('root', ['admin', 'users', '--json'])).stdout) as {
      username: string;
      lockedUntil: string | null;
    }[];
    expect(users.find((u) => u.username === 'bob')?.lockedUntil).toMatch(ISO);
  });

  it('changes a password from stdin (current, then new) or from BANK_NEW_PASSWORD', async () => {
    const w = await world();
    const next = 'a brand new passphrase';
    expect(
      await runBank(['--user', 'alice', '--password-stdin', 'passwd'], {
        env: { BANK_DB: w.file },
        input: `${PASSWORD}\n${next}\n`,
      }),
    ).toEqual({ code: 0, stdout: 'Password changed for alice.\n', stderr: '' });
    expect((await w.as('alice', ['accounts'])).code).toBe(3);
    expect((await w.as('alice', ['passwd'], { BANK_PASSWORD: next, BANK_NEW_PASSWORD: 'short' })).stderr).toBe(
      'bank: password must be at least 12 characters\n',
    );
    expect((await w.as('alice', ['passwd'], { BANK_PASSWORD: next, BANK_NEW_PASSWORD: PASSWORD })).code).toBe(0);
    expect((await w.as('alice', ['accounts'])).code).toBe(0);
  });

  it('adds a stack trace with --debug', async () => {
    const w = await world();
    const result = await w.as('alice', ['withdraw', w.a, '500', '--debug']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^bank: insufficient funds: \d{10} has 100\.00 USD, needs 500\.00\nConflictError: .*\n\s+at /,
    );
  });
});

describe('bank (built bin), administration', () => {
  it('creates the first administrator once', async () => {
    const dir = tempDir();
    const env = { BANK_DB: join(dir, 'bank.db'), BANK_PASSWORD: PASSWORD };
    expect(await runBank(['admin', 'init', 'boss'], { env })).toEqual({
      code: 0,
      stdout: 'Created administrator boss.\n',
      stderr: '',
    });
    expect(await runBank(['admin', 'init', 'boss2'], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: an administrator already exists; an administrator can use "bank admin role"\n',
    });
  });

  it('lists users and accounts, changes roles and activity, and logs it', async () => {
    const w = await world();
    const root = (args: string[]) => w.as('root', args);
    expect(JSON.parse((await root(['admin', 'users', '--json'])).stdout)).toMatchObject([
      { username: 'alice', role: 'user', active: true },
      { username: 'bob', role: 'user', active: true },
      { username: 'carol', role: 'user', active: false },
      { username: 'root', role: 'admin', active: true },
    ]);
    expect((await root(['admin', 'accounts'])).stdout).toBe(
      [
        'NUMBER      TYPE      NAME          BALANCE  OWNER',
        `${w.a}  savings   Rainy day  100.00 USD  alice`,
        `${w.b}  checking  Checking     0.00 USD  bob`,
        `${w.c}  savings   Savings      0.00 USD  carol (inactive)`,
        '',
      ].join('\n'),
    );
    expect(await root(['admin', 'role', 'alice', 'boss'])).toMatchObject({
      code: 2,
      stderr: 'bank: role must be user or admin, got "boss"\n',
    });
    expect(await root(['admin', 'role', 'nobody', 'admin'])).toMatchObject({
      code: 1,
      stderr: 'bank: user nobody not found\n',
    });
    expect(await root(['admin', 'deactivate', 'root'])).toMatchObject({
      code: 1,
      stderr: 'bank: you cannot deactivate yourself\n',
    });
    expect(await root(['admin', 'role', 'root', 'user'])).toMatchObject({
      code: 1,
      stderr: 'bank: you cannot demote yourself\n',
    });
    expect((await root(['admin', 'activate', 'carol'])).stdout).toBe('carol is now active.\n');
    expect((await root(['admin', 'role', 'bob', 'admin'])).stdout).toBe('bob is now an admin.\n');
    expect((await w.as('carol', ['accounts'])).code).toBe(0);
    expect((await w.as('bob', ['admin', 'deactivate', 'alice'])).stdout).toBe('alice is now deactivated.\n');
    expect((await w.as('alice', ['accounts'])).code).toBe(3);
    const log = JSON.parse((await root(['admin', 'log', '--json'])).stdout) as {
      actor: string;
      action: string;
      target: string;
    }[];
    expect(log.map((e) => [e.actor, e.action, e.target])).toEqual([
      ['bob', 'deactivate', 'alice'],
      ['root', 'role', 'bob'],
      ['root', 'activate', 'carol'],
      ['root', 'deactivate', 'carol'],
      ['root', 'init', 'root'],
    ]);
  });

  it('audits with filters, and --user after "audit" filters while BANK_USER logs in', async () => {
    const w = await world();
    await w.as('alice', ['transfer', w.a, w.b, '12.34', '--note', 'lunch']);
    const all = JSON.parse((await w.as('root', ['admin', 'audit', '--json'])).stdout) as unknown[];
    expect(all).toEqual([
      {
        id: 2,
        kind: 'transfer',
        amount: '12.34',
        from: [w.a],
        to: [w.b],
        actor: 'alice',
        note: 'lunch',
        createdAt: expect.stringMatching(ISO) as string,
        postings: [
          { account: w.a, owner: 'alice', amount: '-12.34' },
          { account: w.b, owner: 'bob', amount: '12.34' },
        ],
      },
      expect.objectContaining({ id: 1, kind: 'deposit', amount: '100.00', from: ['(cash)'], to: [w.a] }),
    ]);
    const byBob = await w.as('root', ['admin', 'audit', '--user', 'bob', '--json']);
    expect((JSON.parse(byBob.stdout) as { id: number }[]).map((t) => t.id)).toEqual([2]);
    const limited = await w.as('root', ['admin', 'audit', '--account', w.a, '--limit', '1', '--json']);
    expect((JSON.parse(limited.stdout) as { id: number }[]).map((t) => t.id)).toEqual([2]);
    expect(await w.as('root', ['admin', 'audit', '--account', '42'])).toMatchObject({
      code: 2,
      stderr: 'bank: account number must have 10 digits, got 2\n',
    });
  });

  it('verifies the ledger: "ledger OK", or each discrepancy with exit 1', async () => {
    const w = await world();
    expect(await w.as('root', ['admin', 'verify'])).toEqual({ code: 0, stdout: 'ledger OK\n', stderr: '' });
    const db = rawDatabase(w.file);
    db.run('UPDATE accounts SET balance = balance + 1 WHERE number = ?', w.b);
    db.close();
    expect(await w.as('root', ['admin', 'verify'])).toEqual({
      code: 1,
      stdout: [
        `account ${w.b}: balance is 0.01 USD but its postings sum to 0.00 USD`,
        'cash account is -100.00 USD but minus the sum of customer balances is -100.01 USD',
        '',
      ].join('\n'),
      stderr: '',
    });
  });
});

type W = Awaited<ReturnType<typeof world>>;

/** The same number with its last digit changed: a typo the check digit catches. */
function typo(number: string): string {
  return number.slice(0, 9) + String((Number(number[9]) + 1) % 10);
}
