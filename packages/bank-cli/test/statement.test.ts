import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { deposit, transfer, withdraw } from '../src/domain/payments.js';
import { monthlyStatement } from '../src/domain/statement.js';
import { adminAndAlice, expectLedgerOk, makeUser, tempDir } from './helpers.js';

const at = (iso: string) => Date.parse(iso);

/** alice's savings: 100.00 in December, then January and February activity with bob. */
async function world() {
  const w = await adminAndAlice(at('2025-12-20T10:00:00Z'));
  const bob = await makeUser(w.bank, 'bob');
  const bobs = openAccount(w.bank, bob, 'checking').number!;
  deposit(w.bank, w.alice, w.savings, '100.00');
  w.clock.now = at('2026-01-05T09:00:00Z');
  deposit(w.bank, w.alice, w.savings, '50.25', 'salary');
  w.clock.now = at('2026-01-17T18:30:00Z');
  transfer(w.bank, w.alice, w.savings, bobs, '30.00', 'rent, "January"');
  w.clock.now = at('2026-01-31T23:59:59.999Z');
  withdraw(w.bank, w.alice, w.savings, '0.25');
  w.clock.now = at('2026-02-01T00:00:00Z');
  transfer(w.bank, bob, bobs, w.savings, '10.00');
  w.clock.now = at('2026-03-02T00:00:00Z');
  return { ...w, bobs };
}

describe('monthly statements', () => {
  it('opening + entries = closing, and each closing is the next opening', async () => {
    const w = await world();
    const months = ['2025-12', '2026-01', '2026-02', '2026-03'].map((m) =>
      monthlyStatement(w.bank, w.alice, w.savings, m),
    );
    expect(months.map((s) => [s.opening, s.totalIn, s.totalOut, s.closing])).toEqual([
      [0, 10_000n, 0n, 10_000],
      [10_000, 5_025n, 3_025n, 12_000],
      [12_000, 1_000n, 0n, 13_000],
      [13_000, 0n, 0n, 13_000],
    ]);
    for (const [i, s] of months.entries()) {
      expect(s.opening + s.entries.reduce((sum, e) => sum + e.amount, 0)).toBe(s.closing);
      if (i > 0) expect(s.opening).toBe(months[i - 1]!.closing);
    }
    // The last millisecond of January is in January; midnight of 1 February is not.
    expect(months[1]!.entries.map((e) => e.amount)).toEqual([5_025, -3_000, -25]);
    expect(() => monthlyStatement(w.bank, w.alice, w.savings, '2026-04')).toThrow('2026-04 has not started yet');
  });

  it('prints text, CSV and JSON through the built bin, writes files atomically, and refuses others', async () => {
    const w = await world();
    const text = await w.as('alice', ['statement', w.savings, '--month', '2026-01']);
    expect(text.stderr).toBe('');
    expect(text.stdout).toBe(
      [
        `Statement of account ${w.savings} (savings, "Savings")`,
        'Owner: alice',
        'Period: 2026-01-01 to 2026-01-31 (UTC)',
        'Currency: USD',
        '',
        'Opening balance: 100.00',
        'DATE (UTC)           ID  TYPE          COUNTERPARTY      NOTE             AMOUNT  BALANCE',
        `2026-01-05 09:00:00   2  deposit                         salary           +50.25   150.25`,
        `2026-01-17 18:30:00   3  transfer_out  ${w.bobs} (bob)  rent, "January"  -30.00   120.25`,
        `2026-01-31 23:59:59   4  withdrawal                                        -0.25   120.00`,
        '',
        'Total in:  50.25',
        'Total out: 30.25',
        'Closing balance: 120.00',
        '',
      ].join('\n'),
    );
    const csv = await w.as('alice', ['statement', w.savings, '--month', '2026-01', '--format', 'csv']);
    expect(csv.stdout).toBe(
      [
        'date,id,type,counterparty,note,amount,balance',
        '2026-01-01,,opening,,,,100.00',
        '2026-01-05T09:00:00.000Z,2,deposit,,salary,50.25,150.25',
        `2026-01-17T18:30:00.000Z,3,transfer_out,${w.bobs},"rent, ""January""",-30.00,120.25`,
        '2026-01-31T23:59:59.999Z,4,withdrawal,,,-0.25,120.00',
        '2026-01-31,,closing,,,,120.00',
      ].join('\r\n') + '\n',
    );
    const dir = tempDir();
    const file = join(dir, 'feb.json');
    const written = await w.as('alice', ['statement', w.savings, '--month', '2026-02', '--format', 'json', '-o', file]);
    expect(written).toEqual({
      code: 0,
      stdout: `Statement for ${w.savings}, 2026-02, written to ${file} (json).\n`,
      stderr: '',
    });
    expect(readdirSync(dir)).toEqual(['feb.json']); // no temporary file left behind
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      account: w.savings,
      owner: 'alice',
      type: 'savings',
      name: 'Savings',
      currency: 'USD',
      period: { month: '2026-02', from: '2026-02-01', to: '2026-02-28' },
      opening: '120.00',
      entries: [
        {
          id: 5,
          date: '2026-02-01T00:00:00.000Z',
          type: 'transfer_in',
          amount: '10.00',
          balance: '130.00',
          counterparty: w.bobs,
          counterpartyOwner: 'bob',
          note: null,
        },
      ],
      totalIn: '10.00',
      totalOut: '0.00',
      closing: '130.00',
    });
    expect(await w.as('bob', ['statement', w.savings, '--month', '2026-01'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `bank: account ${w.savings} is not yours\n`,
    });
    expect(await w.as('alice', ['statement', w.savings, '--month', '2026-1'])).toMatchObject({
      code: 2,
      stderr: 'bank: month must be YYYY-MM, such as 2026-01, got "2026-1"\n',
    });
    expect(await w.as('alice', ['statement', w.savings, '--month', '2026-01', '--format', 'pdf'])).toMatchObject({
      code: 2,
      stderr: 'bank: --format must be text, csv or json, got "pdf"\n',
    });
    const missingDir = join(dir, 'nope', 'x.csv');
    expect(await w.as('alice', ['statement', w.savings, '--month', '2026-01', '-o', missingDir])).toEqual({
      code: 2,
      stdout: '',
      stderr: `bank: cannot write ${missingDir}: no such directory\n`,
    });
    expect(readdirSync(dir)).toEqual(['feb.json']);
    // An administrator may read any account's statement.
    expect((await w.as('root', ['statement', w.savings, '--month', '2026-02', '--json'])).code).toBe(0);
    await expectLedgerOk(w.as);
  });
});
