import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { changePassword, register } from '../src/domain/auth.js';
import { login } from '../src/domain/login.js';
import { beginAttempt, endAttempt } from '../src/domain/login-attempts.js';
import { beginEnrolment, confirmEnrolment, disableTwoFactorWithCode } from '../src/domain/two-factor.js';
import { PASSWORD, testBank } from './helpers.js';

const LOCKED = 'too many failed logins; dave is locked for 15 more minutes';

describe('login attempts are counted before they are judged', () => {
  it('counts attempts still in flight, so a sixth is refused while five are being judged', async () => {
    const { bank } = testBank();
    await register(bank, 'dave', PASSWORD);
    const inFlight = Array.from({ length: 5 }, () => beginAttempt(bank, 'dave'));
    expect(inFlight.map((a) => a.locks !== undefined)).toEqual([false, false, false, false, true]);
    await expect(login(bank, 'dave', PASSWORD)).rejects.toThrow(LOCKED);
    for (const attempt of inFlight) endAttempt(bank, attempt, 'bad_password');
    await expect(login(bank, 'dave', PASSWORD)).rejects.toThrow(LOCKED);
  });

  it('lets the right password through in the fifth place, and lifts the lock that place set', async () => {
    const { bank } = testBank();
    await register(bank, 'dave', PASSWORD);
    // Four attempts whose processes died before the verdict: they stay failures.
    for (let i = 0; i < 4; i += 1) beginAttempt(bank, 'dave');
    expect((await login(bank, 'dave', PASSWORD)).username).toBe('dave');
    expect(bank.store.logins.lockedUntil('dave')).toBeUndefined();
    expect((await login(bank, 'dave', PASSWORD)).username).toBe('dave');
  });

  it('counts a wrong current password on a password change', async () => {
    const { bank } = testBank();
    const dave = await register(bank, 'dave', PASSWORD);
    for (let i = 0; i < 5; i += 1) {
      await expect(changePassword(bank, dave, `guess number ${i}!`, 'a brand new passphrase')).rejects.toThrow(
        'current password is wrong',
      );
    }
    await expect(changePassword(bank, dave, PASSWORD, 'a brand new passphrase')).rejects.toThrow(LOCKED);
    await expect(login(bank, 'dave', PASSWORD)).rejects.toThrow(LOCKED);
  });

  it('counts a wrong code when two-factor login is turned off from the menus', async () => {
    const { bank, clock } = testBank();
    const dave = await register(bank, 'dave', PASSWORD);
    const { secret } = beginEnrolment(bank, dave);
    confirmEnrolment(bank, dave, secret, generateSync({ secret, epoch: Math.floor(clock.now / 1000) }));
    for (let i = 0; i < 5; i += 1) {
      expect(() => disableTwoFactorWithCode(bank, dave, '000000')).toThrow('invalid or already used two-factor code');
    }
    clock.now += 30_000;
    const fresh = generateSync({ secret, epoch: Math.floor(clock.now / 1000) });
    expect(() => disableTwoFactorWithCode(bank, dave, fresh)).toThrow(LOCKED);
  });
});
