import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { generateSync } from 'otplib';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BIN, PASSWORD, runBank, tempDir } from './helpers.js';
import { withDatabase } from './test-database.js';

const KEY = { enter: '\r', down: '\x1b[B', esc: '\x1b', ctrlC: '\x03' };

/**
 * The built `bank` in a real pseudo-terminal (util-linux `script`), driven by
 * keystrokes the way a person types them. Each step waits for the text it
 * expects to appear in the output after the previous step.
 */
function terminal(env: Record<string, string>, args: readonly string[] = []) {
  const argv = [process.execPath, BIN, ...args].map((a) => JSON.stringify(a)).join(' ');
  const command = `stty cols 120 rows 50; exec ${argv}`;
  const child = spawn('script', ['-qefc', command, '/dev/null'], {
    env: withDatabase({ PATH: process.env['PATH'] ?? '', TERM: 'xterm-256color', ...env }),
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  let mark = 0;
  const waiters = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const wake of waiters) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  return {
    /** Resolves with the text shown since the last step once it contains `text`. */
    async waitFor(text: string): Promise<string> {
      for (;;) {
        // A terminal ends lines with CR LF.
        const shown = stripVTControlCharacters(output.slice(mark)).replaceAll('\r\n', '\n');
        if (shown.includes(text)) {
          mark = output.length;
          return shown;
        }
        const more = new Promise<'data' | 'exit'>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve('data');
          };
          waiters.add(wake);
          void exited.then(() => resolve('exit'));
        });
        if ((await more) === 'exit' && !stripVTControlCharacters(output.slice(mark)).includes(text)) {
          throw new Error(`bank exited before showing ${JSON.stringify(text)}; output:\n${shown}`);
        }
      }
    },
    press(...keys: string[]) {
      child.stdin.write(keys.join(''));
    },
    exited,
    all: () => stripVTControlCharacters(output),
  };
}

// util-linux `script` gives the child a real terminal; BSD `script` (macOS) takes other flags.
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
if (!hasScript) console.log('skipped: the pseudo-terminal tests need util-linux `script`');

describe.skipIf(!hasScript)('bank in a pseudo-terminal (the README quick start)', () => {
  it('registers, opens accounts, deposits, transfers, shows history, goes back on Esc/Ctrl-C and quits', async () => {
    const dir = tempDir();
    const t = terminal({ BANK_DATA_DIR: dir, BANK_BCRYPT_COST: '4' });
    const down = (n: number) => KEY.down.repeat(n);

    await t.waitFor('Welcome to bank (USD).');
    t.press(KEY.down, KEY.enter);
    await t.waitFor('Choose a username');
    t.press('alice', KEY.enter);
    await t.waitFor('Choose a password');
    t.press(PASSWORD, KEY.enter);
    await t.waitFor('Repeat the password');
    t.press(PASSWORD, KEY.enter);
    await t.waitFor('Welcome, alice! Your user is ready.');

    for (const [kind, name] of [
      [0, 'Main'],
      [1, 'Bills'],
    ] as const) {
      t.press(down(1), KEY.enter);
      await t.waitFor('Which kind of account?');
      t.press(down(kind), KEY.enter);
      await t.waitFor('Name (optional):');
      t.press(name, KEY.enter);
      expect(await t.waitFor('Logged in as alice.')).toMatch(
        new RegExp(`Opened ${kind === 0 ? 'savings' : 'checking'} account \\d{10} "${name}"\\.`),
      );
    }

    t.press(down(2), KEY.enter);
    await t.waitFor('Deposit into which account?');
    t.press(KEY.enter);
    await t.waitFor('Amount to deposit');
    t.press('70', KEY.enter);
    await t.waitFor('Note (optional):');
    t.press(KEY.enter);
    expect(await t.waitFor('Logged in as alice.')).toContain(
      'Deposited 70.00 USD. Balance: 70.00 USD. Transaction #1.',
    );

    // Esc in a prompt goes back one menu; nothing is written.
    t.press(down(2), KEY.enter);
    await t.waitFor('Deposit into which account?');
    t.press(KEY.enter);
    await t.waitFor('Amount to deposit');
    t.press('5', KEY.esc);
    expect(await t.waitFor('Logged in as alice.')).toContain('Cancelled.');

    t.press(down(4), KEY.enter);
    await t.waitFor('Transfer from which account?');
    t.press(KEY.enter);
    await t.waitFor('Transfer to?');
    t.press(KEY.enter); // the Bills account, listed first among "mine"
    await t.waitFor('Amount to transfer');
    t.press('20.25', KEY.enter);
    await t.waitFor('Note (optional):');
    t.press('bills', KEY.enter);
    expect(await t.waitFor('(y/N)')).toMatch(
      /Transfer 20\.25 USD from \d{10} to \d{10} \(checking, owner alice\)\? Fee: 0\.00 USD, total 20\.25 USD\./,
    );
    t.press('y', KEY.enter);
    expect(await t.waitFor('Logged in as alice.')).toMatch(
      /Sent 20\.25 USD to \d{10} \(alice\)\. Balance: 49\.75 USD\. Transaction #2\./,
    );

    t.press(down(5), KEY.enter);
    await t.waitFor('History of which account?');
    t.press(KEY.enter);
    const history = await t.waitFor('Logged in as alice.');
    expect(history).toMatch(/ 2 {2}\S+ \S+ {2}transfer_out {2}-20\.25 {4}49\.75 {2}\d{10} \(alice\) {2}bills\n/);
    expect(history).toMatch(/ 1 {2}\S+ \S+ {2}deposit {7}\+70\.00 {4}70\.00\n/);

    // Ctrl-C on the user menu logs out; on the first menu it quits cleanly.
    t.press(KEY.ctrlC);
    expect(await t.waitFor('Welcome to bank (USD).')).toContain('Logged out.');
    t.press(KEY.ctrlC);
    expect(await t.exited).toBe(0);
    expect(t.all()).not.toMatch(/\n\s+at /);

    const listed = await runBank(['accounts', '--json'], {
      env: { BANK_DATA_DIR: dir, BANK_USER: 'alice', BANK_PASSWORD: PASSWORD },
    });
    expect((JSON.parse(listed.stdout) as { name: string; balance: string }[]).map((a) => [a.name, a.balance])).toEqual([
      ['Main', '49.75'],
      ['Bills', '20.25'],
    ]);
    expect((await runBank(['--version'], { env: { BANK_DATA_DIR: join(dir, 'unused') } })).stdout).toBe('0.1.0\n');
  });

  it('asks for passwords with a hidden prompt when stdin is a terminal', async () => {
    const dir = tempDir();
    const env = { BANK_DATA_DIR: dir, BANK_BCRYPT_COST: '4' };
    const reg = terminal(env, ['register', 'zoe']);
    await reg.waitFor('Choose a password for zoe:');
    reg.press(PASSWORD, KEY.enter);
    await reg.waitFor('Repeat it:');
    reg.press(PASSWORD, KEY.enter);
    expect(await reg.waitFor('Registered zoe.')).not.toContain(PASSWORD);
    expect(await reg.exited).toBe(0);

    const wrong = terminal(env, ['--user', 'zoe', 'accounts']);
    await wrong.waitFor('Password for zoe:');
    wrong.press('not the password', KEY.enter);
    expect(await wrong.waitFor('bank: invalid username or password')).not.toContain('not the password');
    expect(await wrong.exited).toBe(3);

    const right = terminal(env, ['--user', 'zoe', 'accounts']);
    await right.waitFor('Password for zoe:');
    right.press(PASSWORD, KEY.enter);
    await right.waitFor('You have no accounts yet.');
    expect(await right.exited).toBe(0);
  });

  it('enables two-factor login and asks for the code after the password on a terminal', async () => {
    const dir = tempDir();
    const env = { BANK_DATA_DIR: dir, BANK_BCRYPT_COST: '4', BANK_PASSWORD: PASSWORD };
    expect((await runBank(['register', 'zoe'], { env })).code).toBe(0);
    const enable = terminal(env, ['--user', 'zoe', '2fa', 'enable']);
    const shown = await enable.waitFor('Code from the app to confirm:');
    const secret = /Secret: ([A-Z2-7]+)/.exec(shown)![1]!;
    enable.press(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) }), KEY.enter);
    await enable.waitFor('Two-factor login is on.');
    expect(await enable.exited).toBe(0);

    const { BANK_PASSWORD: _, ...withoutPassword } = env;
    const login = terminal(withoutPassword, ['--user', 'zoe', 'accounts']);
    await login.waitFor('Password for zoe:');
    login.press(PASSWORD, KEY.enter);
    await login.waitFor('Two-factor code for zoe:');
    // The next step's code: the current one was used to enable, and one step of drift is allowed.
    login.press(generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }), KEY.enter);
    await login.waitFor('You have no accounts yet.');
    expect(await login.exited).toBe(0);
  });
});
