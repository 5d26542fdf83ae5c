import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKdfLimits } from '../src/crypto/passphrase.js';
import { DEFAULT_KDF_LIMITS, NO_KDF_LIMITS } from '../src/format/constants.js';
import { runCli, tempDir } from './helpers.js';

/**
 * A hostile header must not make `dec` or `inspect` spend unbounded memory or
 * time, and the refusal comes before any passphrase is asked for: the runs
 * below have no terminal (a prompt would fail with exit 2) or a passphrase
 * descriptor that never delivers (reading it would hang the test).
 */
const ENV = { FILECRYPT_PASSPHRASE: 'kdf limits' };

/** A scrypt file whose header claims other parameters (log2 N, r, p are bytes 22, 23, 24). */
async function scryptFile(dir: string, logN: number, r: number, p: number): Promise<string> {
  const enc = await runCli(['enc', '--kdf', 'scrypt', '--iter', '1024'], { input: Buffer.from('x'), env: ENV });
  expect(enc.code).toBe(0);
  const bytes = Buffer.from(enc.stdout);
  expect([bytes[19], bytes[22], bytes[23], bytes[24]]).toEqual([2, 10, 8, 1]);
  bytes[22] = logN;
  bytes[23] = r;
  bytes[24] = p;
  const path = join(dir, `scrypt-${logN}-${r}-${p}.fc`);
  writeFileSync(path, bytes);
  return path;
}

async function pbkdf2File(dir: string, iterations: number): Promise<string> {
  const enc = await runCli(['enc', '--iter', '1000'], { input: Buffer.from('x'), env: ENV });
  expect(enc.code).toBe(0);
  const bytes = Buffer.from(enc.stdout);
  bytes.writeUInt32BE(iterations, 22);
  const path = join(dir, `pbkdf2-${iterations}.fc`);
  writeFileSync(path, bytes);
  return path;
}

const SALT_AND_KEY = { salt: Buffer.alloc(16), wrappedKey: Buffer.alloc(48) };
const HINT = '; --allow-expensive-kdf accepts it';
const MEMORY_4G = `refusing to decrypt: scrypt N=2^20, r=32 needs 4096 MiB of memory, over the limit of 1024 MiB${HINT}`;

describe('KDF work factors from the header are checked before any passphrase is asked for', () => {
  it('scrypt N=2^20 r=32 p=16 (4 GiB, 2^29 work): exit 5 at once, no prompt', async () => {
    const dir = tempDir();
    const file = await scryptFile(dir, 20, 32, 16);
    const result = await runCli(['dec', file, '-o', join(dir, 'out')], { detached: true });
    expect(result).toMatchObject({ code: 5, stderr: `filecrypt: ${MEMORY_4G}\n` });
    expect(readFileSync(file).length).toBeGreaterThan(0);
  });

  it('the same through --passphrase-fd that never delivers: refused without reading it', async () => {
    const dir = tempDir();
    const file = await scryptFile(dir, 20, 32, 16);
    const result = await runCli(['dec', file, '--passphrase-fd', '3'], { fds: [null] });
    expect(result).toMatchObject({ code: 5, stdout: Buffer.alloc(0), stderr: `filecrypt: ${MEMORY_4G}\n` });
  });

  it.each([
    [21, 8, 1, `scrypt N=2^21, r=8 needs 2048 MiB of memory, over the limit of 1024 MiB`],
    [19, 24, 1, `scrypt N=2^19, r=24 needs 1536 MiB of memory, over the limit of 1024 MiB`],
    [20, 8, 4, 'scrypt N=2^20, r=8, p=4 costs N·r·p = 33554432, over the limit of 16777216 (16 times the default)'],
    [
      17,
      8,
      255,
      'scrypt N=2^17, r=8, p=255 costs N·r·p = 267386880, over the limit of 16777216 (16 times the default)',
    ],
    [255, 1, 1, 'scrypt N=2^255, r=1 needs 7.07e+72 MiB of memory, over the limit of 1024 MiB'],
  ])('scrypt log2 N=%i r=%i p=%i: %s', async (logN, r, p, what) => {
    const dir = tempDir();
    const file = await scryptFile(dir, logN, r, p);
    const result = await runCli(['dec', file], { detached: true });
    expect(result).toMatchObject({ code: 5, stderr: `filecrypt: refusing to decrypt: ${what}${HINT}\n` });
  });

  it('PBKDF2 over 10,000,000 iterations: exit 5 without a prompt; --allow-expensive-kdf runs it', async () => {
    const dir = tempDir();
    const file = await pbkdf2File(dir, 10_000_001);
    const refused = await runCli(['dec', file], { detached: true });
    expect(refused).toMatchObject({
      code: 5,
      stderr: `filecrypt: refusing to decrypt: PBKDF2 iterations 10000001 exceed the limit of 10000000${HINT}\n`,
    });
    const inspected = await runCli(['inspect', file], { env: ENV });
    expect(inspected.code).toBe(5);
    expect(inspected.stderr).toBe(refused.stderr);
    // Accepted, the KDF runs; the patched count is part of the wrap's associated data, so the key does not unwrap.
    const allowed = await runCli(['dec', file, '--allow-expensive-kdf'], { env: ENV });
    expect(allowed).toMatchObject({ code: 3, stderr: 'filecrypt: wrong passphrase or key\n' });
  });

  it('inspect without a passphrase still shows the claimed parameters', async () => {
    const dir = tempDir();
    const file = await scryptFile(dir, 20, 32, 16);
    const result = await runCli(['inspect', file]);
    expect(result.code).toBe(0);
    expect(result.stdout.toString()).toContain('key: passphrase, scrypt N=2^20 r=32 p=16\n');
  });

  it('the limits themselves are accepted: what enc writes at most (N=2^20, r=8: 1 GiB) and 16x the default work', () => {
    const scrypt = (logN: number, r: number, p: number) => ({ type: 2 as const, logN, r, p, ...SALT_AND_KEY });
    expect(() => checkKdfLimits(scrypt(20, 8, 2), DEFAULT_KDF_LIMITS)).not.toThrow();
    expect(() => checkKdfLimits(scrypt(17, 8, 16), DEFAULT_KDF_LIMITS)).not.toThrow();
    expect(() => checkKdfLimits(scrypt(17, 8, 17), DEFAULT_KDF_LIMITS)).toThrow(/N·r·p = 17825792,/);
    expect(() => checkKdfLimits(scrypt(30, 255, 255), NO_KDF_LIMITS)).not.toThrow();
    const pbkdf2 = (iterations: number) => ({ type: 1 as const, iterations, ...SALT_AND_KEY });
    expect(() => checkKdfLimits(pbkdf2(10_000_000), DEFAULT_KDF_LIMITS)).not.toThrow();
    expect(() => checkKdfLimits(pbkdf2(0xffff_ffff), NO_KDF_LIMITS)).not.toThrow();
  });
});
