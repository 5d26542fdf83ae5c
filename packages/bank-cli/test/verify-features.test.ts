import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../src/domain/admin.js';
import { applyForLoan, approveLoan } from '../src/domain/loans.js';
import { findDiscrepancies } from '../src/domain/verify.js';
import { adminAndAlice } from './helpers.js';
import type { Account } from '../src/domain/types.js';
import { rawDatabase } from './raw-database.js';

const USD = { code: 'USD', decimals: 2 };
const system = (id: number, code: string, balance: number): Account => ({
  id,
  number: null,
  systemCode: code,
  ownerId: null,
  kind: code,
  name: code,
  balance,
  createdAt: 0,
});
const customer = (balance: number): Account => ({ ...system(9, '', balance), number: '1234567897', systemCode: null });

describe('verify with interest, fees and loans', () => {
  // alice deposited 100.00 (cash -100.00), got 1.00 interest, paid 0.50 in fees, borrowed 50.00 and repaid 10.00
  // of which 9.00 principal and 1.00 interest: 100 + 1 - 0.5 + 50 - 10 = 140.50.
  const balances = [
    system(1, 'cash', -10_000),
    system(2, 'interest-expense', -100),
    system(3, 'fee-income', 50),
    system(4, 'loan-asset', -4_100),
    system(5, 'loan-interest', 100),
    customer(14_050),
  ].map((account) => ({ account, postedSum: account.balance }));
  const subledgers = [
    { systemCode: 'loan-asset', expected: -4_100, source: 'the loans outstanding' },
    { systemCode: 'loan-interest', expected: 100, source: 'the loan interest repaid' },
    { systemCode: 'interest-expense', expected: -100, source: 'the interest runs' },
  ];
  const systemKinds = [
    { systemCode: 'cash', kind: 'deposit', total: -10_000 },
    { systemCode: 'fee-income', kind: 'fee', total: 50 },
  ];

  it('accepts a sound ledger: cash is minus every other balance', () => {
    expect(findDiscrepancies({ currency: USD, balances, unbalanced: [], systemKinds, subledgers })).toEqual([]);
  });

  it('names a system account moved by the wrong kind of transaction', () => {
    const wrong = [...systemKinds, { systemCode: 'fee-income', kind: 'deposit', total: 100 }];
    expect(findDiscrepancies({ currency: USD, balances, unbalanced: [], systemKinds: wrong, subledgers })).toEqual([
      'system account (fee-income) was moved by deposit transactions (1.00 USD)',
    ]);
  });

  it('compares loan and interest accounts with the tables that explain them', () => {
    const off = subledgers.map((s) => (s.systemCode === 'loan-asset' ? { ...s, expected: -4_000 } : s));
    expect(findDiscrepancies({ currency: USD, balances, unbalanced: [], subledgers: off })).toEqual([
      'account (loan-asset) is -41.00 USD but the loans outstanding say -40.00 USD',
    ]);
    const cashOff = balances.map((b) =>
      b.account.systemCode === 'cash' ? { ...b, account: { ...b.account, balance: -9_999 }, postedSum: -9_999 } : b,
    );
    expect(findDiscrepancies({ currency: USD, balances: cashOff, unbalanced: [] })).toEqual([
      'cash account is -99.99 USD but minus the sum of customer and other internal balances is -100.00 USD',
    ]);
  });
});

describe('verify on a real database with the new internal accounts', () => {
  it('finds money moved into a customer account from fee-income, and a loan table that disagrees', async () => {
    const w = await adminAndAlice();
    applyForLoan(w.bank, w.alice, w.savings, '100', '2');
    approveLoan(w.bank, w.root, '1', '5');
    expect(verifyLedger(w.bank, w.root)).toEqual([]);
    const db = rawDatabase(w.file);
    // A balanced "deposit" that takes 1.00 from fee-income: every transaction still sums to zero.
    const fee = db.get<{ id: number }>("SELECT id FROM accounts WHERE system_code = 'fee-income'")!;
    const mine = db.get<{ id: number; balance: number }>(
      'SELECT id, balance FROM accounts WHERE number = ?',
      w.savings,
    )!;
    const tx = db.get<{ id: number }>(
      "INSERT INTO transactions (kind, created_at) VALUES ('deposit', 0) RETURNING id",
    )!.id;
    const post = 'INSERT INTO postings (transaction_id, account_id, amount, balance_after) VALUES (?, ?, ?, ?)';
    db.run(post, tx, fee.id, -100, -100);
    db.run(post, tx, mine.id, 100, mine.balance + 100);
    db.run('UPDATE accounts SET balance = balance - 100 WHERE id = ?', fee.id);
    db.run('UPDATE accounts SET balance = balance + 100 WHERE id = ?', mine.id);
    db.run('UPDATE loans SET principal_paid = 1000');
    expect(verifyLedger(w.bank, w.root)).toEqual([
      'system account (fee-income) was moved by deposit transactions (-1.00 USD)',
      'account (loan-asset) is -100.00 USD but the loans outstanding say -90.00 USD',
    ]);
  });
});
