import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { deposit, transfer } from '../src/domain/payments.js';
import { adminAndAlice, expectLedgerOk, makeUser } from './helpers.js';

/** The test's clock starts at the top of the current minute (not a fixed day): the accounts are then younger than
 * last month, and a login by the bin (on the real clock) makes no statement notice. */
const START = Math.floor(Date.now() / 60_000) * 60_000;
const shown = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** alice (savings, 100.00) and bob (checking), and two transfers from bob to alice. */
async function world() {
  const t = await adminAndAlice(START);
  const bob = await makeUser(t.bank, 'bob');
  const b = openAccount(t.bank, bob, 'checking').number!;
  deposit(t.bank, t.alice, t.savings, '100.00');
  deposit(t.bank, bob, b, '10.00');
  transfer(t.bank, bob, b, t.savings, '1.50', 'coffee');
  t.clock.now += 60_000;
  transfer(t.bank, bob, b, t.savings, '2.00');
  return { ...t, b };
}

describe('bank notifications and bank alerts (built bin)', () => {
  it('lists newest first as text and JSON, --unread, and marks read by id and --all', async () => {
    const t = await world();
    const [second, first] = t.bank.store.notifications.list(t.alice.id, false).map((n) => n.id);
    expect(await t.as('alice', ['notifications'])).toEqual({
      code: 0,
      stdout:
        'ID  DATE (UTC)           STATUS  MESSAGE\n' +
        ` ${second}  ${shown(START + 60_000)}  unread  Received 2.00 USD on ${t.savings} from ${t.b}.\n` +
        ` ${first}  ${shown(START)}  unread  Received 1.50 USD on ${t.savings} from ${t.b}, note "coffee".\n`,
      stderr: '',
    });
    expect(await t.as('alice', ['notifications', 'read', String(first)])).toEqual({
      code: 0,
      stdout: 'Marked 1 notification read.\n',
      stderr: '',
    });
    const unread = await t.as('alice', ['notifications', '--unread', '--json']);
    expect(unread.code).toBe(0);
    expect(JSON.parse(unread.stdout)).toEqual([
      {
        id: second,
        kind: 'received',
        message: `Received 2.00 USD on ${t.savings} from ${t.b}.`,
        createdAt: new Date(START + 60_000).toISOString(),
        read: false,
        readAt: null,
      },
    ]);
    const all = JSON.parse((await t.as('alice', ['notifications', 'list', '--json'])).stdout) as { read: boolean }[];
    expect(all.map((n) => n.read)).toEqual([false, true]);
    expect(await t.as('alice', ['notifications', 'read', '--all'])).toMatchObject({
      code: 0,
      stdout: 'Marked 1 notification read.\n',
    });
    expect(await t.as('alice', ['notifications', '--unread'])).toEqual({
      code: 0,
      stdout: 'No unread notifications.\n',
      stderr: '',
    });
    expect(await t.as('root', ['notifications'])).toEqual({ code: 0, stdout: 'No notifications.\n', stderr: '' });
    await expectLedgerOk(t.as);
  });

  it('refuses an unknown id and someone else’s alike, a bad id, and read with nothing to read', async () => {
    const t = await world();
    const [aliceId] = t.bank.store.notifications.list(t.alice.id, false).map((n) => n.id);
    for (const id of [aliceId!, 999]) {
      expect(await t.as('bob', ['notifications', 'read', String(id)])).toEqual({
        code: 1,
        stdout: '',
        stderr: `bank: notification #${id} not found\n`,
      });
    }
    expect(await t.as('alice', ['notifications', 'read', 'abc'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: notification id must be a positive whole number, got "abc"\n',
    });
    expect(await t.as('alice', ['notifications', 'read'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: name the notifications to mark read (their ids), or pass --all\n',
    });
    expect(t.bank.store.notifications.unreadCount(t.alice.id)).toBe(2);
  });

  it('shows, sets and clears thresholds, and refuses bad amounts with exit 2', async () => {
    const t = await world();
    expect(await t.as('alice', ['alerts'])).toEqual({
      code: 0,
      stdout: 'Large withdrawal or transfer out: off\nLow balance: off\n',
      stderr: '',
    });
    expect(await t.as('alice', ['alerts', 'set', '--large', '500.00', '--low', '20'])).toEqual({
      code: 0,
      stdout: 'Alerts saved.\nLarge withdrawal or transfer out: above 500.00 USD\nLow balance: below 20.00 USD\n',
      stderr: '',
    });
    expect(await t.as('alice', ['alerts', 'set', '--large', 'off', '--json'])).toEqual({
      code: 0,
      stdout: '{\n  "currency": "USD",\n  "large": null,\n  "low": "20.00"\n}\n',
      stderr: '',
    });
    for (const [input, message] of [
      ['abc', '"abc" is not an amount; use digits with an optional decimal point, such as 12.34'],
      ['-5', 'amount must not be negative'],
      ['5.001', 'amount has more than 2 decimal places'],
    ]) {
      expect(await t.as('alice', ['alerts', 'set', '--low', input!])).toEqual({
        code: 2,
        stdout: '',
        stderr: `bank: --low: ${message} (or "off")\n`,
      });
    }
    expect(await t.as('alice', ['alerts', 'set'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: alerts set needs --large AMOUNT and/or --low AMOUNT (or "off")\n',
    });
    expect(t.bank.store.notifications.alerts(t.alice.id)).toEqual({ largeAbove: null, lowBelow: 2000 });

    // The thresholds act on the bin's own payments: 100.00 + 3.50 -> 13.50 crosses 20.00.
    expect((await t.as('alice', ['withdraw', t.savings, '90.00'])).code).toBe(0);
    const listed = await t.as('alice', ['notifications', '--unread', '--json']);
    const kinds = (JSON.parse(listed.stdout) as { kind: string; message: string }[]).map((n) => [n.kind, n.message]);
    expect(kinds[0]).toEqual([
      'low_balance',
      `Low balance: ${t.savings} is at 13.50 USD, below your alert of 20.00 USD.`,
    ]);
    await expectLedgerOk(t.as);
  });

  it('offers no administrator command that lists users’ notifications', async () => {
    const t = await world();
    const help = await t.as('root', ['admin', '--help']);
    expect(help.stdout).not.toMatch(/notification/i);
    expect(await t.as('root', ['admin', 'notifications'])).toMatchObject({ code: 2 });
  });
});
