import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { adminActions } from '../src/domain/admin.js';
import { accrueInterest, setInterestRate } from '../src/domain/interest.js';
import { deposit } from '../src/domain/payments.js';
import { monthlyStatement } from '../src/domain/statement.js';
import { adminAndAlice, expectLedgerOk } from './helpers.js';

const at = (iso: string) => Date.parse(iso);

describe('interest on savings (use cases, hand-moved clock)', () => {
  it('pays the daily balance at the rate of each day, once per finished month, from interest-expense', async () => {
    const w = await adminAndAlice(at('2025-12-20T12:00:00Z'));
    const balance = () => w.bank.store.accounts.byNumber(w.savings)!.balance;
    setInterestRate(w.bank, w.root, 'savings', '2.5'); // from today, 2025-12-20
    deposit(w.bank, w.alice, w.savings, '1000.00');
    const checking = openAccount(w.bank, w.alice, 'checking').number!;
    deposit(w.bank, w.alice, checking, '500.00'); // checking has no rate: no interest
    w.clock.now = at('2026-01-11T08:00:00Z');
    deposit(w.bank, w.alice, w.savings, '1000.00');

    w.clock.now = at('2026-01-31T23:59:59Z');
    expect(() => accrueInterest(w.bank, w.root, '2026-01')).toThrow(
      '2026-01 has not ended yet; its interest can be posted from 2026-02-01',
    );
    w.clock.now = at('2026-02-03T09:00:00Z');
    // December: 12 days (20th to 31st) of 1000.00 at 2.5 % = 82.19 cents -> 82.
    expect(accrueInterest(w.bank, w.root, '2025-12')).toMatchObject({
      alreadyPosted: false,
      credited: [{ number: w.savings, owner: 'alice', amount: 82 }],
      total: 82,
    });
    // January: 10 days of 1000.00 and 21 of 2000.00 at 2.5 % = 356.16 cents -> 356.
    expect(accrueInterest(w.bank, w.root, '2026-01').credited).toEqual([
      { number: w.savings, owner: 'alice', amount: 356 },
    ]);
    expect(balance()).toBe(200_000 + 82 + 356);
    // Twice is once.
    expect(accrueInterest(w.bank, w.root, '2026-01')).toMatchObject({ alreadyPosted: true, credited: [], total: 356 });
    expect(balance()).toBe(200_438);
    expect(w.bank.store.accounts.bySystemCode('interest-expense')!.balance).toBe(-438);

    // A rate may not reach back into a posted month; from 15 February on it is 3.65 %.
    expect(() => setInterestRate(w.bank, w.root, 'savings', '3', '2026-01-20')).toThrow(
      'interest up to 2026-01 is already posted; a new rate can start on 2026-02-01 at the earliest',
    );
    setInterestRate(w.bank, w.root, 'savings', '3.65', '2026-02-15');
    w.clock.now = at('2026-03-01T00:00:00Z');
    // February: 2 days of 2000.00 + 12 of 2004.38 at 2.5 %, then 14 of 2004.38 at 3.65 % = 473 cents.
    expect(accrueInterest(w.bank, w.root, '2026-02').total).toBe(473);
    const feb = monthlyStatement(w.bank, w.alice, w.savings, '2026-02');
    expect(feb.entries.map((e) => [e.kind, e.amount, e.note])).toEqual([
      ['interest', 82, 'interest 2025-12'],
      ['interest', 356, 'interest 2026-01'],
    ]);
    expect(adminActions(w.bank, w.root).map((a) => [a.action, a.target, a.detail])).toEqual([
      ['accrue-interest', '2026-02', '1 accounts'],
      ['rate', 'savings', '3.65 % from 2026-02-15'],
      ['accrue-interest', '2026-01', '1 accounts'],
      ['accrue-interest', '2025-12', '1 accounts'],
      ['rate', 'savings', '2.50 % from 2025-12-20'],
      ['init', 'root', null],
    ]);
    expect(() => accrueInterest(w.bank, w.alice, '2026-01')).toThrow('this needs an administrator');
  });
});

describe('interest through the built bin', () => {
  it('sets and lists rates, posts a month once, refuses an unfinished month; the ledger verifies', async () => {
    const w = await adminAndAlice(at('2025-11-20T12:00:00Z'));
    deposit(w.bank, w.alice, w.savings, '1000.00');
    expect(await w.as('root', ['admin', 'rates', 'set', 'savings', '2.5', '--from', '2025-12-01'])).toEqual({
      code: 0,
      stdout: 'Interest on savings accounts: 2.50 % a year from 2025-12-01.\n',
      stderr: '',
    });
    expect((await w.as('root', ['admin', 'rates'])).stdout).toBe(
      'TYPE     RATE %  FROM\nsavings    2.50  2025-12-01\n',
    );
    // 1000.00 all January at 2.5 %: 100000 x 0.025 x 31 / 365 = 212.33 cents.
    expect(await w.as('root', ['admin', 'accrue-interest', '--month', '2026-01'])).toEqual({
      code: 0,
      stdout: `Posted interest for 2026-01: 1 account(s), 2.12 USD.\nACCOUNT     OWNER  INTEREST\n${w.savings}  alice      2.12\n`,
      stderr: '',
    });
    const again = await w.as('root', ['admin', 'accrue-interest', '--month', '2026-01', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      month: '2026-01',
      alreadyPosted: true,
      credited: [],
      total: '2.12',
    });
    expect(await w.as('root', ['admin', 'accrue-interest', '--month', '2099-01'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: 2099-01 has not ended yet; its interest can be posted from 2099-02-01\n',
    });
    expect(await w.as('root', ['admin', 'rates', 'set', 'savings', '2.555'])).toMatchObject({
      code: 2,
      stderr: 'bank: rate must be a percentage with at most two decimals, such as 2.5, got "2.555"\n',
    });
    expect(await w.as('alice', ['admin', 'accrue-interest', '--month', '2026-01'])).toMatchObject({
      code: 1,
      stderr: 'bank: this needs an administrator\n',
    });
    expect(JSON.parse((await w.as('alice', ['accounts', '--json'])).stdout)).toMatchObject([
      { number: w.savings, balance: '1002.12' },
    ]);
    await expectLedgerOk(w.as);
  });
});
