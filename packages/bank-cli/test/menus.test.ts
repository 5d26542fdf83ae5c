import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { register } from '../src/domain/auth.js';
import { deposit } from '../src/domain/payments.js';
import { PASSWORD, testBank } from './helpers.js';
import { answer, choose, ctrlC, HINT, screen, start, transferToBob, until } from './menu-screen.js';

describe('interactive menus', () => {
  it('registers, opens an account, deposits, lists accounts, logs out and quits', async () => {
    const { bank } = testBank();
    const done = start(bank);
    expect(await until('Welcome')).toBe(`Welcome to bank (USD).\n❯ Log in\n  Register\n  Quit\n\n${HINT}`);

    await choose(1);
    expect(await until('Choose a username')).toBe('? Choose a username (3-32 of a-z 0-9 _ . -):');
    await answer('a!');
    expect(await until('>')).toContain('> username must be at least 3 characters');
    screen.keypress('backspace');
    screen.keypress('backspace');
    await answer('Alice');
    await until('Choose a password');
    await answer('short');
    expect(await until('> ')).toContain('> password must be at least 12 characters');
    for (let i = 0; i < 5; i += 1) screen.keypress('backspace');
    await answer(PASSWORD);
    await until('Repeat the password');
    await answer(PASSWORD);
    expect(await until('Logged in as alice.')).toBe(
      [
        'Welcome, alice! Your user is ready.',
        '',
        'Logged in as alice.',
        '❯ My accounts',
        '  Open account',
        '  Deposit',
        '  Withdraw',
        '  Transfer',
        '  History',
        '  Statement',
        '  Loans',
        '  Two-factor login',
        '  Change password',
        '  Notifications',
        '  Log out',
        '',
        HINT,
      ].join('\n'),
    );

    await choose(1); // Open account
    await until('Which kind of account?');
    await choose(0); // Savings
    await until('Name (optional):');
    await answer('Rainy day');
    const [account] = bank.store.accounts.listAll();
    expect(await until('Opened')).toContain(
      `Opened savings account ${account!.number} "Rainy day".\n\nLogged in as alice.`,
    );

    await choose(2); // Deposit
    expect(await until('Deposit into which account?')).toContain(`❯ ${account!.number}  savings   Rainy day  0.00 USD`);
    await choose(0);
    await until('Amount to deposit: (USD)');
    await answer('12.345');
    expect(await until('> ')).toContain('> amount has more than 2 decimal places');
    screen.keypress('backspace');
    await answer('');
    await until('Note (optional):');
    await answer('birthday');
    expect(await until('Deposited')).toContain('Deposited 12.34 USD. Balance: 12.34 USD. Transaction #1.');

    await choose(0); // My accounts
    expect(await until('NUMBER')).toContain(
      `NUMBER      TYPE     NAME         BALANCE\n${account!.number}  savings  Rainy day  12.34 USD\n\nLogged in as alice.`,
    );

    await choose(6); // Statement
    await until('Statement of which account?');
    await choose(0);
    await until('Month (YYYY-MM):');
    await answer('');
    expect(await until('Closing balance')).toContain(
      'Opening balance: 0.00\n' +
        'DATE (UTC)           ID  TYPE     COUNTERPARTY  NOTE      AMOUNT  BALANCE\n' +
        '2026-01-15 12:00:00   1  deposit                birthday  +12.34    12.34\n\n' +
        'Total in:  12.34\nTotal out: 0.00\nClosing balance: 12.34\n\nLogged in as alice.',
    );

    await choose(11); // Log out
    expect(await until('Logged out.')).toBe(
      `Logged out.\n\nWelcome to bank (USD).\n❯ Log in\n  Register\n  Quit\n\n${HINT}`,
    );
    // Quit: no prompt follows, so wait for the menus to return rather than for a render.
    screen.keypress('down');
    screen.keypress('down');
    screen.keypress('enter');
    await done;
    expect(bank.store.accounts.byNumber(account!.number!)?.balance).toBe(1234);
  });

  it('logs in, goes back with Ctrl-C and Esc, transfers after confirming, and shows errors as one line', async () => {
    const { bank } = testBank();
    const alice = await register(bank, 'alice', PASSWORD);
    const bob = await register(bank, 'bob', PASSWORD);
    const a = openAccount(bank, alice, 'checking').number!;
    const b = openAccount(bank, bob, 'savings', 'Nest egg').number!;
    deposit(bank, alice, a, '100.00');
    const done = start(bank);

    // Ctrl-C in a form goes back to the menu it came from.
    await until('Welcome');
    await choose(0);
    await until('Username:');
    ctrlC();
    expect(await until('Cancelled.')).toBe(
      `Cancelled.\n\nWelcome to bank (USD).\n❯ Log in\n  Register\n  Quit\n\n${HINT}`,
    );

    // A wrong password is one generic line, and the menu carries on.
    await choose(0);
    await until('Username:');
    await answer('alice');
    await until('Password:');
    await answer('not the password');
    expect(await until('Error:')).toContain('Error: invalid username or password\n\nWelcome to bank (USD).');

    await choose(0);
    await until('Username:');
    await answer('alice');
    await until('Password:');
    screen.type(PASSWORD);
    expect(screen.getScreen()).toBe(`? Password: ${'*'.repeat(PASSWORD.length)}\nctrl+t toggle visibility`);
    screen.keypress('enter');
    await until('Logged in as alice.');

    // Esc in the middle of a withdrawal: back to the user menu, nothing moved.
    await choose(3);
    await until('Withdraw from which account?');
    await choose(0);
    await until('Amount to withdraw');
    screen.type('5');
    screen.keypress('escape');
    expect(await until('Cancelled.')).toContain('Cancelled.\n\nLogged in as alice.');

    // An overdraft is refused with one line.
    await choose(3);
    await until('Withdraw from which account?');
    await choose(0);
    await until('Amount to withdraw');
    await answer('100.01');
    await until('Note');
    await answer('');
    expect(await until('Error:')).toContain(
      `Error: insufficient funds: ${a} has 100.00 USD, needs 100.01\n\nLogged in as alice.`,
    );

    // Transfer to bob, picked from lists, confirmed with the owner's name shown.
    const screens = await transferToBob('25.5', 'dinner');
    expect(screens.target).toContain("❯ Another customer's account…");
    expect(screens.account).toContain(`❯ ${b}  savings   Nest egg`);
    expect(screens.confirm).toBe(
      `? Transfer 25.50 USD from ${a} to ${b} (savings, owner bob)? Fee: 0.00 USD, total 25.50 USD. (y/N)`,
    );
    await answer('y');
    expect(await until('Sent')).toContain(`Sent 25.50 USD to ${b} (bob). Balance: 74.50 USD. Transaction #2.`);

    // Declining the confirmation moves nothing.
    await transferToBob('1', '');
    await answer('n');
    expect(await until('Transfer cancelled')).toContain('Transfer cancelled; nothing was moved.');

    await choose(5); // History
    await until('History of which account?');
    await choose(0);
    const history = await until('History of');
    expect(history).toContain(`History of ${a} "Checking" (latest 20):\nID  DATE (UTC)`);
    expect(history).toMatch(new RegExp(` 2  \\S+ \\S+  transfer_out   -25\\.50    74\\.50  ${b} \\(bob\\)  dinner`));

    // Ctrl-C on the user menu logs out; on the first menu it quits.
    ctrlC();
    expect(await until('Logged out.')).toContain('Logged out.\n\nWelcome to bank (USD).');
    ctrlC();
    await done;
    expect(bank.store.accounts.byNumber(a)?.balance).toBe(7450);
    expect(bank.store.accounts.byNumber(b)?.balance).toBe(2550);
  });

  it('gives administrators their panel: users, activation, accounts, audit, admin log, verify, change password', async () => {
    const { bank } = testBank();
    const { initAdmin } = await import('../src/domain/admin.js');
    await initAdmin(bank, 'root', PASSWORD);
    const bob = await register(bank, 'bob', PASSWORD);
    const b = openAccount(bank, bob, 'checking').number!;
    deposit(bank, bob, b, '3.00');
    const done = start(bank);
    await until('Welcome');
    await choose(0);
    await until('Username:');
    await answer('root');
    await until('Password:');
    await answer(PASSWORD);
    const menu = await until('Logged in as root (admin).');
    expect(menu).toContain(
      [
        '  Change password',
        ' ── administration ──',
        '  All users',
        '  Activate/deactivate user',
        '  All accounts',
        '  Transaction audit log',
        '  Admin action log',
        '  Verify ledger',
        '  Limits and fees',
        '  Interest rates',
        '  Post monthly interest',
        '  Loan applications',
        '  Reset two-factor login',
        ' ──────────────',
        '  Notifications',
        '  Log out',
      ].join('\n'),
    );

    await choose(10); // All users
    expect(await until('USERNAME')).toContain(
      'USERNAME  ROLE   STATUS\nbob       user   active\nroot      admin  active',
    );
    await choose(11); // Activate/deactivate
    expect(await until('Activate or deactivate whom?')).toContain('❯ bob (active: deactivate)');
    await choose(0);
    expect(await until('bob is now')).toContain('bob is now deactivated.');
    await choose(12); // All accounts
    expect(await until('OWNER')).toContain(`${b}  checking  Checking  3.00 USD  bob (inactive)`);
    await choose(13); // Audit
    expect(await until('Latest transactions:')).toMatch(
      new RegExp(` 1  \\S+ \\S+  deposit    3\\.00  \\(cash\\)  ${b}  bob`),
    );
    await choose(14); // Admin log
    expect(await until('ACTION')).toMatch(
      / 2 {2}\S+ \S+ {2}root {2}deactivate {2}bob\n 1 {2}\S+ \S+ {2}root {2}init {8}root/,
    );
    await choose(15); // Verify
    expect(await until('ledger OK')).toContain('ledger OK\n\nLogged in as root (admin).');

    await choose(9); // Change password
    await until('Current password:');
    await answer(PASSWORD);
    await until('New password');
    await answer('root password!');
    expect(await until('> ')).toContain('> password must not contain the username');
    for (let i = 0; i < 'root password!'.length; i += 1) screen.keypress('backspace');
    await answer('a much better one');
    await until('Repeat the new password:');
    await answer('a much better one');
    expect(await until('Password changed.')).toContain('Password changed.\n\nLogged in as root (admin).');
    ctrlC();
    await until('Logged out.');
    ctrlC();
    await done;
    const { login } = await import('../src/domain/login.js');
    expect((await login(bank, 'root', 'a much better one')).username).toBe('root');
  });
});
