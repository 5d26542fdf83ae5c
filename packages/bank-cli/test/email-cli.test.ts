import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requestEmail, verifyEmail } from '../src/domain/email.js';
import { transfer } from '../src/domain/payments.js';
import { closedPort, PASSWORD, runBank, type RunResult } from './helpers.js';
import { codeIn, codeTries, mailBank, outboxRows } from './email-helpers.js';
import { startSmtp } from './smtp-server.js';
import { withDatabase } from './test-database.js';

const DIST_CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

/** tsc's unbundled cli.js, as its own process. */
function runDist(args: readonly string[], env: Record<string, string>): Promise<RunResult> {
  return new Promise((resolve) => {
    const full = withDatabase({ PATH: process.env['PATH'] ?? '', BANK_BCRYPT_COST: '4', ...env });
    execFile(process.execPath, [DIST_CLI, ...args], { env: full }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

async function setUp(smtpUrl: string) {
  const t = await mailBank(smtpUrl);
  const env = (user: string, extra: Record<string, string> = {}) => ({
    BANK_DB: t.file,
    BANK_USER: user,
    BANK_PASSWORD: PASSWORD,
    BANK_SMTP_URL: smtpUrl,
    ...extra,
  });
  const as = (user: string, args: string[], extra?: Record<string, string>) => runBank(args, { env: env(user, extra) });
  return { ...t, env, as };
}

describe('bank profile email', () => {
  it('sends a code by mail; the code from the mail verifies the address', async () => {
    const smtp = await startSmtp();
    const t = await setUp(smtp.url);
    expect(await t.as('alice', ['profile'])).toEqual({ code: 0, stdout: 'User: alice\nE-mail: none\n', stderr: '' });
    expect(await t.as('alice', ['profile', 'email', 'alice@example.test'])).toEqual({
      code: 0,
      stdout:
        'Verification code sent to alice@example.test; confirm it within 30 minutes: bank profile email --verify CODE\n',
      stderr: '',
    });
    const [mail] = await smtp.waitForMail(1);
    expect(mail!.to).toEqual(['alice@example.test']);
    expect(mail!.subject).toBe('bank: your e-mail verification code');
    expect(await t.as('alice', ['profile'])).toMatchObject({
      stdout: 'User: alice\nE-mail: alice@example.test (not verified)\n',
    });
    expect(await t.as('alice', ['profile', 'email', '--verify', codeIn(mail!.raw)])).toEqual({
      code: 0,
      stdout: 'E-mail address alice@example.test verified.\n',
      stderr: '',
    });
    const json = await t.as('alice', ['profile', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ username: 'alice', email: 'alice@example.test', emailVerified: true });
    // A new address is unverified again; removing it leaves none.
    await t.as('alice', ['profile', 'email', 'alice@other.test']);
    expect((await t.as('alice', ['profile'])).stdout).toBe('User: alice\nE-mail: alice@other.test (not verified)\n');
    expect(await t.as('alice', ['profile', 'email', '--remove'])).toEqual({
      code: 0,
      stdout: 'E-mail address removed.\n',
      stderr: '',
    });
    expect((await t.as('alice', ['profile'])).stdout).toBe('User: alice\nE-mail: none\n');
  });

  it('counts a wrong code, refuses it with exit 2, and the right one still works', async () => {
    const smtp = await startSmtp();
    const t = await setUp(smtp.url);
    await t.as('alice', ['profile', 'email', 'alice@example.test']);
    const [mail] = await smtp.waitForMail(1);
    const right = codeIn(mail!.raw);
    const wrong = right === '000000' ? '111111' : '000000';
    expect(await t.as('alice', ['profile', 'email', '--verify', wrong])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'bank: that verification code is wrong\n',
    });
    expect(codeTries(t.file, t.alice.id)).toBe(1);
    expect((await t.as('alice', ['profile', 'email', '--verify', right])).code).toBe(0);
  });

  it.each([
    ['no @', 'no-at-sign.example.test', 'it needs a name, an @ and a domain'],
    ['a space', 'two words@example.test', 'it contains a space'],
    ['a control character', 'bell\u0007@example.test', 'it contains a control character'],
    ['255 characters', `${'a'.repeat(248)}@x.test`, 'longer than 254 characters'],
  ])('refuses an address with %s: one line, exit 2', async (_label, address, why) => {
    const smtp = await startSmtp();
    const t = await setUp(smtp.url);
    expect(await t.as('alice', ['profile', 'email', address])).toEqual({
      code: 2,
      stdout: '',
      stderr: `bank: invalid e-mail address: ${why}\n`,
    });
    expect(smtp.attempts).toBe(0);
  });

  it('without BANK_SMTP_URL refuses to set an address and changes nothing', async () => {
    const smtp = await startSmtp();
    const t = await setUp(smtp.url);
    const noSmtp = { BANK_SMTP_URL: '' };
    expect(await t.as('alice', ['profile', 'email', 'alice@example.test'], noSmtp)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'bank: e-mail is not configured (BANK_SMTP_URL is not set); nothing changed\n',
    });
    expect((await t.as('alice', ['profile'], noSmtp)).stdout).toBe('User: alice\nE-mail: none\n');
    expect(smtp.attempts).toBe(0);
  });
});

describe('notification e-mails from the bank command', () => {
  it('with the SMTP server down, a transfer still succeeds with its output and one line on stderr', async () => {
    const port = await closedPort();
    const t = await setUp(`smtp://127.0.0.1:${port}`);
    verifyEmail(t.bank, t.alice, requestEmail(t.bank, t.alice, 'alice@example.test').code);
    const done = await t.as('bob', ['transfer', t.b, t.a, '2.00']);
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      new RegExp(`^Sent 2\\.00 USD to ${t.a} \\(alice\\)\\. Balance: 98\\.00 USD\\. Transaction #\\d+\\.\n$`),
    );
    expect(done.stderr).toMatch(/^bank: notification e-mail not sent \(will retry\): [^\n]*ECONNREFUSED[^\n]*\n$/);
    expect(outboxRows(t.file)).toMatchObject([{ attempts: 1, sent_at: null }]);
  });

  it('two processes draining at once send each pending e-mail exactly once', async () => {
    const smtp = await startSmtp();
    const t = await setUp(smtp.url);
    verifyEmail(t.bank, t.alice, requestEmail(t.bank, t.alice, 'alice@example.test').code);
    verifyEmail(t.bank, t.bob, requestEmail(t.bank, t.bob, 'bob@example.test').code);
    for (let i = 1; i <= 12; i += 1) {
      if (i % 2 === 0) transfer(t.bank, t.bob, t.b, t.a, `${i}.00`);
      else transfer(t.bank, t.alice, t.a, t.b, `${i}.00`);
    }
    expect(outboxRows(t.file)).toHaveLength(12); // the logins below add their own notices (a statement ready)
    const results = await Promise.all([
      runDist(['accounts'], t.env('alice')),
      runDist(['accounts'], t.env('bob')),
      runDist(['accounts'], t.env('alice')),
    ]);
    expect(results.map((r) => [r.code, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    const ids = smtp.received.map((m) => m.messageId).sort();
    expect(ids).toEqual(
      outboxRows(t.file)
        .map((row) => `<notification-${row.id}@bank.quartet>`)
        .sort(),
    );
    expect(ids.length).toBeGreaterThanOrEqual(12);
    expect(new Set(ids).size).toBe(ids.length);
    expect(outboxRows(t.file).every((row) => row.sent_at !== null && row.attempts === 0)).toBe(true);
  });
});
