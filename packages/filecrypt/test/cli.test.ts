import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, seededBytes, tempDir } from './helpers.js';

const ENV = { FILECRYPT_PASSPHRASE: 'cli test passphrase' };

async function encryptedFile(dir: string, data = Buffer.from('secret\n')): Promise<string> {
  writeFileSync(join(dir, 'plain'), data);
  const result = await runCli(['enc', join(dir, 'plain'), '-o', join(dir, 'x.fc'), '--iter', '1000'], { env: ENV });
  expect(result).toMatchObject({ code: 0, stderr: '' });
  return join(dir, 'x.fc');
}

describe('one-line errors and exit codes', () => {
  it('wrong passphrase: exit 3, nothing written', async () => {
    const dir = tempDir();
    const file = await encryptedFile(dir);
    const result = await runCli(['dec', file, '-o', join(dir, 'out')], { env: { FILECRYPT_PASSPHRASE: 'nope' } });
    expect(result).toMatchObject({ code: 3, stderr: 'filecrypt: wrong passphrase or key\n' });
    expect(readdirSync(dir).sort()).toEqual(['plain', 'x.fc']);
  });

  it('wrong key: exit 3; no key at all: exit 2 with what to do', async () => {
    const dir = tempDir();
    const pub = (await runCli(['keygen', '-o', join(dir, 'right.key')])).stdout.toString().trim();
    expect((await runCli(['keygen', '-o', join(dir, 'wrong.key')])).code).toBe(0);
    expect((await runCli(['enc', '-r', pub, '-o', join(dir, 'x.fc')], { input: Buffer.from('hi') })).code).toBe(0);
    const wrong = await runCli(['dec', join(dir, 'x.fc'), '-k', join(dir, 'wrong.key'), '-o', join(dir, 'out')]);
    expect(wrong).toMatchObject({ code: 3, stderr: 'filecrypt: wrong passphrase or key\n' });
    const none = await runCli(['dec', join(dir, 'x.fc')]);
    expect(none).toMatchObject({
      code: 2,
      stderr: 'filecrypt: this file is encrypted to X25519 recipients; give a key file with -k\n',
    });
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('-r, -R and -k repeat: every recipient is written, every key file is tried', async () => {
    const dir = tempDir();
    const pubs: string[] = [];
    for (const name of ['a', 'b', 'c', 'other']) {
      pubs.push((await runCli(['keygen', '-o', join(dir, `${name}.key`)])).stdout.toString().trim());
    }
    writeFileSync(join(dir, 'team'), `${pubs[2]}\n`);
    const args = ['enc', '-r', pubs[0]!, '-r', pubs[1]!, '-R', join(dir, 'team'), '-o', join(dir, 'x.fc')];
    expect(await runCli(args, { input: Buffer.from('hi') })).toMatchObject({ code: 0, stderr: '' });
    expect((await runCli(['inspect', join(dir, 'x.fc')])).stdout.toString()).toContain('key: 3 X25519 recipients\n');
    const keys = (...names: string[]) => names.flatMap((name) => ['-k', join(dir, `${name}.key`)]);
    const found = await runCli(['dec', join(dir, 'x.fc'), ...keys('other', 'c')]);
    expect(found).toMatchObject({ code: 0, stdout: Buffer.from('hi'), stderr: '' });
    expect((await runCli(['dec', join(dir, 'x.fc'), ...keys('other')])).code).toBe(3);
  });

  it('not a filecrypt file, empty input, unsupported version: exit 5', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'text'), 'just some text, long enough to hold a header\n');
    expect(await runCli(['dec', join(dir, 'text')], { env: ENV })).toMatchObject({
      code: 5,
      stderr: 'filecrypt: not a filecrypt file\n',
    });
    expect(await runCli(['dec'], { env: ENV })).toMatchObject({ code: 5, stderr: 'filecrypt: not a filecrypt file\n' });
    const bytes = readFileSync(await encryptedFile(dir));
    bytes[8] = 2;
    writeFileSync(join(dir, 'v2.fc'), bytes);
    expect(await runCli(['inspect', join(dir, 'v2.fc')])).toMatchObject({
      code: 5,
      stderr: 'filecrypt: unsupported filecrypt format version 2 (this filecrypt reads version 1)\n',
    });
  });

  it('KDF work factors over the caps are refused before any work: exit 5', async () => {
    const dir = tempDir();
    const bytes = readFileSync(await encryptedFile(dir));
    bytes.writeUInt32BE(10_000_001, 22);
    writeFileSync(join(dir, 'slow.fc'), bytes);
    expect(await runCli(['dec', join(dir, 'slow.fc')], { env: ENV })).toMatchObject({
      code: 5,
      stderr:
        'filecrypt: refusing to decrypt: PBKDF2 iterations 10000001 exceed the limit of 10000000; ' +
        '--allow-expensive-kdf accepts it\n',
    });
    const scrypt = await runCli(['enc', '--kdf', 'scrypt', '--iter', '1024'], { input: Buffer.from('x'), env: ENV });
    const patched = Buffer.from(scrypt.stdout);
    expect(patched[22]).toBe(10);
    patched[22] = 21;
    writeFileSync(join(dir, 'big.fc'), patched);
    expect(await runCli(['dec', join(dir, 'big.fc')], { env: ENV })).toMatchObject({
      code: 5,
      stderr:
        'filecrypt: refusing to decrypt: scrypt N=2^21, r=8 needs 2048 MiB of memory, over the limit of 1024 MiB; ' +
        '--allow-expensive-kdf accepts it\n',
    });
  });

  it('file not found: exit 6', async () => {
    const dir = tempDir();
    const missing = join(dir, 'missing.fc');
    expect(await runCli(['dec', missing], { env: ENV })).toMatchObject({
      code: 6,
      stderr: `filecrypt: file not found: ${missing}\n`,
    });
    expect(await runCli(['enc', missing, '-o', join(dir, 'x')], { env: ENV })).toMatchObject({
      code: 6,
      stderr: `filecrypt: file not found: ${missing}\n`,
    });
    expect(readdirSync(dir)).toEqual([]);
    const noDir = await runCli(['enc', '-o', join(dir, 'nodir', 'x.fc')], { env: ENV, input: Buffer.from('x') });
    expect(noDir).toMatchObject({ code: 6, stderr: `filecrypt: file not found: ${join(dir, 'nodir')}\n` });
  });

  it('permission denied: exit 7', async () => {
    const dir = tempDir();
    const secret = join(dir, 'locked');
    writeFileSync(secret, 'no entry');
    chmodSync(secret, 0o000);
    // root reads anything, so as root the run drops to "nobody".
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    chmodSync(dir, 0o755);
    const result = await runCli(['enc', secret], { env: ENV, ...asUser, cwd: '/' });
    expect(result).toMatchObject({ code: 7, stderr: `filecrypt: permission denied: ${secret}\n` });
    const output = join(dir, 'out.fc');
    const write = await runCli(['enc', '-o', output], { env: ENV, ...asUser, cwd: '/', input: Buffer.from('x') });
    expect(write).toMatchObject({ code: 7, stderr: `filecrypt: permission denied: ${output}\n` });
  });

  it('an existing output needs --force: exit 8, then replaced', async () => {
    const dir = tempDir();
    const file = await encryptedFile(dir);
    writeFileSync(join(dir, 'out'), 'keep me');
    const refused = await runCli(['dec', file, '-o', join(dir, 'out')], { env: ENV });
    expect(refused).toMatchObject({
      code: 8,
      stderr: `filecrypt: ${join(dir, 'out')} already exists; use --force to overwrite it\n`,
    });
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('keep me');
    expect((await runCli(['dec', file, '-o', join(dir, 'out'), '--force'], { env: ENV })).code).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('secret\n');
    expect(statSync(join(dir, 'out')).mode & 0o777).toBe(statSync(join(dir, 'plain')).mode & 0o777);
  });

  it.each([
    [
      ['enc', '--passphrase-file', 'a', '--passphrase-fd', '3'],
      'use either --passphrase-file or --passphrase-fd, not both',
    ],
    [['enc', '--format', 'openssl', '-r', 'fcpub1x'], '--format openssl has no recipients; it uses a passphrase'],
    [['enc', '--format', 'openssl', '--kdf', 'scrypt'], '--format openssl always uses PBKDF2'],
    [['enc', '--iter', '999'], '--iter must be from 1000 to 10000000 for PBKDF2'],
    [['enc', '--iter', 'many'], '--iter must be a whole number'],
    [
      ['enc', '--kdf', 'scrypt', '--iter', '1000'],
      'with --kdf scrypt, --iter is N and must be a power of two from 1024 to 1048576',
    ],
    [['enc', '-r', 'fcpub1notakey'], 'not a filecrypt public key (fcpub1…): fcpub1notakey'],
    [['frobnicate'], "unknown command 'frobnicate'"],
    // commander's suggestion stays on the same line
    [['encc'], "unknown command 'encc' (Did you mean enc?)"],
    [['enc', '--bogus'], "unknown option '--bogus'"],
    [['enc', '--forc'], "unknown option '--forc' (Did you mean --force?)"],
    [['enc', '-o'], "option '-o, --output <OUTPUT>' argument missing"],
    [['enc', 'a', 'b'], "too many arguments for 'enc'. Expected 1 argument but got 2."],
    [['keygen', 'a'], "too many arguments for 'keygen'. Expected 0 arguments but got 1."],
    [['dec', '--format', 'gpg'], '--format must be native or openssl or age'],
  ])('usage error %j: exit 2', async (args, message) => {
    expect(await runCli(args, { env: ENV })).toMatchObject({ code: 2, stderr: `filecrypt: ${message}\n` });
  });

  it('more than 255 recipients do not fit the header', async () => {
    const { encodeKey, identityFromSecret, PUBLIC_KEY_PREFIX } = await import('../src/crypto/x25519.js');
    const dir = tempDir();
    const keys = Array.from({ length: 256 }, (_, i) =>
      encodeKey(PUBLIC_KEY_PREFIX, identityFromSecret(seededBytes(`r${i}`, 32)).publicKey),
    );
    writeFileSync(join(dir, 'many'), keys.join('\n'));
    const result = await runCli(['enc', '-R', join(dir, 'many')], { input: Buffer.from('x') });
    expect(result).toMatchObject({ code: 2, stderr: 'filecrypt: at most 255 recipients, got 256\n' });
  });

  it('help: --help on stdout with exit 0; no command on stderr with exit 2', async () => {
    const help = await runCli(['--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    const text = help.stdout.toString();
    expect(text).toMatch(/^Usage: filecrypt \[options\] \[command\]\n\nAuthenticated streaming file encryption/);
    for (const command of ['enc', 'dec', 'keygen', 'inspect']) expect(text).toMatch(new RegExp(`\\n  ${command} `));
    expect(text).toContain('Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 wrong passphrase or key');
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stdout.length).toBe(0);
    expect(none.stderr).toBe(text);
    expect((await runCli(['help'])).stdout.toString()).toBe(text);
  });

  it.each([
    ['enc', /^Usage: filecrypt enc \[options\] \[INPUT\]\n/, '-r, --recipient <PUBKEY>'],
    ['dec', /^Usage: filecrypt dec \[options\] \[INPUT\]\n/, '--restore-name'],
    ['keygen', /^Usage: filecrypt keygen \[options\]\n/, '-o, --output <KEYFILE>'],
    ['inspect', /^Usage: filecrypt inspect \[options\] \[INPUT\]\n/, '-k, --key <KEYFILE>'],
  ])('%s --help: its own usage on stdout, exit 0, nothing else run', async (command, usageLine, option) => {
    // FILECRYPT_PASSPHRASE and empty stdin: were the command to run, enc would write ciphertext.
    const result = await runCli([command, '--help'], { env: ENV });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.toString()).toMatch(usageLine);
    expect(result.stdout.toString()).toContain(option);
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      expect(await runCli([flag])).toMatchObject({ code: 0, stdout: Buffer.from(`${version}\n`), stderr: '' });
    }
  });

  it('an empty passphrase is refused, from a file, the environment or the prompt', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'empty'), '\nsecond line\n');
    const fromFile = await runCli(['enc', '--passphrase-file', join(dir, 'empty')], { input: Buffer.from('x') });
    expect(fromFile).toMatchObject({ code: 2, stderr: 'filecrypt: an empty passphrase is refused\n' });
    const fromEnv = await runCli(['enc'], { input: Buffer.from('x'), env: { FILECRYPT_PASSPHRASE: '' } });
    expect(fromEnv.code).toBe(2);
  });

  it('--passphrase-fd reads the first line of that descriptor', async () => {
    const data = seededBytes('fd', 1000);
    const enc = await runCli(['enc', '--passphrase-fd', '3', '--iter', '1000'], {
      input: data,
      fds: ['via fd\nmore\n'],
    });
    expect(enc.code).toBe(0);
    const dec = await runCli(['dec', '--passphrase-fd', '3'], { input: enc.stdout, fds: ['via fd\r\n'] });
    expect(dec.code).toBe(0);
    expect(dec.stdout.equals(data)).toBe(true);
  });

  it('without a passphrase source or a terminal, says how to give one', async () => {
    const result = await runCli(['enc'], { input: Buffer.from('x'), detached: true });
    expect(result).toMatchObject({
      code: 2,
      stderr:
        'filecrypt: no passphrase: there is no terminal to ask on; use --passphrase-file, --passphrase-fd or FILECRYPT_PASSPHRASE\n',
    });
  });
});

/** util-linux `script` gives the child a pseudo-terminal: its /dev/tty and, here, its stdout. */
const haveScript = spawnSync('script', ['--version']).status === 0;
if (!haveScript) console.log('skipped: terminal tests need util-linux script');

function inTerminal(command: string, typed: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qefc', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Answer each prompt as it appears, as a person would.
      if (/Passphrase( again)?: $/.test(output) && typed.length > 0) {
        const [line, ...rest] = typed.split('\n');
        typed = rest.join('\n');
        child.stdin.write(`${line}\r`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!haveScript)('terminal', () => {
  const quote = (path: string) => `'${path}'`;

  it('asks twice on /dev/tty with echo off, and decrypts with the same answer', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'typed at a prompt\n');
    const command = `${quote(process.execPath)} ${quote(CLI)} enc ${quote(join(dir, 'plain'))} -o ${quote(join(dir, 'x.fc'))} --iter 1000`;
    const enc = await inTerminal(command, 'tty secret\ntty secret\n');
    expect(enc.code).toBe(0);
    expect(enc.output).toContain('Passphrase: ');
    expect(enc.output).toContain('Passphrase again: ');
    expect(enc.output).not.toContain('tty secret');
    const dec = await runCli(['dec', join(dir, 'x.fc')], { env: { FILECRYPT_PASSPHRASE: 'tty secret' } });
    expect(dec.stdout.toString()).toBe('typed at a prompt\n');
  });

  it('different answers are refused and nothing is written', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const command = `${quote(process.execPath)} ${quote(CLI)} enc ${quote(join(dir, 'plain'))} -o ${quote(join(dir, 'x.fc'))}`;
    const enc = await inTerminal(command, 'one\ntwo\n');
    expect(enc.code).toBe(2);
    expect(enc.output).toContain('filecrypt: the passphrases do not match');
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('draws a progress bar on a terminal stderr for inputs over 32 MiB, unless --quiet', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'big'), Buffer.alloc(33 * 1024 * 1024, 1));
    const base = `FILECRYPT_PASSPHRASE=pw ${quote(process.execPath)} ${quote(CLI)} enc ${quote(join(dir, 'big'))} --iter 1000`;
    const shown = await inTerminal(`${base} -o ${quote(join(dir, 'a.fc'))}`, '');
    expect(shown.code).toBe(0);
    expect(shown.output).toContain('] 50% 16.5/33.0 MiB');
    expect(shown.output).toContain('\r[##############################] 100% 33.0/33.0 MiB');
    const quiet = await inTerminal(`${base} -o ${quote(join(dir, 'b.fc'))} --quiet`, '');
    expect(quiet).toEqual({ code: 0, output: '' });
  });

  it('refuses to write ciphertext to a terminal', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const command = `FILECRYPT_PASSPHRASE=pw ${quote(process.execPath)} ${quote(CLI)} enc ${quote(join(dir, 'plain'))}`;
    const enc = await inTerminal(command, '');
    expect(enc.code).toBe(2);
    expect(enc.output.trim()).toBe(
      'filecrypt: refusing to write ciphertext to a terminal; use -o FILE or redirect stdout',
    );
  });
});

describe.skipIf(!haveScript)('terminal, age format', () => {
  const quote = (path: string) => `'${path}'`;
  const cli = `${quote(process.execPath)} ${quote(CLI)}`;

  it('enc --format age asks twice, dec asks once, on the terminal', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'typed at the prompt\n');
    const enc = await inTerminal(
      `${cli} enc ${quote(join(dir, 'plain'))} --format age --iter 10 -o ${quote(join(dir, 'x.age'))}`,
      'tty pass\ntty pass\n',
    );
    expect(enc.code, enc.output).toBe(0);
    expect(readFileSync(join(dir, 'x.age'), 'latin1')).toMatch(/^age-encryption\.org\/v1\n-> scrypt \S+ 10\n/);
    const dec = await inTerminal(`${cli} dec ${quote(join(dir, 'x.age'))} -o ${quote(join(dir, 'out'))}`, 'tty pass\n');
    expect(dec.code, dec.output).toBe(0);
    expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('typed at the prompt\n');
  });

  it('armored age goes to a terminal as age prints it; binary age is refused', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const command = `FILECRYPT_PASSPHRASE=pw ${cli} enc ${quote(join(dir, 'plain'))} --format age --iter 10`;
    const armored = await inTerminal(`${command} -a`, '');
    expect(armored.code).toBe(0);
    expect(armored.output).toMatch(
      /^-----BEGIN AGE ENCRYPTED FILE-----\r\n[\s\S]+\r\n-----END AGE ENCRYPTED FILE-----\r\n$/,
    );
    const binary = await inTerminal(command, '');
    expect(binary.code).toBe(2);
    expect(binary.output.trim()).toBe(
      'filecrypt: refusing to write ciphertext to a terminal; use -o FILE or redirect stdout',
    );
  });
});

describe('signals', () => {
  it('SIGTERM mid-stream removes the temporary file and exits 143', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'out'));
    const child = spawn(process.execPath, [CLI, 'enc', '-o', join(dir, 'out', 'x.fc'), '--iter', '1000'], {
      env: { ...process.env, ...ENV },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.on('error', () => undefined);
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Keep stdin open and wait until the temporary output exists: the run is then mid-stream.
    child.stdin.write(Buffer.alloc(4 * 1024 * 1024));
    const { watch } = await import('node:fs');
    await new Promise<void>((resolve) => {
      const watcher = watch(join(dir, 'out'), () => {
        if (readdirSync(join(dir, 'out')).length > 0) {
          watcher.close();
          resolve();
        }
      });
      if (readdirSync(join(dir, 'out')).length > 0) {
        watcher.close();
        resolve();
      }
    });
    expect(readdirSync(join(dir, 'out'))[0]).toMatch(
      new RegExp(`^\\.x\\.fc\\.filecrypt-${child.pid}-[0-9a-f]{12}\\.tmp$`),
    );
    child.kill('SIGTERM');
    expect(await closed).toBe(143);
    expect(stderr).toBe('filecrypt: interrupted by SIGTERM\n');
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });
});

describe('keygen and inspect', () => {
  it('keygen writes a 0600 key file, prints the public key, and will not overwrite it', async () => {
    const dir = tempDir();
    const result = await runCli(['keygen', '-o', join(dir, 'k')]);
    expect(result.code).toBe(0);
    const publicKey = result.stdout.toString().trim();
    expect(publicKey).toMatch(/^fcpub1[A-Za-z0-9_-]{48}$/);
    expect(statSync(join(dir, 'k')).mode & 0o777).toBe(0o600);
    const lines = readFileSync(join(dir, 'k'), 'utf8').split('\n');
    expect(lines[1]).toBe(`# public key: ${publicKey}`);
    expect(lines[2]).toMatch(/^FCSECRET1[A-Za-z0-9_-]{48}$/);
    expect((await runCli(['keygen', '-o', join(dir, 'k')])).code).toBe(8);
    const printed = await runCli(['keygen']);
    expect(printed.stdout.toString()).toMatch(/^# created: .+\n# public key: fcpub1\S+\nFCSECRET1\S+\n$/);
  });

  it('inspect names an openssl file and its lack of integrity', async () => {
    const enc = await runCli(['enc', '--format', 'openssl', '--iter', '1000'], { input: Buffer.from('x'), env: ENV });
    const dir = tempDir();
    writeFileSync(join(dir, 'o.enc'), enc.stdout);
    const result = await runCli(['inspect', join(dir, 'o.enc')]);
    expect(result.stdout.toString()).toBe(
      [
        'format: openssl enc (Salted__): AES-256-CBC, key and IV from PBKDF2, no integrity protection',
        `salt: ${enc.stdout.subarray(8, 16).toString('hex')}`,
        'iterations: not recorded in the file (openssl default 10000; filecrypt default 600000)',
        '',
      ].join('\n'),
    );
  });
});
