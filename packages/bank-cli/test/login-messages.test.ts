import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { beginEnrolment, confirmEnrolment } from '../src/domain/two-factor.js';
import { adminAndAlice, PASSWORD, runBank } from './helpers.js';

const STEP = 30_000;
const codeAt = (secret: string, ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });

/** alice with two-factor login on, enrolled a step ago by the real clock (the bin's). */
async function aliceWithTwoFactor() {
  const w = await adminAndAlice(Date.now() - STEP);
  const { secret } = beginEnrolment(w.bank, w.alice);
  confirmEnrolment(w.bank, w.alice, secret, codeAt(secret, w.clock.now));
  return { ...w, secret };
}

describe('what a failed login tells', () => {
  it('gives one answer for a wrong password and for a wrong two-factor code, and checks no code for a wrong password', async () => {
    const w = await aliceWithTwoFactor();
    const failed = { code: 3, stdout: '', stderr: 'bank: invalid username, password or two-factor code\n' };
    const good = codeAt(w.secret, Date.now());
    expect(await w.as('alice', ['accounts'], { BANK_PASSWORD: 'not her password', BANK_TOTP: good })).toEqual(failed);
    expect(await w.as('alice', ['accounts'], { BANK_TOTP: '000000' })).toEqual(failed);
    // The good code was not spent on the wrong password.
    expect(await w.as('alice', ['accounts'], { BANK_TOTP: good })).toMatchObject({ code: 0, stderr: '' });
  });

  it('asks for the code before judging the password, so a missing code does not tell either', async () => {
    const w = await aliceWithTwoFactor();
    const noCode = {
      code: 2,
      stdout: '',
      stderr: 'bank: two-factor login is on: set BANK_TOTP to a current code, or run in a terminal\n',
    };
    expect(await w.as('alice', ['accounts'], { BANK_PASSWORD: 'not her password' })).toEqual(noCode);
    expect(await w.as('alice', ['accounts'])).toEqual(noCode);
  });

  it('counts a wrong code like a wrong password: five of them lock the name', async () => {
    const w = await aliceWithTwoFactor();
    for (const env of [
      { BANK_TOTP: '000000' },
      { BANK_PASSWORD: 'not her password', BANK_TOTP: '000000' },
      { BANK_TOTP: '111111' },
      { BANK_TOTP: 'aaaa-bbbb-cccc-dddd' },
      { BANK_TOTP: '222222' },
    ]) {
      expect((await w.as('alice', ['accounts'], env)).code).toBe(3);
    }
    expect(await w.as('alice', ['accounts'], { BANK_TOTP: codeAt(w.secret, Date.now()) })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: too many failed logins; alice is locked for 15 more minutes\n',
    });
  });
});

describe('what registration tells', () => {
  it('says a taken name is not available, in the words of the login message', async () => {
    const w = await adminAndAlice();
    expect(await runBank(['register', 'Alice'], { env: w.env('alice') })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: username alice is not available\n',
    });
  });
});

describe('the password policy on every path that sets a password', () => {
  const common = 'bank: password is too common: it appears in lists of breached passwords; choose another\n';
  const blank = 'bank: password must not be only whitespace\n';
  const sequence =
    'bank: password must not be one repeated character or a simple sequence such as 123456789012 or abcdefghijkl\n';

  it.each([
    ['qwerty123456', common],
    [' '.repeat(12), blank],
    ['abcdefghijklmn', sequence],
  ])('register refuses %j', async (password, stderr) => {
    const w = await adminAndAlice();
    expect(await runBank(['register', 'dave'], { env: { BANK_DB: w.file, BANK_PASSWORD: password } })).toEqual({
      code: 2,
      stdout: '',
      stderr,
    });
    expect(
      await runBank(['register', 'dave', '--password-stdin'], { env: { BANK_DB: w.file }, input: `${password}\n` }),
    ).toEqual({ code: 2, stdout: '', stderr });
  });

  it('passwd and admin init refuse a common password too', async () => {
    const w = await adminAndAlice();
    expect(await w.as('alice', ['passwd'], { BANK_NEW_PASSWORD: 'qwerty123456' })).toEqual({
      code: 2,
      stdout: '',
      stderr: common,
    });
    expect(await w.as('alice', ['accounts'])).toMatchObject({ code: 0 });
    const fresh = await adminAndAlice();
    fresh.bank.store.writeTransaction(() => fresh.bank.store.users.setRole(fresh.root.id, 'user'));
    expect(
      await runBank(['admin', 'init', 'boss'], { env: { BANK_DB: fresh.file, BANK_PASSWORD: 'password1234' } }),
    ).toEqual({ code: 2, stdout: '', stderr: common });
    expect(await runBank(['register', 'dave'], { env: { BANK_DB: w.file, BANK_PASSWORD: PASSWORD } })).toMatchObject({
      code: 0,
    });
  });
});
