import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';

/**
 * An openssl-format file carries no authentication, so `dec` never picks that
 * format by itself from the Salted__ header: the user must say --format openssl.
 */
const REFUSED =
  'filecrypt: this is an openssl enc file (Salted__), which has no integrity protection; ' +
  'add --format openssl to decrypt it anyway\n';
const WARNING =
  'filecrypt: warning: an openssl-format file has no integrity protection: changes to it are not detected\n';

async function files(dir: string): Promise<{ openssl: string; native: string; pass: string }> {
  const pass = join(dir, 'pass');
  writeFileSync(pass, 'format flag\n');
  const args = ['--iter', '1000', '--passphrase-file', pass];
  const openssl = await runCli(['enc', '--format', 'openssl', ...args], { input: Buffer.from('salted\n') });
  const native = await runCli(['enc', ...args], { input: Buffer.from('native\n') });
  expect([openssl.code, native.code]).toEqual([0, 0]);
  writeFileSync(join(dir, 'x.enc'), openssl.stdout);
  writeFileSync(join(dir, 'x.fc'), native.stdout);
  return { openssl: join(dir, 'x.enc'), native: join(dir, 'x.fc'), pass };
}

describe('dec --format', () => {
  it('a Salted__ file is refused without --format openssl: exit 5, no passphrase asked, no output', async () => {
    const dir = tempDir();
    const { openssl } = await files(dir);
    // No passphrase source and no terminal: had it asked, the run would end with exit 2.
    const refused = await runCli(['dec', openssl, '-o', join(dir, 'out')], { detached: true });
    expect(refused).toMatchObject({ code: 5, stdout: Buffer.alloc(0), stderr: REFUSED });
    const explicit = await runCli(['dec', '--format', 'native', '-o', join(dir, 'out')], {
      detached: true,
      input: Buffer.from('Salted__12345678 and the rest'),
    });
    expect(explicit).toMatchObject({ code: 5, stderr: REFUSED });
    expect(readdirSync(dir).sort()).toEqual(['pass', 'x.enc', 'x.fc']);
  });

  it('with --format openssl it decrypts, with the warning', async () => {
    const dir = tempDir();
    const { openssl, pass } = await files(dir);
    const args = ['--format', 'openssl', '--iter', '1000', '--passphrase-file', pass];
    const result = await runCli(['dec', openssl, ...args, '-o', join(dir, 'out')]);
    expect(result).toMatchObject({ code: 0, stderr: WARNING });
    expect(readdirSync(dir).sort()).toEqual(['out', 'pass', 'x.enc', 'x.fc']);
    const piped = await runCli(['dec', openssl, ...args]);
    expect(piped).toMatchObject({ code: 0, stdout: Buffer.from('salted\n'), stderr: WARNING });
  });

  it('--format openssl on a native file: exit 5 before any passphrase is asked', async () => {
    const dir = tempDir();
    const { native } = await files(dir);
    const result = await runCli(['dec', native, '--format', 'openssl'], { detached: true });
    expect(result).toMatchObject({ code: 5, stderr: 'filecrypt: not an openssl enc file (no Salted__ header)\n' });
  });

  it('a native file still decrypts with or without --format native; a bad value is a usage error', async () => {
    const dir = tempDir();
    const { native, pass } = await files(dir);
    for (const extra of [[], ['--format', 'native']]) {
      const result = await runCli(['dec', native, '--passphrase-file', pass, ...extra]);
      expect(result).toMatchObject({ code: 0, stdout: Buffer.from('native\n'), stderr: '' });
    }
    const bad = await runCli(['dec', native, '--format', 'aes']);
    expect(bad).toMatchObject({ code: 2, stderr: 'filecrypt: --format must be native or openssl or age\n' });
  });

  it('--format age decrypts an age file, binary or armored, as without the flag', async () => {
    const dir = tempDir();
    const pass = join(dir, 'pass');
    writeFileSync(pass, 'format flag\n');
    for (const armor of [[], ['--armor']]) {
      const args = ['--format', 'age', '--iter', '10', '--passphrase-file', pass, ...armor];
      const made = await runCli(['enc', ...args], { input: Buffer.from('age\n') });
      expect(made.code).toBe(0);
      writeFileSync(join(dir, 'x.age'), made.stdout);
      for (const extra of [[], ['--format', 'age']]) {
        const result = await runCli(['dec', join(dir, 'x.age'), '--passphrase-file', pass, ...extra]);
        expect(result).toMatchObject({ code: 0, stdout: Buffer.from('age\n'), stderr: '' });
      }
    }
  });

  it('--format age insists on an age file: a native one is refused before any key is asked for', async () => {
    const dir = tempDir();
    const { native } = await files(dir);
    const result = await runCli(['dec', native, '--format', 'age'], { detached: true });
    expect(result).toMatchObject({
      code: 5,
      stdout: Buffer.alloc(0),
      stderr: 'filecrypt: not an age file (no age-encryption.org/v1 header or age armor)\n',
    });
  });
});
