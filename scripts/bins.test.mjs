// Every bin starts, answers and exits cleanly on the Node running the tests (CI runs this file on Node 20 and 24):
// exit 0, and nothing on stderr, so no deprecation or experimental warning reaches a user.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (path) => join(root, 'packages', path);

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'quartet-bins-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function run(args, { env = {}, input = '' } = {}) {
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    input,
    env: { ...process.env, LOG_LEVEL: 'silent', NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe(`every bin on Node ${process.versions.node}`, () => {
  it.each([
    ['bank --version', ['bank-cli/bin/bank.js', '--version']],
    ['bank --help', ['bank-cli/bin/bank.js', '--help']],
    ['shop-api --help', ['shop-api/dist/cli.js', '--help']],
    ['chat-server --help', ['chat/dist/server-cli.js', '--help']],
    ['chat-client --help', ['chat/dist/client-cli.js', '--help']],
    ['filecrypt --help', ['filecrypt/bin/filecrypt.js', '--help']],
  ])('%s: exit 0, no warning', (_name, [path, ...args]) => {
    expect(run([bin(path), ...args])).toMatchObject({ status: 0, stderr: '' });
  });

  it('bank register (bcrypt, better-sqlite3, drizzle, migrations): exit 0, no warning', () => {
    const env = { BANK_DB: join(tempDir(), 'bank.db'), BANK_BCRYPT_COST: '4' };
    expect(
      run([bin('bank-cli/bin/bank.js'), 'register', 'carol', '--password-stdin'], {
        env,
        input: 'third long passphrase\n',
      }),
    ).toEqual({
      status: 0,
      stderr: '',
      stdout: 'Registered carol. Log in with: bank --user carol ...\n',
    });
  });

  it('shop-api migrate on SQLite: exit 0, no warning', () => {
    const result = run([bin('shop-api/dist/cli.js'), 'migrate', '--db', join(tempDir(), 'shop.db')]);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^.*shop\.db: \d+ migration\(s\) applied\n$/);
  });

  it('filecrypt round trip with a passphrase file: exit 0, no warning, same bytes', () => {
    const pass = join(tempDir(), 'pass');
    writeFileSync(pass, 'a passphrase\n');
    const filecrypt = (args, input) =>
      spawnSync(process.execPath, [bin('filecrypt/bin/filecrypt.js'), ...args], { input });
    const enc = filecrypt(['enc', '--quiet', '--passphrase-file', pass, '--iter', '1000'], 'hello, quartet\n');
    expect([enc.status, enc.stderr.toString()]).toEqual([0, '']);
    const dec = filecrypt(['dec', '--quiet', '--passphrase-file', pass], enc.stdout);
    expect([dec.status, dec.stderr.toString(), dec.stdout.toString()]).toEqual([0, '', 'hello, quartet\n']);
  });
});
