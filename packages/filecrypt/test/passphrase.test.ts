import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, tempDir } from './helpers.js';

/**
 * A passphrase is the bytes the user gave, from every source, never text
 * decoded and re-encoded: "café" typed in Latin-1 is the byte E9, which is not
 * UTF-8 and must not turn into U+FFFD (then every such passphrase would give
 * the same key). Files and descriptors give their first line as `openssl enc
 * -kfile` reads it: the bytes before the first LF, less any CR bytes at its end.
 */
const LATIN1 = Buffer.from('caf\xe9', 'latin1');
const OTHER = Buffer.from('caf\xe8', 'latin1');
const PLAIN = Buffer.from('bytes, not text\n');
const ITER = '1000';

const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const haveOpenssl = probe.status === 0;
if (!haveOpenssl) console.log('skipped: passphrase interop tests with openssl need the openssl binary on PATH');
const haveScript = spawnSync('script', ['--version']).status === 0;
if (!haveScript) console.log('skipped: the prompt byte test needs util-linux script');

function passFile(dir: string, name: string, bytes: Buffer): string {
  writeFileSync(join(dir, name), bytes);
  return join(dir, name);
}

async function encryptWithFile(dir: string, file: string, extra: string[] = []): Promise<string> {
  const enc = await runCli(['enc', '--iter', ITER, '--passphrase-file', file, ...extra], { input: PLAIN });
  expect(enc.code).toBe(0);
  writeFileSync(join(dir, 'x.fc'), enc.stdout);
  return join(dir, 'x.fc');
}

/** Run the bin from sh, so that the environment can hold bytes that are not UTF-8. */
function runShell(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: Buffer; stderr: string } {
  const result = spawnSync('/bin/sh', ['-c', script, 'sh', process.execPath, CLI, ...args], {
    env: { ...process.env, FILECRYPT_PASSPHRASE: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
}

describe('passphrase bytes are used exactly', () => {
  it('two different non-UTF-8 passphrases give different keys', async () => {
    const dir = tempDir();
    const file = await encryptWithFile(dir, passFile(dir, 'e9', Buffer.concat([LATIN1, Buffer.from('\n')])));
    const other = passFile(dir, 'e8', Buffer.concat([OTHER, Buffer.from('\n')]));
    const wrong = await runCli(['dec', file, '--passphrase-file', other]);
    expect(wrong).toMatchObject({ code: 3, stdout: Buffer.alloc(0), stderr: 'filecrypt: wrong passphrase or key\n' });
    const right = await runCli(['dec', file, '--passphrase-file', join(dir, 'e9')]);
    expect(right).toMatchObject({ code: 0, stdout: PLAIN, stderr: '' });
  });

  it('a file gives the bytes before the first LF, less trailing CRs (a CR inside stays)', async () => {
    const dir = tempDir();
    const file = await encryptWithFile(dir, passFile(dir, 'pw', Buffer.from('a\rb\r\r\nsecond line\n')));
    const viaEnv = await runCli(['dec', file], { env: { FILECRYPT_PASSPHRASE: 'a\rb' } });
    expect(viaEnv).toMatchObject({ code: 0, stdout: PLAIN });
    const noNewline = passFile(dir, 'bare', Buffer.from('a\rb\r'));
    expect(await runCli(['dec', file, '--passphrase-file', noNewline])).toMatchObject({ code: 0, stdout: PLAIN });
    const cut = await runCli(['dec', file], { env: { FILECRYPT_PASSPHRASE: 'a' } });
    expect(cut.code).toBe(3);
  });

  it('FILECRYPT_PASSPHRASE keeps bytes that are not UTF-8', async () => {
    const dir = tempDir();
    const file = await encryptWithFile(dir, passFile(dir, 'e9', Buffer.concat([LATIN1, Buffer.from('\r\n')])));
    const ok = runShell(`FILECRYPT_PASSPHRASE="$(printf 'caf\\351')" exec "$@"`, ['dec', file]);
    expect(ok).toMatchObject({ code: 0, stdout: PLAIN, stderr: '' });
    const other = runShell(`FILECRYPT_PASSPHRASE="$(printf 'caf\\350')" exec "$@"`, ['dec', file]);
    expect(other).toMatchObject({ code: 3, stderr: 'filecrypt: wrong passphrase or key\n' });
  });

  it('--passphrase-fd keeps bytes that are not UTF-8', async () => {
    const dir = tempDir();
    const file = await encryptWithFile(dir, passFile(dir, 'e9', LATIN1));
    const ok = await runCli(['dec', file, '--passphrase-fd', '3'], {
      fds: [Buffer.concat([LATIN1, Buffer.from('\n')])],
    });
    expect(ok).toMatchObject({ code: 0, stdout: PLAIN, stderr: '' });
    const other = await runCli(['dec', file, '--passphrase-fd', '3'], { fds: [OTHER] });
    expect(other.code).toBe(3);
  });

  it.skipIf(!haveScript)('the terminal prompt keeps bytes that are not UTF-8', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), PLAIN);
    const quote = (path: string) => `'${path}'`;
    const command = `${quote(process.execPath)} ${quote(CLI)} enc ${quote(join(dir, 'plain'))} -o ${quote(join(dir, 'x.fc'))} --iter ${ITER}`;
    const typed = await new Promise<number | null>((resolve, reject) => {
      const child = spawn('script', ['-qefc', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      let answered = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString('latin1');
        const prompts = output.match(/Passphrase( again)?: /g)?.length ?? 0;
        // Answer each prompt once, as it appears; a backspace removes the whole typo (one UTF-8 character).
        for (; answered < prompts; answered += 1) {
          child.stdin.write(Buffer.concat([LATIN1, Buffer.from('é\x7f\r')]));
        }
      });
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(typed).toBe(0);
    const dec = await runCli(['dec', join(dir, 'x.fc'), '--passphrase-file', passFile(dir, 'e9', LATIN1)]);
    expect(dec).toMatchObject({ code: 0, stdout: PLAIN });
    const other = await runCli(['dec', join(dir, 'x.fc'), '--passphrase-file', passFile(dir, 'e8', OTHER)]);
    expect(other.code).toBe(3);
  });
});

describe('a passphrase line has a size limit', () => {
  it('a source that never ends a line (/dev/zero) is refused at 64 KiB instead of filling memory', async () => {
    const dir = tempDir();
    const file = await encryptWithFile(dir, passFile(dir, 'max', Buffer.alloc(65536, 0x61)));
    const zero = await runCli(['dec', file, '--passphrase-file', '/dev/zero']);
    expect(zero).toMatchObject({
      code: 2,
      stderr: 'filecrypt: the passphrase line from /dev/zero is longer than 65536 bytes\n',
    });
    const longer = passFile(dir, 'longer', Buffer.concat([Buffer.alloc(65537, 0x61), Buffer.from('\n')]));
    expect(await runCli(['dec', file, '--passphrase-file', longer])).toMatchObject({
      code: 2,
      stderr: `filecrypt: the passphrase line from ${longer} is longer than 65536 bytes\n`,
    });
    const fd = await runCli(['dec', file, '--passphrase-fd', '3'], { fds: [Buffer.alloc(65537, 0x61)] });
    expect(fd).toMatchObject({
      code: 2,
      stderr: 'filecrypt: the passphrase line from fd 3 is longer than 65536 bytes\n',
    });
    expect(await runCli(['dec', file, '--passphrase-file', join(dir, 'max')])).toMatchObject({
      code: 0,
      stdout: PLAIN,
    });
  });
});

describe('--passphrase-fd reads only the first line', () => {
  it('the rest of the descriptor is left unread for whoever reads it next', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), PLAIN);
    writeFileSync(join(dir, 'secrets'), 'first\nsecond line\nthird line\n');
    const result = runShell(
      `{ "$@" < "$DIR/plain"; cat <&3; } 3< "$DIR/secrets"`,
      ['enc', '--passphrase-fd', '3', '--iter', ITER, '-o', join(dir, 'x.fc')],
      { DIR: dir },
    );
    expect(result).toMatchObject({ code: 0, stdout: Buffer.from('second line\nthird line\n'), stderr: '' });
    const dec = await runCli(['dec', join(dir, 'x.fc')], { env: { FILECRYPT_PASSPHRASE: 'first' } });
    expect(dec).toMatchObject({ code: 0, stdout: PLAIN });
  });

  it('a descriptor that stays open after the line does not keep it waiting', async () => {
    const dir = tempDir();
    const file = await encryptWithFile(dir, passFile(dir, 'pw', Buffer.from('still open\n')));
    const result = await runCli(['dec', file, '--passphrase-fd', '3'], {
      fds: ['still open\r\nmore'],
      keepFdsOpen: true,
    });
    expect(result).toMatchObject({ code: 0, stdout: PLAIN, stderr: '' });
  });
});

describe.skipIf(!haveOpenssl)(
  `openssl -kfile interop with non-UTF-8 bytes (${probe.stdout?.trim() ?? 'missing'})`,
  () => {
    const openssl = (args: string[]) =>
      execFileSync('openssl', ['enc', '-aes-256-cbc', '-pbkdf2', '-md', 'sha256', '-iter', ITER, ...args]);

    it('openssl enc -kfile (0xE9) → filecrypt dec --format openssl --passphrase-file, and back', async () => {
      const dir = tempDir();
      const kfile = passFile(dir, 'k', Buffer.concat([LATIN1, Buffer.from('\r\nnot this line\n')]));
      writeFileSync(join(dir, 'plain'), PLAIN);
      openssl(['-e', '-kfile', kfile, '-in', join(dir, 'plain'), '-out', join(dir, 'o.enc')]);
      const args = ['--format', 'openssl', '--iter', ITER, '--passphrase-file', kfile];
      const dec = await runCli(['dec', join(dir, 'o.enc'), ...args]);
      expect(dec.code).toBe(0);
      expect(dec.stdout).toEqual(PLAIN);
      const enc = await runCli(['enc', join(dir, 'plain'), ...args, '-o', join(dir, 'f.enc')]);
      expect(enc.code).toBe(0);
      expect(openssl(['-d', '-kfile', kfile, '-in', join(dir, 'f.enc')])).toEqual(PLAIN);
      expect(readFileSync(join(dir, 'f.enc')).subarray(0, 8).toString()).toBe('Salted__');
    });

    it('a CR inside the line is part of the passphrase for both', async () => {
      const dir = tempDir();
      const kfile = passFile(dir, 'k', Buffer.from('a\rb\r\r\n'));
      writeFileSync(join(dir, 'plain'), PLAIN);
      openssl(['-e', '-kfile', kfile, '-in', join(dir, 'plain'), '-out', join(dir, 'o.enc')]);
      const args = ['--format', 'openssl', '--iter', ITER, '--passphrase-file', kfile];
      const dec = await runCli(['dec', join(dir, 'o.enc'), ...args]);
      expect(dec).toMatchObject({ code: 0, stdout: PLAIN });
    });
  },
);
