import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { deposit, transfer } from '../src/domain/payments.js';
import { makeUser, PASSWORD, testBank } from './helpers.js';
import { choose, ctrlC, HINT, logIn, start, until } from './menu-screen.js';

const NOTIFICATIONS = 10;

describe('menus: notifications', () => {
  it('shows the unread count at login, lists notifications, marks them all read', async () => {
    const { bank, clock } = testBank();
    const alice = await makeUser(bank, 'alice');
    const bob = await makeUser(bank, 'bob');
    const a = openAccount(bank, alice, 'savings').number!;
    const b = openAccount(bank, bob, 'checking').number!;
    deposit(bank, bob, b, '10.00');
    transfer(bank, bob, b, a, '2.50', 'thanks');
    clock.now += 60_000;
    const done = start(bank);

    await logIn('alice', 'not her password');
    expect(await until('Error:')).toContain('Error: invalid username or password');
    clock.now += 60_000;
    await logIn('alice', PASSWORD);
    expect(await until('Logged in as alice.')).toMatch(/^You have 2 unread notifications\.\n\nLogged in as alice\.\n/);

    await choose(NOTIFICATIONS);
    const list = await until('Mark all read');
    expect(list).toBe(
      [
        'ID  DATE (UTC)           STATUS  MESSAGE',
        ' 2  2026-01-15 12:02:00  unread  1 failed login attempt since your last successful login.',
        ` 1  2026-01-15 12:00:00  unread  Received 2.50 USD on ${a} from ${b}, note "thanks".`,
        '',
        'You have 2 unread notifications.',
        '❯ Mark all read',
        '  Back',
        '',
        HINT,
      ].join('\n'),
    );
    await choose(0);
    expect(await until('Marked')).toMatch(/^Marked 2 notifications read\.\n\nLogged in as alice\./);
    expect(bank.store.notifications.unreadCount(alice.id)).toBe(0);

    await choose(NOTIFICATIONS);
    const after = await until('No unread notifications.');
    expect(after).toContain(' 2  2026-01-15 12:02:00          1 failed login attempt');
    expect(after).toContain('No unread notifications.\n❯ Back');
    await choose(0);
    await until('Logged in as alice.');
    ctrlC();
    await until('Logged out.');

    // bob has none: no count at login, and the entry says so.
    await logIn('bob', PASSWORD);
    expect(await until('Logged in as bob.')).toMatch(/^Logged in as bob\./);
    await choose(NOTIFICATIONS);
    expect(await until('No notifications.')).toMatch(/^No notifications\.\n\nLogged in as bob\./);
    ctrlC();
    await until('Logged out.');
    ctrlC();
    await done;
  });
});
