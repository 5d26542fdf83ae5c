import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { deposit } from '../src/domain/payments.js';
import { adminAndAlice, expectLedgerOk, makeUser, tempDir } from './helpers.js';
import { ledgerSeeder } from './ledger-seed.js';

const refused = (field: string, char: string) => ({
  code: 2,
  stdout: '',
  stderr: `bank: ${field} must not contain control or bidirectional formatting characters (found ${char})\n`,
});

async function world() {
  const w = await adminAndAlice();
  const bob = await makeUser(w.bank, 'bob');
  const bobs = openAccount(w.bank, bob, 'checking').number!;
  deposit(w.bank, w.alice, w.savings, '100.00');
  return { ...w, bobs };
}

describe('free text that is stored and shown to people later', () => {
  it.each([
    ['a bidirectional override in a deposit note', ['deposit', 'S', '1', '--note', 'invoice\u202Efdp.exe'], 'U+202E'],
    ['an escape sequence in a withdrawal note', ['withdraw', 'S', '1', '--note', 'cash \x1b[2J'], 'U+001B'],
    ['a C1 control in a transfer note', ['transfer', 'S', 'B', '1', '--note', 'rent \u009b31m'], 'U+009B'],
    ['a newline in a transfer note', ['transfer', 'S', 'B', '1', '--note', 'line one\nline two'], 'U+000A'],
    ['a right-to-left mark in a transfer note', ['transfer', 'S', 'B', '1', '--note', 'pay \u200f'], 'U+200F'],
  ])('refuses %s, and writes nothing', async (_what, template, char) => {
    const w = await world();
    const args = template.map((a) => (a === 'S' ? w.savings : a === 'B' ? w.bobs : a));
    expect(await w.as('alice', args)).toEqual(refused('note', char));
    expect(JSON.parse((await w.as('alice', ['history', w.savings, '--json'])).stdout)).toHaveLength(1);
    expect(JSON.parse((await w.as('bob', ['history', w.bobs, '--json'])).stdout)).toEqual([]);
    await expectLedgerOk(w.as);
  });

  it('refuses such characters in an account name, and opens nothing', async () => {
    const w = await world();
    expect(await w.as('alice', ['accounts', 'open', 'checking', '--name', 'Bills\u2066'])).toEqual(
      refused('account name', 'U+2066'),
    );
    expect(await w.as('alice', ['accounts', 'open', 'checking', '--name', 'Bills\x07'])).toEqual(
      refused('account name', 'U+0007'),
    );
    expect(JSON.parse((await w.as('alice', ['accounts', '--json'])).stdout)).toHaveLength(1);
  });

  it('shows such characters already in a database as visible escapes, never raw, in text and JSON', async () => {
    const w = await world();
    ledgerSeeder(w.file).post(
      'deposit',
      [
        { account: w.savings, amount: 1n },
        { account: 'cash', amount: -1n },
      ],
      'gift \u202Etxt.exe \x1b]0;owned\x07',
    );
    const text = await w.as('alice', ['history', w.savings]);
    expect(text.stdout).toContain('gift <U+202E>txt.exe <U+001B>]0;owned<U+0007>\n');
    // eslint-disable-next-line no-control-regex
    expect(text.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const json = await w.as('alice', ['history', w.savings, '--json']);
    expect(json.stdout).toContain('"note": "gift \\u202etxt.exe \\u001b]0;owned\\u0007"');
    expect((JSON.parse(json.stdout) as { note: string }[])[0]!.note).toBe('gift \u202Etxt.exe \x1b]0;owned\x07');
    // Statement files are read later in a terminal or a spreadsheet: the same escapes.
    const dir = tempDir();
    const month = new Date().toISOString().slice(0, 7);
    for (const format of ['text', 'csv']) {
      const file = join(dir, `statement.${format}`);
      const args = ['statement', w.savings, '--month', month, '--format', format, '-o', file];
      expect((await w.as('alice', args)).code).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('gift <U+202E>txt.exe <U+001B>]0;owned<U+0007>');
    }
    // And an error quoting what was typed does not pass an escape sequence through.
    expect(await w.as('alice', ['accounts', 'open', 'sav\x1b[2Jings'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: account type must be savings or checking, got "sav<U+001B>[2Jings"\n',
    });
    await expectLedgerOk(w.as);
  });
});
