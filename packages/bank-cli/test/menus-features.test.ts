import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { initAdmin } from '../src/domain/admin.js';
import { deposit } from '../src/domain/payments.js';
import { setTransferFee } from '../src/domain/pricing.js';
import { beginEnrolment, confirmEnrolment } from '../src/domain/two-factor.js';
import { makeUser, PASSWORD, testBank } from './helpers.js';
import { answer, choose, ctrlC, logIn, screen, start, transferToBob, until } from './menu-screen.js';

const T0 = Date.UTC(2026, 1, 10, 12, 0, 0);
const codeAt = (secret: string, ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });
// User menu: ... 6 Statement, 7 Loans, 8 Two-factor login, 9 Change password; then Notifications (10) and Log out (11), or the admin part.
const MENU = { transfer: 4, loans: 7, twoFactor: 8, logout: 11 } as const;
const ADMIN = { pricing: 16, rates: 17, accrue: 18, loanApplications: 19, reset2fa: 20, logout: 22 } as const;

describe('menus for two-factor login, fees, interest and loans', () => {
  it('asks the code after the password, shows the fee, runs loans and the admin tools', async () => {
    const { bank, clock } = testBank(undefined, Date.UTC(2025, 11, 20));
    await initAdmin(bank, 'root', PASSWORD);
    const alice = await makeUser(bank, 'alice');
    const bob = await makeUser(bank, 'bob');
    const a = openAccount(bank, alice, 'savings').number!;
    openAccount(bank, bob, 'checking');
    deposit(bank, alice, a, '100.00');
    setTransferFee(bank, bank.store.users.byUsername('root')!, 'savings', { fixed: '0.50' });
    clock.now = T0;
    const { secret } = beginEnrolment(bank, alice);
    confirmEnrolment(bank, alice, secret, codeAt(secret, T0));
    const done = start(bank);

    // A wrong code is a failed login; the next step's code (one step of drift) lets alice in.
    await logIn('alice', PASSWORD, '000000');
    expect(await until('Error:')).toContain('Error: invalid username, password or two-factor code');
    await logIn('alice', PASSWORD, codeAt(secret, T0 + 30_000));
    await until('Logged in as alice.');

    const { confirm } = await transferToBob('10', '');
    expect(confirm).toContain('Fee: 0.50 USD, total 10.50 USD. (y/N)');
    await answer('y');
    expect(await until('Fee: 0.50 USD (transaction')).toContain('Balance after the fee: 89.50 USD.');

    await choose(MENU.loans);
    await until('Loans:');
    await choose(0); // Apply
    await until('Pay the loan into which account?');
    await choose(0);
    await until('Amount to borrow:');
    await answer('300');
    await until('Repay over how many months');
    await answer('0');
    expect(await until('> ')).toContain('--months must be a whole number from 1 to 360, got "0"');
    screen.keypress('backspace');
    await answer('3');
    expect(await until('Applied for loan #1')).toContain('Applied for loan #1: 300.00 USD over 3 months');
    await choose(MENU.logout);

    await logIn('root', PASSWORD);
    await until('Logged in as root');
    await choose(ADMIN.loanApplications);
    expect(await until('Decide on which application?')).toContain('#1  alice  300.00 USD  3 months  pending');
    await choose(0);
    await until('Loan #1:');
    await choose(0); // Approve
    await until('Annual rate in percent:');
    await answer('12');
    expect(await until('Loan #1 approved')).toContain(
      '1  2026-03-10   102.01      99.01      3.00     200.99\n' +
        '2  2026-04-10   102.01     100.00      2.01     100.99\n' +
        '3  2026-05-10   102.00     100.99      1.01       0.00',
    );
    await choose(ADMIN.rates);
    await until('Set a new rate for?');
    await choose(0); // savings
    await until('Annual rate in percent');
    await answer('3.65');
    await until('From (YYYY-MM-DD, UTC):');
    await answer('2026-01-01');
    expect(await until('Interest on savings')).toContain(
      'Interest on savings accounts: 3.65 % a year from 2026-01-01.',
    );
    await choose(ADMIN.accrue);
    await until('Post interest for which month');
    await answer(''); // the default: last month, January: 31 days of 100.00 at 3.65 % = 31 cents
    expect(await until('Posted interest')).toContain(`Posted interest for 2026-01: 1 account(s), 0.31 USD.`);
    await choose(ADMIN.pricing);
    await until('Change what?');
    await choose(0); // Daily limit
    await until('For which account type?');
    await choose(1); // checking
    await until('Daily limit');
    await answer('250');
    expect(await until('Daily limit for')).toContain('Daily limit for checking accounts: 250.00 USD.');
    await choose(ADMIN.reset2fa);
    await until('Turn off two-factor login for whom?');
    await choose(0);
    expect(await until('is off for')).toContain('Two-factor login is off for alice.');
    await choose(ADMIN.logout);

    // Without two-factor login now: repay the next instalment, then turn it on again from the menu.
    clock.now = T0 + 3_600_000;
    await logIn('alice', PASSWORD);
    await until('Logged in as alice');
    await choose(MENU.loans);
    await until('Loans:');
    await choose(2); // Repay
    await until('Repay which loan?');
    await choose(0);
    await until('next instalment 102.01');
    await answer('');
    expect(await until('Outstanding')).toContain('Paid 102.01 USD. Outstanding: 204.01 USD.');
    await choose(MENU.twoFactor);
    const shown = await until('Code from the app to confirm:');
    const newSecret = /Secret: ([A-Z2-7]+)/.exec(shown)![1]!;
    await answer(codeAt(newSecret, clock.now));
    expect(await until('Recovery codes')).toMatch(
      /Two-factor login is on\. Recovery codes.*\n( {2}[a-z2-7]{4}(-[a-z2-7]{4}){3}\n){10}/,
    );
    ctrlC();
    await until('Logged out.');
    ctrlC();
    await done;
    const { verifyLedger } = await import('../src/domain/admin.js');
    expect(verifyLedger(bank, bank.store.users.byUsername('root')!)).toEqual([]);
  });
});
