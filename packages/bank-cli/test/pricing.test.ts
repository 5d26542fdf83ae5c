import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { adminActions } from '../src/domain/admin.js';
import { deposit, transfer, withdraw } from '../src/domain/payments.js';
import { setDailyLimit, setTransferFee } from '../src/domain/pricing.js';
import { adminAndAlice, BIN, expectLedgerOk, makeUser, PASSWORD } from './helpers.js';
import { withDatabase } from './test-database.js';

async function world() {
  const w = await adminAndAlice(Date.parse('2026-03-10T08:00:00Z'));
  const checking = openAccount(w.bank, w.alice, 'checking').number!;
  const bob = await makeUser(w.bank, 'bob');
  const bobs = openAccount(w.bank, bob, 'checking').number!;
  deposit(w.bank, w.alice, checking, '1000.00');
  return { ...w, checking, bob, bobs };
}

describe('daily limits and transfer fees (use cases)', () => {
  it('counts withdrawals and outgoing transfers per UTC day and states what is left', async () => {
    const w = await world();
    setDailyLimit(w.bank, w.root, 'checking', '300.00');
    withdraw(w.bank, w.alice, w.checking, '100.00');
    transfer(w.bank, w.alice, w.checking, w.bobs, '150.00');
    // Incoming money and deposits do not give allowance back.
    transfer(w.bank, w.bob, w.bobs, w.checking, '10.00');
    expect(() => transfer(w.bank, w.alice, w.checking, w.bobs, '50.01')).toThrow(
      'daily limit exceeded: 50.00 USD of the 300.00 USD daily limit for checking accounts is left today (UTC)',
    );
    expect(() => withdraw(w.bank, w.alice, w.checking, '60.00')).toThrow('50.00 USD of the 300.00 USD');
    withdraw(w.bank, w.alice, w.checking, '50.00');
    expect(() => withdraw(w.bank, w.alice, w.checking, '0.01')).toThrow('0.00 USD of the 300.00 USD');
    // Savings have no limit set; the next UTC day starts afresh.
    deposit(w.bank, w.alice, w.savings, '500.00');
    withdraw(w.bank, w.alice, w.savings, '500.00');
    w.clock.now = Date.parse('2026-03-11T00:00:00Z');
    withdraw(w.bank, w.alice, w.checking, '300.00');
    expect(w.bank.store.accounts.byNumber(w.checking)!.balance).toBe(41_000);
    setDailyLimit(w.bank, w.root, 'checking', 'none');
    withdraw(w.bank, w.alice, w.checking, '400.00');
    expect(adminActions(w.bank, w.root).map((a) => [a.action, a.target, a.detail])).toEqual([
      ['limit', 'checking', 'no limit'],
      ['limit', 'checking', 'daily 300.00 USD'],
      ['init', 'root', null],
    ]);
  });

  it('counts exactly today when the clock steps back, and nothing from before the day', async () => {
    const w = await world();
    setDailyLimit(w.bank, w.root, 'checking', '300.00');
    const today = Date.parse('2026-03-11T00:00:00Z');
    // Yesterday's payments (they must not count today).
    for (let i = 0; i < 5; i += 1) withdraw(w.bank, w.alice, w.checking, '20.00');
    const account = w.bank.store.accounts.byNumber(w.checking)!.id;
    expect(w.bank.store.ledger.outgoingSince(account, today)).toBe(0);
    w.clock.now = Date.parse('2026-03-11T10:00:00Z');
    transfer(w.bank, w.alice, w.checking, w.bobs, '100.00');
    // The clock steps back an hour: a later row with an earlier time is still today's.
    w.clock.now = Date.parse('2026-03-11T09:00:00Z');
    withdraw(w.bank, w.alice, w.checking, '150.00');
    expect(w.bank.store.ledger.outgoingSince(account, today)).toBe(25_000);
    w.clock.now = Date.parse('2026-03-11T11:00:00Z');
    expect(() => withdraw(w.bank, w.alice, w.checking, '50.01')).toThrow(
      'daily limit exceeded: 50.00 USD of the 300.00 USD daily limit for checking accounts is left today (UTC)',
    );
    withdraw(w.bank, w.alice, w.checking, '50.00');
    expect(w.bank.store.ledger.outgoingSince(account, today)).toBe(30_000);
    expect(w.bank.store.accounts.byNumber(w.checking)!.balance).toBe(60_000);
  });

  it('posts the fee with the transfer to fee-income, and refuses what the balance cannot cover', async () => {
    const w = await world();
    setTransferFee(w.bank, w.root, 'checking', { percent: '1.5', min: '0.25', max: '5.00' });
    const sent = transfer(w.bank, w.alice, w.checking, w.bobs, '100.00');
    expect(sent).toMatchObject({ fee: 150, feeTransactionId: sent.transactionId + 1, balanceAfter: 90_000 });
    expect(w.bank.store.accounts.byNumber(w.checking)!.balance).toBe(89_850);
    expect(w.bank.store.accounts.bySystemCode('fee-income')!.balance).toBe(150);
    expect(transfer(w.bank, w.alice, w.checking, w.bobs, '1.00').fee).toBe(25); // the minimum
    expect(transfer(w.bank, w.alice, w.checking, w.bobs, '800.00').fee).toBe(500); // the maximum
    // 92.25 left: 92.00 + the 1.38 fee does not fit, though 92.00 alone would.
    expect(w.bank.store.accounts.byNumber(w.checking)!.balance).toBe(9_225);
    expect(() => transfer(w.bank, w.alice, w.checking, w.bobs, '92.00')).toThrow(
      `insufficient funds: ${w.checking} has 92.25 USD, needs 93.38 USD (92.00 USD + fee 1.38 USD)`,
    );
    // The receiving account's type does not matter; savings (no rule) send for free.
    deposit(w.bank, w.alice, w.savings, '10.00');
    expect(transfer(w.bank, w.alice, w.savings, w.checking, '10.00')).toMatchObject({ fee: 0, feeTransactionId: null });
    setTransferFee(w.bank, w.root, 'checking', { fixed: '0.40' });
    expect(transfer(w.bank, w.alice, w.checking, w.bobs, '5.00').fee).toBe(40);
    expect(w.bank.store.accounts.bySystemCode('fee-income')!.balance).toBe(715);
    expect(adminActions(w.bank, w.root).map((a) => [a.action, a.target, a.detail])).toEqual([
      ['fee', 'checking', '0.40 USD per transfer'],
      ['fee', 'checking', '1.50 % per transfer, min 0.25 USD, max 5.00 USD'],
      ['init', 'root', null],
    ]);
    expect(() => setTransferFee(w.bank, w.root, 'checking', { fixed: '1', percent: '2' })).toThrow(
      'give either --fixed AMOUNT or --percent RATE',
    );
    expect(() => setTransferFee(w.bank, w.root, 'checking', { percent: '2', min: '3', max: '2' })).toThrow(
      '--max must not be below --min',
    );
    expect(() => setDailyLimit(w.bank, w.alice, 'checking', '1')).toThrow('this needs an administrator');
  });
});

describe('limits and fees through the built bin', () => {
  it('sets, lists and logs them; transfers show the fee; the ledger verifies', async () => {
    const w = await world();
    expect(await w.as('root', ['admin', 'limits', 'set', 'checking', '500'])).toEqual({
      code: 0,
      stdout: 'Daily withdrawal and transfer limit for checking accounts: 500.00 USD.\n',
      stderr: '',
    });
    expect((await w.as('root', ['admin', 'fees', 'set', 'checking', '--fixed', '0.50'])).stdout).toBe(
      'Transfer fee for checking accounts: 0.50 USD per transfer.\n',
    );
    expect((await w.as('root', ['admin', 'fees'])).stdout).toBe(
      [
        'TYPE      DAILY LIMIT (USD)  TRANSFER FEE',
        'checking  500.00             0.50 USD per transfer',
        'savings   none               none',
        '',
      ].join('\n'),
    );
    const sent = await w.as('alice', ['transfer', w.checking, w.bobs, '100']);
    expect(sent.stdout).toBe(
      `Sent 100.00 USD to ${w.bobs} (bob). Balance: 900.00 USD. Transaction #2. ` +
        'Fee: 0.50 USD (transaction #3). Balance after the fee: 899.50 USD.\n',
    );
    const json = JSON.parse((await w.as('alice', ['transfer', w.checking, w.bobs, '1', '--json'])).stdout) as object;
    expect(json).toMatchObject({ id: 4, fee: '0.50', feeTransactionId: 5, balanceAfterFee: '898.00' });
    expect(await w.as('alice', ['withdraw', w.checking, '399.01'])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'bank: daily limit exceeded: 399.00 USD of the 500.00 USD daily limit for checking accounts is left today (UTC)\n',
    });
    const history = await w.as('alice', ['history', w.checking, '--limit', '2']);
    expect(
      history.stdout
        .split('\n')
        .slice(1, 3)
        .map((l) => l.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/, 'DATE')),
    ).toEqual([
      ' 5  DATE  fee            -0.50   898.00                    fee for transfer #4',
      ` 4  DATE  transfer_out   -1.00   898.50  ${w.bobs} (bob)`,
    ]);
    expect(await w.as('root', ['admin', 'fees', 'set', 'checking', 'maybe'])).toMatchObject({
      code: 2,
      stderr: 'bank: expected "none" or fee options, got "maybe"\n',
    });
    expect((await w.as('root', ['admin', 'fees', 'set', 'checking', 'none'])).stdout).toBe(
      'No transfer fee for checking accounts.\n',
    );
    expect((await w.as('root', ['admin', 'log', '--limit', '3', '--json'])).stdout).toContain('"detail": "no fee"');
    await expectLedgerOk(w.as);
  });

  it('holds the daily limit across simultaneous processes', async () => {
    const w = await world();
    await w.as('root', ['admin', 'limits', 'set', 'checking', '100']);
    // Four processes each withdraw 40.00 at once: exactly two fit in 100.00.
    const runs = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, [BIN, 'withdraw', w.checking, '40'], {
              env: withDatabase({
                PATH: process.env['PATH'] ?? '',
                BANK_DB: w.file,
                BANK_USER: 'alice',
                BANK_PASSWORD: PASSWORD,
                BANK_BCRYPT_COST: '4',
              }),
            });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('close', (code) => resolve({ code, stderr }));
          }),
      ),
    );
    expect(runs.map((r) => r.code).sort()).toEqual([0, 0, 1, 1]);
    for (const r of runs.filter((x) => x.code === 1)) {
      expect(r.stderr).toBe(
        'bank: daily limit exceeded: 20.00 USD of the 100.00 USD daily limit for checking accounts is left today (UTC)\n',
      );
    }
    await expectLedgerOk(w.as);
  });
});
