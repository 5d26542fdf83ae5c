import { spawn } from 'node:child_process';
import { generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { adminActions } from '../src/domain/admin.js';
import { login } from '../src/domain/login.js';
import { beginEnrolment, confirmEnrolment, resetTwoFactor, twoFactorStatus } from '../src/domain/two-factor.js';
import { checkSecondFactor } from '../src/domain/second-factor.js';
import { adminAndAlice, BIN, expectLedgerOk, PASSWORD } from './helpers.js';
import { withDatabase } from './test-database.js';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0); // on a step boundary: 1768478400 / 30 is whole
const codeAt = (secret: string, ms: number) => generateSync({ secret, epoch: Math.floor(ms / 1000) });
const STEP = 30_000;

async function enrolled() {
  const w = await adminAndAlice(T0);
  const { secret } = beginEnrolment(w.bank, w.alice);
  const recovery = confirmEnrolment(w.bank, w.alice, secret, codeAt(secret, T0));
  const attempt = (code: string) => login(w.bank, 'alice', PASSWORD, () => Promise.resolve(code));
  return { ...w, secret, recovery, attempt };
}

describe('two-factor login with a fixed clock', () => {
  it('enrols with a confirmed code and 10 one-time recovery codes', async () => {
    const w = await adminAndAlice(T0);
    const { secret, uri } = beginEnrolment(w.bank, w.alice);
    expect(uri).toBe(`otpauth://totp/bank:alice?secret=${secret}&issuer=bank`);
    expect(() => confirmEnrolment(w.bank, w.alice, secret, '000000')).toThrow(
      'that code does not match; two-factor login stays off',
    );
    expect(twoFactorStatus(w.bank, w.alice)).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    const codes = confirmEnrolment(w.bank, w.alice, secret, codeAt(secret, T0));
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    // Stored hashed: no code appears in the database.
    const stored = w.bank.store.twoFactor.unusedRecoveryCodes(w.alice.id);
    expect(stored).toBe(10);
    expect(() => beginEnrolment(w.bank, w.alice)).toThrow('two-factor login is already on; disable it first');
  });

  it('refuses a code already used, even by another login in the same step', async () => {
    const w = await enrolled();
    // The enrolment used the step of T0.
    await expect(w.attempt(codeAt(w.secret, T0))).rejects.toThrow('invalid username, password or two-factor code');
    w.clock.now = T0 + STEP + 5_000;
    const code = codeAt(w.secret, w.clock.now);
    expect((await w.attempt(code)).username).toBe('alice');
    await expect(w.attempt(code)).rejects.toThrow('invalid username, password or two-factor code');
    expect(w.bank.store.users.byId(w.alice.id)!.totpLastStep).toBe(T0 / STEP + 1);
  });

  it('accepts one step of drift either way, not two, and never a step before the last one accepted', async () => {
    const w = await enrolled();
    w.clock.now = T0 + 10 * STEP + 1_000;
    await expect(w.attempt(codeAt(w.secret, w.clock.now - 2 * STEP))).rejects.toThrow('two-factor code');
    await expect(w.attempt(codeAt(w.secret, w.clock.now + 2 * STEP))).rejects.toThrow('two-factor code');
    expect((await w.attempt(codeAt(w.secret, w.clock.now - STEP))).username).toBe('alice'); // phone 30 s behind
    expect((await w.attempt(codeAt(w.secret, w.clock.now + STEP))).username).toBe('alice'); // phone 30 s ahead
    // The current step's code is older than the last accepted (+1) step now: refused.
    await expect(w.attempt(codeAt(w.secret, w.clock.now))).rejects.toThrow(
      'invalid username, password or two-factor code',
    );
  });

  it('lets each recovery code in once, in any case and with or without dashes', async () => {
    const w = await enrolled();
    const [first, second] = w.recovery;
    expect((await w.attempt(first!)).username).toBe('alice');
    await expect(w.attempt(first!)).rejects.toThrow('invalid username, password or two-factor code');
    expect((await w.attempt(second!.replace(/-/g, '').toUpperCase())).username).toBe('alice');
    expect(twoFactorStatus(w.bank, w.alice)).toEqual({ enabled: true, recoveryCodesLeft: 8 });
    expect(checkSecondFactor(w.bank, w.bank.store.users.byId(w.alice.id)!, 'not-a-code')).toBe(false);
  });

  it('counts wrong codes towards the lockout, asks the code before judging the password, and needs a code', async () => {
    const w = await enrolled();
    let asked = 0;
    const ask = () => {
      asked += 1;
      return Promise.resolve('123456');
    };
    await expect(login(w.bank, 'alice', 'wrong password!!', ask)).rejects.toThrow(
      'invalid username, password or two-factor code',
    );
    expect(asked).toBe(1);
    await expect(login(w.bank, 'alice', PASSWORD)).rejects.toThrow('this user needs a two-factor code to log in');
    for (let i = 0; i < 4; i += 1) await expect(w.attempt('000000')).rejects.toThrow('two-factor code');
    // Five failures (one password, four codes): locked, even with a good recovery code.
    await expect(w.attempt(w.recovery[0]!)).rejects.toThrow(
      'too many failed logins; alice is locked for 15 more minutes',
    );
  });

  it('an administrator resets it, and that is logged', async () => {
    const w = await enrolled();
    expect(() => resetTwoFactor(w.bank, w.alice, 'alice')).toThrow('this needs an administrator');
    resetTwoFactor(w.bank, w.root, 'alice');
    expect((await login(w.bank, 'alice', PASSWORD)).username).toBe('alice');
    expect(w.bank.store.twoFactor.unusedRecoveryCodes(w.alice.id)).toBe(0);
    expect(() => resetTwoFactor(w.bank, w.root, 'alice')).toThrow('two-factor login is not on for alice');
    expect(adminActions(w.bank, w.root).map((a) => [a.action, a.target])).toEqual([
      ['reset-2fa', 'alice'],
      ['init', 'root'],
    ]);
  });
});

/** Runs `bank 2fa enable`, reads the secret from stderr and answers with a code on stdin. */
function enableThroughCli(env: Record<string, string>, answer: (secret: string) => string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string; secret: string }>((resolve) => {
    const child = spawn(process.execPath, [BIN, '2fa', 'enable'], {
      env: withDatabase({ PATH: process.env['PATH'] ?? '', BANK_BCRYPT_COST: '4', ...env }),
    });
    let stdout = '';
    let stderr = '';
    let secret = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const match = /Secret: ([A-Z2-7]+)\n[\s\S]*Code from the app to confirm:\n/.exec(stderr);
      if (match && !secret) {
        secret = match[1]!;
        child.stdin.end(`${answer(secret)}\n`);
      }
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, secret }));
  });
}

describe('two-factor login through the built bin', () => {
  it('enables with a QR code, logs in with BANK_TOTP or a recovery code, disables; admin reset; ledger OK', async () => {
    const w = await adminAndAlice();
    const enabled = await enableThroughCli(w.env('alice'), (secret) => codeAt(secret, Date.now()));
    expect(enabled.code).toBe(0);
    expect(enabled.stderr).toContain('Scan this with an authenticator app, or type the secret in:\n');
    expect(enabled.stderr).toContain('▄'); // the QR code, drawn with half blocks
    expect(enabled.stderr).toContain(`URI: otpauth://totp/bank:alice?secret=${enabled.secret}&issuer=bank\n`);
    const lines = enabled.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Two-factor login is on. Recovery codes, each usable once instead of a code (keep them safe; they are not shown again):',
    );
    const recovery = lines.slice(1).map((l) => l.trim());
    expect(recovery).toHaveLength(10);

    expect(await w.as('alice', ['accounts'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: two-factor login is on: set BANK_TOTP to a current code, or run in a terminal\n',
    });
    expect(await w.as('alice', ['accounts'], { BANK_TOTP: '000000' })).toEqual({
      code: 3,
      stdout: '',
      stderr: 'bank: invalid username, password or two-factor code\n',
    });
    // The enrolment used the current step; the next step's code is within the one-step drift.
    const next = codeAt(enabled.secret, Date.now() + STEP);
    expect((await w.as('alice', ['2fa', 'status'], { BANK_TOTP: next })).stdout).toBe(
      'Two-factor login is on; 10 recovery code(s) left.\n',
    );
    expect((await w.as('alice', ['2fa'], { BANK_TOTP: next })).stderr).toBe(
      'bank: invalid username, password or two-factor code\n',
    );
    expect((await w.as('alice', ['accounts'], { BANK_TOTP: recovery[0]! })).code).toBe(0);
    expect((await w.as('alice', ['accounts'], { BANK_TOTP: recovery[0]! })).code).toBe(3);
    expect((await w.as('alice', ['2fa', 'disable'], { BANK_TOTP: recovery[1]! })).stdout).toBe(
      'Two-factor login is off.\n',
    );
    expect((await w.as('alice', ['2fa'])).stdout).toBe('Two-factor login is off.\n');

    // A wrong confirmation code leaves it off.
    const wrong = await enableThroughCli(w.env('alice'), () => '000000');
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect(wrong.stderr).toContain('bank: that code does not match; two-factor login stays off\n');
    expect((await w.as('alice', ['2fa'])).stdout).toBe('Two-factor login is off.\n');

    // The administrator turns off the 2FA of a user who lost their phone.
    const again = await enableThroughCli(w.env('alice'), (secret) => codeAt(secret, Date.now()));
    expect(again.code).toBe(0);
    expect(await w.as('root', ['admin', 'reset-2fa', 'alice'])).toEqual({
      code: 0,
      stdout: 'Two-factor login is off for alice.\n',
      stderr: '',
    });
    expect((await w.as('alice', ['accounts'])).code).toBe(0);
    expect(JSON.parse((await w.as('root', ['admin', 'log', '--json', '--limit', '1'])).stdout)).toMatchObject([
      { actor: 'root', action: 'reset-2fa', target: 'alice' },
    ]);
    await expectLedgerOk(w.as);
  });
});
