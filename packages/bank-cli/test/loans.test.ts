import { describe, expect, it } from 'vitest';
import { adminActions } from '../src/domain/admin.js';
import { applyForLoan, approveLoan, rejectLoan, repayLoan, showLoan } from '../src/domain/loans.js';
import { deposit } from '../src/domain/payments.js';
import { adminAndAlice, expectLedgerOk } from './helpers.js';

const at = (iso: string) => Date.parse(iso);

describe('loans (use cases)', () => {
  it('approves with a schedule, pays out from loan-asset, repays interest first, refuses overpayment, closes', async () => {
    const w = await adminAndAlice(at('2026-01-31T10:00:00Z'));
    const balance = (code?: string) =>
      code
        ? w.bank.store.accounts.bySystemCode(code as 'cash')!.balance
        : w.bank.store.accounts.byNumber(w.savings)!.balance;
    const loan = applyForLoan(w.bank, w.alice, w.savings, '1000.00', '3');
    expect(loan).toMatchObject({ id: 1, status: 'pending', principal: 100_000, months: 3, rateBps: null });
    expect(balance()).toBe(0);

    const approved = approveLoan(w.bank, w.root, '1', '12');
    // 12 % a year = 1 % a month on the remaining principal; the last instalment takes the remainder.
    expect(approved.schedule).toEqual([
      { n: 1, dueDate: '2026-02-28', principal: 33_002, interest: 1_000, remaining: 66_998 },
      { n: 2, dueDate: '2026-03-31', principal: 33_332, interest: 670, remaining: 33_666 },
      { n: 3, dueDate: '2026-04-30', principal: 33_666, interest: 337, remaining: 0 },
    ]);
    expect(approved).toMatchObject({ totalInterest: 2_007, paid: 0, outstanding: 102_007, nextDue: 34_002 });
    expect(approved.schedule.reduce((s, i) => s + i.principal + i.interest, 0)).toBe(100_000 + 2_007);
    expect([balance(), balance('loan-asset')]).toEqual([100_000, -100_000]);

    expect(repayLoan(w.bank, w.alice, '1')).toMatchObject({ payment: 34_002, outstanding: 68_005, nextDue: 34_002 });
    expect([balance('loan-asset'), balance('loan-interest')]).toEqual([-66_998, 1_000]);
    expect(() => repayLoan(w.bank, w.alice, '1', '700.00')).toThrow(
      'overpayment: loan #1 has 680.05 USD left to pay, not 700.00 USD',
    );
    // A part payment settles instalment 2's interest (6.70) and 93.30 of its principal.
    expect(repayLoan(w.bank, w.alice, '1', '100.00')).toMatchObject({ outstanding: 58_005, nextDue: 24_002 });
    expect([balance('loan-asset'), balance('loan-interest')]).toEqual([-57_668, 1_670]);
    // Not enough money in the account: refused by the ledger, nothing changes.
    expect(() => repayLoan(w.bank, w.alice, '1', '580.05')).toThrow(`insufficient funds: ${w.savings} has 559.98 USD`);
    deposit(w.bank, w.alice, w.savings, '20.07');
    const closed = repayLoan(w.bank, w.alice, '1', '580.05');
    expect(closed).toMatchObject({
      outstanding: 0,
      nextDue: 0,
      loan: { status: 'closed', principalPaid: 100_000, interestPaid: 2_007 },
    });
    expect([balance(), balance('loan-asset'), balance('loan-interest')]).toEqual([0, 0, 2_007]);
    expect(() => repayLoan(w.bank, w.alice, '1', '0.01')).toThrow('loan #1 is closed, not active');
  });

  it('rejects, refuses deciding twice, self-approval and strangers', async () => {
    const w = await adminAndAlice(at('2026-01-15T10:00:00Z'));
    applyForLoan(w.bank, w.alice, w.savings, '50', '12');
    expect(rejectLoan(w.bank, w.root, '1').status).toBe('rejected');
    expect(() => approveLoan(w.bank, w.root, '1', '5')).toThrow('loan #1 is rejected, not pending');
    const { openAccount } = await import('../src/domain/accounts.js');
    const roots = openAccount(w.bank, w.root, 'checking').number!;
    applyForLoan(w.bank, w.root, roots, '50', '12');
    expect(() => approveLoan(w.bank, w.root, '2', '5')).toThrow('you cannot approve your own loan');
    expect(() => showLoan(w.bank, w.alice, '2')).toThrow('loan #2 is not yours');
    expect(() => approveLoan(w.bank, w.alice, '2', '5')).toThrow('this needs an administrator');
    expect(() => applyForLoan(w.bank, w.alice, w.savings, '50', '361')).toThrow(
      '--months must be a whole number from 1 to 360, got "361"',
    );
    expect(() => applyForLoan(w.bank, w.alice, roots, '50', '1')).toThrow(`account ${roots} is not yours`);
    expect(() => showLoan(w.bank, w.alice, '9')).toThrow('loan #9 not found');
    expect(adminActions(w.bank, w.root).map((a) => [a.action, a.target, a.detail])).toEqual([
      ['loan-reject', '#1', 'alice: 50.00'],
      ['init', 'root', null],
    ]);
  });
});

describe('loans through the built bin', () => {
  it('apply, list, approve, show, repay to the end; logged; the ledger verifies', async () => {
    const w = await adminAndAlice();
    deposit(w.bank, w.alice, w.savings, '20.07');
    expect(await w.as('alice', ['loans', 'apply', w.savings, '1000', '--months', '3'])).toEqual({
      code: 0,
      stdout: `Applied for loan #1: 1000.00 USD over 3 months into ${w.savings}; an administrator will decide.\n`,
      stderr: '',
    });
    expect((await w.as('root', ['admin', 'loans', '--status', 'pending'])).stdout).toBe(
      `LOAN  OWNER  ACCOUNT       PRINCIPAL  MONTHS  RATE  STATUS\n#1    alice  ${w.savings}  1000.00 USD       3        pending\n`,
    );
    const approved = await w.as('root', ['admin', 'loans', 'approve', '1', '--rate', '12']);
    expect(approved.stdout.split('\n')[0]).toBe(`Loan #1 approved at 12.00 %; 1000.00 USD paid into ${w.savings}.`);
    const shown = await w.as('alice', ['loans', 'show', '1']);
    expect(shown.stdout.replace(/\d{4}-\d\d-\d\d/g, 'YYYY-MM-DD')).toBe(
      [
        `Loan #1 for alice, account ${w.savings}: 1000.00 USD over 3 months, 12.00 % a year, active.`,
        '#  DUE         PAYMENT  PRINCIPAL  INTEREST  REMAINING',
        '1  YYYY-MM-DD   340.02     330.02     10.00     669.98',
        '2  YYYY-MM-DD   340.02     333.32      6.70     336.66',
        '3  YYYY-MM-DD   340.03     336.66      3.37       0.00',
        'Total: 1020.07 USD (principal 1000.00 + interest 20.07).',
        'Paid: 0.00. Outstanding: 1020.07. Next instalment due: 340.02.',
        '',
      ].join('\n'),
    );
    expect((await w.as('alice', ['loans', 'repay', '1'])).stdout).toBe(
      'Paid 340.02 USD on loan #1. Outstanding: 680.05 USD; next instalment due: 340.02 USD.\n',
    );
    expect(await w.as('alice', ['loans', 'repay', '1', '680.06'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: overpayment: loan #1 has 680.05 USD left to pay, not 680.06 USD\n',
    });
    expect((await w.as('alice', ['loans', 'repay', '1', '680.05'])).stdout).toBe(
      'Paid 680.05 USD; loan #1 is paid off and closed.\n',
    );
    const mine = JSON.parse((await w.as('alice', ['loans', '--json'])).stdout) as object[];
    expect(mine).toMatchObject([{ id: 1, status: 'closed', rate: '12.00', principal: '1000.00' }]);
    expect(JSON.parse((await w.as('alice', ['accounts', '--json'])).stdout)).toMatchObject([
      { number: w.savings, balance: '0.00' },
    ]);
    expect(await w.as('alice', ['loans', 'repay', 'x'])).toMatchObject({
      code: 2,
      stderr: 'bank: loan id must be a positive whole number, got "x"\n',
    });
    const log = JSON.parse((await w.as('root', ['admin', 'log', '--json', '--limit', '1'])).stdout) as object[];
    expect(log).toMatchObject([
      { action: 'loan-approve', target: '#1', detail: 'alice: 1000.00, 3 months at 12.00 %' },
    ]);
    await expectLedgerOk(w.as);
  });
});
