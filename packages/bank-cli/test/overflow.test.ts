import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { adminAndAlice, expectLedgerOk, makeUser } from './helpers.js';
import { ledgerSeeder } from './ledger-seed.js';

const MAX = BigInt(Number.MAX_SAFE_INTEGER); // 90071992547409.91 USD in cents
const month = () => new Date().toISOString().slice(0, 7);
const cashIn = (account: string, amount: bigint) => [
  { account, amount },
  { account: 'cash', amount: -amount },
];

async function world() {
  const w = await adminAndAlice();
  const bob = await makeUser(w.bank, 'bob');
  const bobs = openAccount(w.bank, bob, 'checking').number!;
  const seed = ledgerSeeder(w.file);
  /** An approved loan of `amount` paid into bob's account. */
  const lend = (amount: bigint) => {
    const account = seed.db.get<{ id: number }>('SELECT id FROM accounts WHERE number = ?', bobs)!;
    seed.db.run(
      `INSERT INTO loans (account_id, user_id, principal, months, status, rate_bps, applied_at, decided_at, decided_by)
       VALUES (?, ?, ?, 12, 'active', 500, ?, ?, ?)`,
      account.id,
      bob.id,
      amount,
      Date.now(),
      Date.now(),
      w.root.id,
    );
    seed.post('loan_disbursement', [
      { account: bobs, amount },
      { account: 'loan-asset', amount: -amount },
    ]);
  };
  return { ...w, bob, bobs, seed, lend };
}

describe('amounts near the largest balance the ledger can hold', () => {
  it('refuses a deposit, a transfer or any movement that would take an account past the limit, and writes nothing', async () => {
    const w = await world();
    w.seed.post('deposit', cashIn(w.savings, MAX - 699n));
    w.lend(600n); // bob's money comes from a loan: the cash account can only ever hold MAX in total
    const limit = (label: string, amount: string) => ({
      code: 1,
      stdout: '',
      stderr: `bank: balance limit: account ${label} cannot take ${amount} USD more; no account can hold more than 90071992547409.91 USD\n`,
    });
    expect(await w.as('alice', ['deposit', w.savings, '7.00'])).toEqual(limit(w.savings, '7.00'));
    expect((await w.as('bob', ['transfer', w.bobs, w.savings, '5.00'])).code).toBe(0);
    expect((await w.as('alice', ['deposit', w.savings, '1.99'])).code).toBe(0);
    // alice's account is full: a transfer into it is refused without telling bob her balance.
    expect(await w.as('bob', ['transfer', w.bobs, w.savings, '0.01'])).toEqual(limit(w.savings, '0.01'));
    // The bank's cash account holds minus all the cash paid in; 5.00 more fits, 5.01 does not.
    expect(await w.as('bob', ['deposit', w.bobs, '5.01'])).toEqual(limit('(cash)', '5.01'));
    const accounts = JSON.parse((await w.as('root', ['admin', 'accounts', '--json'])).stdout) as { balance: string }[];
    expect(accounts.map((a) => a.balance)).toEqual(['90071992547409.91', '1.00']);
    await expectLedgerOk(w.as);
  });

  it('totals a statement exactly when the month moved more than 2^53 cents', async () => {
    const w = await world();
    const big = 8_000_000_000_000_000n;
    w.seed.post('deposit', cashIn(w.savings, big));
    w.seed.post('withdrawal', cashIn(w.savings, -big));
    w.seed.post('deposit', cashIn(w.savings, big));
    const json = await w.as('alice', ['statement', w.savings, '--month', month(), '--json']);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({
      opening: '0.00',
      totalIn: '160000000000000.00',
      totalOut: '80000000000000.00',
      closing: '80000000000000.00',
    });
    const text = await w.as('alice', ['statement', w.savings, '--month', month()]);
    expect(text.stdout).toContain('Total in:  160000000000000.00\nTotal out: 80000000000000.00\n');
    await expectLedgerOk(w.as);
  });

  it('verifies a ledger whose customer balances together pass 2^53 cents', async () => {
    const w = await world();
    const odd = 8_000_000_000_000_001n;
    w.seed.post('deposit', cashIn(w.savings, odd));
    w.lend(odd); // bob borrowed as much: loan-asset holds the other side, the loans table explains it
    expect((await w.as('alice', ['deposit', w.savings, '0.01'])).code).toBe(0);
    await expectLedgerOk(w.as);
  });

  it('verifies and totals a ledger whose postings of one kind sum past 64 bits', async () => {
    const w = await world();
    const cycles = 1025; // 1025 x (2^53 - 1) > 2^63: SQLite's sum() would stop with "integer overflow"
    w.seed.postMany(
      Array.from({ length: cycles }, () => [
        { kind: 'deposit', legs: cashIn(w.savings, MAX) },
        { kind: 'withdrawal', legs: cashIn(w.savings, -MAX) },
      ]).flat(),
    );
    await expectLedgerOk(w.as);
    const json = await w.as('alice', ['statement', w.savings, '--month', month(), '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      totalIn: '92323792361095157.75',
      totalOut: '92323792361095157.75',
      closing: '0.00',
    });
  });
});
