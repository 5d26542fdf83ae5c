import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, seededBytes, tempDir } from './helpers.js';

/** The real openssl binary; CI has it, so these only skip (with a printed reason) where it is missing. */
const probe = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const haveOpenssl = probe.status === 0;
if (!haveOpenssl) console.log('skipped: openssl interop tests need the openssl binary on PATH');

const ITER = '1000';
const FORMAT = ['--format', 'openssl'];
const DEC_WARNING = 'warning: an openssl-format file has no integrity protection: changes to it are not detected';
const SIZES = [0, 1, 15, 16, 17, 65536, 300_001];

function openssl(args: string[]): Buffer {
  return execFileSync('openssl', ['enc', '-aes-256-cbc', '-pbkdf2', '-md', 'sha256', ...args]);
}

describe.skipIf(!haveOpenssl)(`openssl interop (${probe.stdout?.trim() ?? 'missing'})`, () => {
  it.each(SIZES)('filecrypt enc --format openssl → openssl enc -d (%i bytes)', async (size) => {
    const dir = tempDir();
    const data = seededBytes(`ossl ${size}`, size);
    // A CRLF line ending and a second line: both tools read only the first line, without CR/LF.
    writeFileSync(join(dir, 'pass'), 'open sesame\r\nignored second line\n');
    writeFileSync(join(dir, 'plain'), data);
    const enc = await runCli([
      'enc',
      join(dir, 'plain'),
      '--format',
      'openssl',
      '--iter',
      ITER,
      '--passphrase-file',
      join(dir, 'pass'),
      '-o',
      join(dir, 'x.enc'),
    ]);
    expect(enc.code).toBe(0);
    expect(enc.stderr).toBe(
      'filecrypt: warning: --format openssl has no integrity protection: changes to the file are not detected\n',
    );
    const ciphertext = readFileSync(join(dir, 'x.enc'));
    expect(ciphertext.subarray(0, 8).toString('latin1')).toBe('Salted__');
    expect(ciphertext.length).toBe(16 + (Math.floor(size / 16) + 1) * 16);
    const plain = openssl(['-d', '-iter', ITER, '-kfile', join(dir, 'pass'), '-in', join(dir, 'x.enc')]);
    expect(plain.equals(data)).toBe(true);
  });

  it.each(SIZES)('openssl enc → filecrypt dec --format openssl (%i bytes)', async (size) => {
    const dir = tempDir();
    const data = seededBytes(`ossl-in ${size}`, size);
    writeFileSync(join(dir, 'pass'), 'open sesame\n');
    writeFileSync(join(dir, 'plain'), data);
    openssl(['-e', '-iter', ITER, '-kfile', join(dir, 'pass'), '-in', join(dir, 'plain'), '-out', join(dir, 'x.enc')]);
    const dec = await runCli([
      'dec',
      join(dir, 'x.enc'),
      ...FORMAT,
      '--iter',
      ITER,
      '--passphrase-file',
      join(dir, 'pass'),
    ]);
    expect(dec).toMatchObject({ code: 0, stderr: `filecrypt: ${DEC_WARNING}\n` });
    expect(dec.stdout.equals(data)).toBe(true);
  });

  it('the default --iter is 600000 in both directions', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pass'), 'default iterations\n');
    const data = Buffer.from('default-iteration interop\n');
    const enc = await runCli(['enc', '--format', 'openssl', '--passphrase-file', join(dir, 'pass')], { input: data });
    expect(enc.code).toBe(0);
    writeFileSync(join(dir, 'x.enc'), enc.stdout);
    const plain = openssl(['-d', '-iter', '600000', '-kfile', join(dir, 'pass'), '-in', join(dir, 'x.enc')]);
    expect(plain.equals(data)).toBe(true);
  });

  it('a file made with openssl default iterations fails with a hint, then opens with --iter 10000', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pass'), 'legacy\n');
    writeFileSync(join(dir, 'plain'), 'made by openssl enc -pbkdf2 without -iter\n');
    openssl(['-e', '-kfile', join(dir, 'pass'), '-in', join(dir, 'plain'), '-out', join(dir, 'x.enc')]);
    const pass = [...FORMAT, '--passphrase-file', join(dir, 'pass')];
    const failed = await runCli(['dec', join(dir, 'x.enc'), '-o', join(dir, 'out'), ...pass]);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toBe(
      `filecrypt: ${DEC_WARNING}\n` +
        'filecrypt: wrong passphrase or key; if the file was made with openssl enc without -iter, try --iter 10000 (openssl default)\n',
    );
    expect(readdirSync(dir).sort()).toEqual(['pass', 'plain', 'x.enc']);
    const ok = await runCli(['dec', join(dir, 'x.enc'), '--iter', '10000', ...pass]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.toString()).toBe('made by openssl enc -pbkdf2 without -iter\n');
  });

  it('a truncated openssl file is "truncated"', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pass'), 'cut\n');
    const enc = await runCli(['enc', '--format', 'openssl', '--iter', ITER, '--passphrase-file', join(dir, 'pass')], {
      input: Buffer.alloc(100, 1),
    });
    writeFileSync(join(dir, 'x.enc'), enc.stdout.subarray(0, enc.stdout.length - 5));
    const dec = await runCli([
      'dec',
      join(dir, 'x.enc'),
      ...FORMAT,
      '--iter',
      ITER,
      '--passphrase-file',
      join(dir, 'pass'),
    ]);
    expect(dec).toMatchObject({ code: 4, stderr: `filecrypt: ${DEC_WARNING}\nfilecrypt: truncated\n` });
  });
});
