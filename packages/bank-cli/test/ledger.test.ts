import { describe, expect, it } from 'vitest';
import { parseMoney, formatMoney, currencyFromCode } from '../src/domain/currency.js';
import { applyLegs, assertBalancedLegs } from '../src/domain/ledger.js';
import type { Account } from '../src/domain/types.js';
import { findDiscrepancies } from '../src/domain/verify.js';

const USD = currencyFromCode('USD');
const account = (id: number, balance: number, systemCode: string | null = null): Account => ({
  id,
  number: systemCode ? null : String(1_000_000_000 + id),
  systemCode,
  ownerId: systemCode ? null : 1,
  kind: systemCode ?? 'savings',
  name: 'x',
  balance,
  createdAt: 0,
});

describe('money rules', () => {
  it.each([
    ['70', 7000],
    ['70.5', 7050],
    ['0.01', 1],
    ['1000000000', 100_000_000_000],
  ])('parses %s as %i cents', (input, minor) => {
    expect(parseMoney(input, USD)).toBe(minor);
  });

  it.each([
    ['0', 'amount must be greater than zero'],
    ['-5', 'amount must not be negative'],
    ['1.001', 'amount has more than 2 decimal places'],
    ['1e3', '"1e3" is not an amount'],
    ['1,00', '"1,00" is not an amount'],
    [' 1', 'amount must not contain spaces'],
    ['1000000000.01', 'amount exceeds the maximum of 1000000000.00'],
  ])('refuses %j', (input, message) => {
    expect(() => parseMoney(input, USD)).toThrow(message);
  });

  it('knows currencies without minor units', () => {
    const jpy = currencyFromCode('JPY');
    expect(jpy).toEqual({ code: 'JPY', decimals: 0 });
    expect(parseMoney('500', jpy)).toBe(500);
    expect(() => parseMoney('5.5', jpy)).toThrow('amount must be a whole number');
    expect(formatMoney(500, jpy)).toBe('500');
  });

  it('refuses a currency that is not ISO 4217', () => {
    expect(() => currencyFromCode('usd')).toThrow('currency must be a 3-letter ISO 4217 code such as USD, got "usd"');
    expect(() => currencyFromCode('DOLLARS')).toThrow('3-letter');
  });
});

describe('posting rules', () => {
  it('accepts legs that sum to zero on distinct accounts', () => {
    expect(() =>
      assertBalancedLegs([
        { accountId: 1, amount: -5 },
        { accountId: 2, amount: 5 },
      ]),
    ).not.toThrow();
    expect(() =>
      assertBalancedLegs([
        { accountId: 1, amount: -5 },
        { accountId: 2, amount: 3 },
        { accountId: 3, amount: 2 },
      ]),
    ).not.toThrow();
  });

  it.each([
    [[{ accountId: 1, amount: 5 }], 'a transaction needs at least two legs'],
    [
      [
        { accountId: 1, amount: -5 },
        { accountId: 2, amount: 4 },
      ],
      'legs sum to -1, not zero',
    ],
    [
      [
        { accountId: 1, amount: -5 },
        { accountId: 1, amount: 5 },
      ],
      'account id 1 appears twice in one transaction',
    ],
    [
      [
        { accountId: 1, amount: 0 },
        { accountId: 2, amount: 0 },
      ],
      'bad leg amount 0',
    ],
    [
      [
        { accountId: 1, amount: -0.5 },
        { accountId: 2, amount: 0.5 },
      ],
      'bad leg amount -0.5',
    ],
  ])('refuses %j', (legs, message) => {
    expect(() => assertBalancedLegs(legs)).toThrow(message);
  });

  it('computes each balance after, and lets a system account go negative', () => {
    const legs = applyLegs(
      [account(1, 1000), account(9, 0, 'cash')],
      [
        { accountId: 1, amount: 250 },
        { accountId: 9, amount: -250 },
      ],
      USD,
    );
    expect(legs).toEqual([
      { accountId: 1, amount: 250, balanceAfter: 1250 },
      { accountId: 9, amount: -250, balanceAfter: -250 },
    ]);
  });

  it('refuses to take a customer account below zero, and allows exactly zero', () => {
    const accounts = [account(1, 1000), account(2, 0)];
    expect(() =>
      applyLegs(
        accounts,
        [
          { accountId: 1, amount: -1001 },
          { accountId: 2, amount: 1001 },
        ],
        USD,
      ),
    ).toThrow('insufficient funds: 1000000001 has 10.00 USD, needs 10.01');
    expect(
      applyLegs(
        accounts,
        [
          { accountId: 1, amount: -1000 },
          { accountId: 2, amount: 1000 },
        ],
        USD,
      )[0],
    ).toEqual({
      accountId: 1,
      amount: -1000,
      balanceAfter: 0,
    });
  });
});

describe('ledger verification', () => {
  const sound = () => ({
    currency: USD,
    balances: [
      { account: account(1, 0, 'cash'), postedSum: 0 },
      { account: account(2, 0), postedSum: 0 },
    ],
    unbalanced: [],
  });

  it('finds nothing wrong with a sound ledger', () => {
    const facts = sound();
    facts.balances = [
      { account: account(1, -700, 'cash'), postedSum: -700 },
      { account: account(2, 500), postedSum: 500 },
      { account: account(3, 200), postedSum: 200 },
    ];
    expect(findDiscrepancies(facts)).toEqual([]);
  });

  it('reports each kind of discrepancy on its own line', () => {
    expect(
      findDiscrepancies({
        currency: USD,
        balances: [
          { account: account(1, -400, 'cash'), postedSum: -400 },
          { account: account(2, 600), postedSum: 500 },
          { account: account(3, -100), postedSum: -100 },
        ],
        unbalanced: [
          { id: 7, sum: 1, postings: 2 },
          { id: 8, sum: 0, postings: 1 },
        ],
      }),
    ).toEqual([
      'account 1000000002: balance is 6.00 USD but its postings sum to 5.00 USD',
      'account 1000000003 is negative: -1.00 USD',
      'transaction 7: postings sum to 0.01 USD, not zero',
      'transaction 8 has 1 posting(s); it needs at least two',
      'cash account is -4.00 USD but minus the sum of customer balances is -5.00 USD',
    ]);
  });

  it('reports a missing cash account', () => {
    expect(findDiscrepancies({ currency: USD, balances: [], unbalanced: [] })).toEqual(['the cash account is missing']);
  });
});
