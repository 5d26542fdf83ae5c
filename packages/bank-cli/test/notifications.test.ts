import { describe, expect, it, vi } from 'vitest';
import { openAccount } from '../src/domain/accounts.js';
import { initAdmin } from '../src/domain/admin.js';
import { setAlerts } from '../src/domain/alerts.js';
import { login } from '../src/domain/login.js';
import { listNotifications, markNotificationsRead, unreadNotifications } from '../src/domain/notifications.js';
import { deposit, transfer, withdraw } from '../src/domain/payments.js';
import { setTransferFee } from '../src/domain/pricing.js';
import type { User } from '../src/domain/types.js';
import { makeUser, PASSWORD, testBank } from './helpers.js';

/** alice (savings, 100.00) and bob (checking, 50.00), at 2026-01-15 12:00 UTC. */
async function twoCustomers() {
  const t = testBank();
  const root = await initAdmin(t.bank, 'root', PASSWORD);
  const alice = await makeUser(t.bank, 'alice');
  const bob = await makeUser(t.bank, 'bob');
  const a = openAccount(t.bank, alice, 'savings').number!;
  const b = openAccount(t.bank, bob, 'checking').number!;
  deposit(t.bank, alice, a, '100.00');
  deposit(t.bank, bob, b, '50.00');
  const texts = (user: User) => listNotifications(t.bank, user, false).map((n) => [n.kind, n.message]);
  return { ...t, root, alice, bob, a, b, texts };
}

describe('notifications of money moving', () => {
  it('tells the receiver of a transfer the amount, the sender account and the note; the sender is told nothing', async () => {
    const t = await twoCustomers();
    transfer(t.bank, t.bob, t.b, t.a, '12.50', 'lunch');
    transfer(t.bank, t.bob, t.b, t.a, '1.00');
    expect(t.texts(t.alice)).toEqual([
      ['received', `Received 1.00 USD on ${t.a} from ${t.b}.`],
      ['received', `Received 12.50 USD on ${t.a} from ${t.b}, note "lunch".`],
    ]);
    expect(t.texts(t.bob)).toEqual([]);
    expect(listNotifications(t.bank, t.alice, false)[0]).toMatchObject({ createdAt: t.clock.now, readAt: null });
  });

  it("says nothing about a transfer between one's own accounts or a deposit", async () => {
    const t = await twoCustomers();
    const a2 = openAccount(t.bank, t.alice, 'checking').number!;
    transfer(t.bank, t.alice, t.a, a2, '10.00');
    deposit(t.bank, t.alice, a2, '5.00');
    expect(t.texts(t.alice)).toEqual([]);
  });

  it('notifies a withdrawal or transfer out above the large threshold, not one equal to it', async () => {
    const t = await twoCustomers();
    setAlerts(t.bank, t.alice, { large: '30.00' });
    withdraw(t.bank, t.alice, t.a, '30.00');
    transfer(t.bank, t.alice, t.a, t.b, '30.00');
    expect(t.texts(t.alice)).toEqual([]);
    withdraw(t.bank, t.alice, t.a, '30.01');
    setAlerts(t.bank, t.alice, { large: '5.00' });
    transfer(t.bank, t.alice, t.a, t.b, '1.00');
    expect(t.texts(t.alice)).toEqual([
      ['large_payment', `Large withdrawal: 30.01 USD from ${t.a} (your alert: above 30.00 USD).`],
    ]);
    transfer(t.bank, t.alice, t.a, t.b, '5.01', 'rent');
    expect(t.texts(t.alice)[0]).toEqual([
      'large_payment',
      `Large transfer: 5.01 USD from ${t.a} to ${t.b} (your alert: above 5.00 USD).`,
    ]);
    expect(t.texts(t.alice)).toHaveLength(2);
  });

  it('notifies a balance crossing below the low threshold once, not again on the next debit, and again after it recovers', async () => {
    const t = await twoCustomers();
    setAlerts(t.bank, t.alice, { low: '20.00' });
    withdraw(t.bank, t.alice, t.a, '80.00'); // 100.00 -> 20.00: not below
    expect(t.texts(t.alice)).toEqual([]);
    withdraw(t.bank, t.alice, t.a, '5.00'); // 20.00 -> 15.00: crosses
    withdraw(t.bank, t.alice, t.a, '5.00'); // 15.00 -> 10.00: already below
    transfer(t.bank, t.alice, t.a, t.b, '1.00'); // 10.00 -> 9.00: already below
    expect(t.texts(t.alice)).toEqual([
      ['low_balance', `Low balance: ${t.a} is at 15.00 USD, below your alert of 20.00 USD.`],
    ]);
    deposit(t.bank, t.alice, t.a, '41.00'); // 50.00
    transfer(t.bank, t.alice, t.a, t.b, '40.00'); // 50.00 -> 10.00: crosses again
    expect(t.texts(t.alice).filter(([kind]) => kind === 'low_balance')).toEqual([
      ['low_balance', `Low balance: ${t.a} is at 10.00 USD, below your alert of 20.00 USD.`],
      ['low_balance', `Low balance: ${t.a} is at 15.00 USD, below your alert of 20.00 USD.`],
    ]);
  });

  it('counts the transfer fee in the crossing: one notice for the transfer and its fee together', async () => {
    const t = await twoCustomers();
    setTransferFee(t.bank, t.root, 'savings', { fixed: '1.00' });
    setAlerts(t.bank, t.alice, { low: '20.00' });
    transfer(t.bank, t.alice, t.a, t.b, '79.50'); // 100.00 -> 20.50 -> fee -> 19.50
    expect(t.texts(t.alice)).toEqual([
      ['low_balance', `Low balance: ${t.a} is at 19.50 USD, below your alert of 20.00 USD.`],
    ]);
  });

  it('writes nothing for either party when a transfer is refused or rolls back after its postings', async () => {
    const t = await twoCustomers();
    setAlerts(t.bank, t.alice, { large: '1.00', low: '90.00' });
    expect(() => transfer(t.bank, t.alice, t.a, t.b, '100.01')).toThrow('insufficient funds');
    // The fee is posted after the transfer (and its notices); a failure there must take the notices with it.
    setTransferFee(t.bank, t.root, 'savings', { fixed: '1.00' });
    const insertPosting = t.bank.store.ledger.insertPosting.bind(t.bank.store.ledger);
    let calls = 0;
    vi.spyOn(t.bank.store.ledger, 'insertPosting').mockImplementation((row) => {
      calls += 1;
      if (calls === 3) throw new Error('disk on fire');
      insertPosting(row);
    });
    expect(() => transfer(t.bank, t.alice, t.a, t.b, '20.00', 'gift')).toThrow('disk on fire');
    expect(calls).toBe(3);
    expect(t.texts(t.alice)).toEqual([]);
    expect(t.texts(t.bob)).toEqual([]);
    expect(t.bank.store.accounts.byNumber(t.a)?.balance).toBe(10_000);
  });
});

describe('notifications of logins and two-factor changes', () => {
  it('counts the failed attempts since the last successful login, at the next successful one', async () => {
    const t = await twoCustomers();
    await login(t.bank, 'alice', PASSWORD);
    expect(t.texts(t.alice)).toEqual([]);
    for (let i = 0; i < 3; i += 1) {
      t.clock.now += 1000;
      await expect(login(t.bank, 'alice', 'wrong password!')).rejects.toThrow();
    }
    t.clock.now += 60_000;
    await login(t.bank, 'alice', PASSWORD);
    t.clock.now += 60_000;
    await login(t.bank, 'alice', PASSWORD);
    t.clock.now += 1000;
    await expect(login(t.bank, 'alice', 'wrong password!')).rejects.toThrow();
    t.clock.now += 60_000;
    await login(t.bank, 'alice', PASSWORD);
    expect(t.texts(t.alice)).toEqual([
      ['failed_logins', '1 failed login attempt since your last successful login.'],
      ['failed_logins', '3 failed login attempts since your last successful login.'],
    ]);
  });

  it('does not count tries at a name made before it was registered', async () => {
    const t = await twoCustomers();
    await expect(login(t.bank, 'carol', PASSWORD)).rejects.toThrow();
    t.clock.now += 1000;
    const carol = await makeUser(t.bank, 'carol');
    t.clock.now += 1000;
    await expect(login(t.bank, 'carol', 'wrong password!')).rejects.toThrow();
    await login(t.bank, 'carol', PASSWORD);
    expect(t.texts(carol)).toEqual([['failed_logins', '1 failed login attempt since your last successful login.']]);
  });

  it('notifies a lockout when it happens, and not one that the locking attempt itself lifted by succeeding', async () => {
    const t = await twoCustomers();
    for (let i = 0; i < 5; i += 1) await expect(login(t.bank, 'alice', 'wrong password!')).rejects.toThrow();
    expect(t.texts(t.alice)).toEqual([
      ['locked', 'Your login was locked until 2026-01-15 12:15 UTC after too many failed attempts.'],
    ]);

    const { beginAttempt, endAttempt } = await import('../src/domain/login-attempts.js');
    for (let i = 0; i < 4; i += 1) await expect(login(t.bank, 'bob', 'wrong password!')).rejects.toThrow();
    const fifth = beginAttempt(t.bank, 'bob');
    expect(fifth.locks).toBe(t.clock.now + 15 * 60_000);
    expect(t.texts(t.bob).map(([kind]) => kind)).toEqual(['locked']);
    endAttempt(t.bank, fifth, undefined);
    expect(t.texts(t.bob)).toEqual([]);
  });

  it('notifies two-factor login turned on, off, and reset by an administrator', async () => {
    const { generateSync } = await import('otplib');
    const { beginEnrolment, confirmEnrolment, disableTwoFactor, resetTwoFactor } =
      await import('../src/domain/two-factor.js');
    const t = await twoCustomers();
    const enrol = () => {
      const { secret } = beginEnrolment(t.bank, t.alice);
      t.clock.now += 60_000;
      confirmEnrolment(t.bank, t.alice, secret, generateSync({ secret, epoch: Math.floor(t.clock.now / 1000) }));
    };
    enrol();
    disableTwoFactor(t.bank, t.alice);
    enrol();
    resetTwoFactor(t.bank, t.root, 'alice');
    expect(t.texts(t.alice)).toEqual([
      ['two_factor', 'Two-factor login was turned off by an administrator.'],
      ['two_factor', 'Two-factor login was turned on.'],
      ['two_factor', 'Two-factor login was turned off.'],
      ['two_factor', 'Two-factor login was turned on.'],
    ]);
    expect(t.texts(t.root)).toEqual([]);
  });
});

describe('reading notifications', () => {
  it('marks by id or all, and treats an unknown id and someone else’s alike, changing nothing', async () => {
    const t = await twoCustomers();
    transfer(t.bank, t.bob, t.b, t.a, '1.00');
    transfer(t.bank, t.bob, t.b, t.a, '2.00');
    transfer(t.bank, t.alice, t.a, t.b, '3.00');
    const [second, first] = listNotifications(t.bank, t.alice, false).map((n) => n.id);
    const [bobs] = listNotifications(t.bank, t.bob, false).map((n) => n.id);
    expect(unreadNotifications(t.bank, t.alice)).toBe(2);

    for (const id of [bobs!, 999]) {
      expect(() => markNotificationsRead(t.bank, t.alice, { ids: [String(first), String(id)] })).toThrow(
        expect.objectContaining({ kind: 'not_found', message: `notification #${id} not found` }),
      );
    }
    expect(unreadNotifications(t.bank, t.alice)).toBe(2);
    expect(unreadNotifications(t.bank, t.bob)).toBe(1);
    expect(() => markNotificationsRead(t.bank, t.alice, { ids: [] })).toThrow(
      expect.objectContaining({
        kind: 'validation',
        message: 'name the notifications to mark read (their ids), or pass --all',
      }),
    );
    expect(() => markNotificationsRead(t.bank, t.alice, { ids: ['x1'] })).toThrow(
      'notification id must be a positive whole number, got "x1"',
    );

    t.clock.now += 1000;
    expect(markNotificationsRead(t.bank, t.alice, { ids: [String(first), String(first)] })).toBe(1);
    expect(listNotifications(t.bank, t.alice, true).map((n) => n.id)).toEqual([second]);
    expect(listNotifications(t.bank, t.alice, false).map((n) => n.readAt)).toEqual([null, t.clock.now]);
    expect(markNotificationsRead(t.bank, t.alice, 'all')).toBe(1);
    expect(markNotificationsRead(t.bank, t.alice, 'all')).toBe(0);
    expect(unreadNotifications(t.bank, t.alice)).toBe(0);
    expect(unreadNotifications(t.bank, t.bob)).toBe(1);
  });
});

describe('alert thresholds', () => {
  it.each([
    ['abc', '--large: "abc" is not an amount; use digits with an optional decimal point, such as 12.34 (or "off")'],
    ['-5', '--large: amount must not be negative (or "off")'],
    ['1.234', '--large: amount has more than 2 decimal places (or "off")'],
    ['0', '--large: amount must be greater than zero (or "off")'],
  ])('refuses --large %j', async (input, message) => {
    const t = await twoCustomers();
    expect(() => setAlerts(t.bank, t.alice, { large: input, low: '5.00' })).toThrow(
      expect.objectContaining({ kind: 'validation', message }),
    );
    expect(t.bank.store.notifications.alerts(t.alice.id)).toEqual({ largeAbove: null, lowBelow: null });
  });

  it('sets one threshold without touching the other, and turns one off', async () => {
    const t = await twoCustomers();
    expect(() => setAlerts(t.bank, t.alice, {})).toThrow(
      'alerts set needs --large AMOUNT and/or --low AMOUNT (or "off")',
    );
    expect(setAlerts(t.bank, t.alice, { large: '500.00', low: '20' })).toEqual({ largeAbove: 50_000, lowBelow: 2000 });
    expect(setAlerts(t.bank, t.alice, { low: '0.01' })).toEqual({ largeAbove: 50_000, lowBelow: 1 });
    expect(setAlerts(t.bank, t.alice, { large: 'off' })).toEqual({ largeAbove: null, lowBelow: 1 });
    expect(t.bank.store.notifications.alerts(t.bob.id)).toEqual({ largeAbove: null, lowBelow: null });
  });
});
