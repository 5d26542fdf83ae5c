import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptPayload } from '../src/engine/decrypt.js';
import { encryptNative } from '../src/engine/encrypt.js';
import { readHeader, unlockHeader } from '../src/engine/header.js';
import { ContentKind } from '../src/format/constants.js';
import { ByteReader } from '../src/io/reader.js';
import type { Sink } from '../src/io/sink.js';
import { FINAL, runCli, seededBytes, sha256, tempDir, TAG } from './helpers.js';

const SIZES = [0, 1, 65535, 65536, 65537, 3 * 65536];
const HEADER = 123;

/** Ciphertext length for a plaintext of `size` bytes: header, data segments, final metadata segment. */
function expectedLength(size: number, header = HEADER) {
  return header + size + Math.ceil(size / 65536) * TAG + FINAL;
}

describe('passphrase round trips through the CLI', () => {
  it.each([...SIZES, 10 * 1024 * 1024])('%i bytes', async (size) => {
    const dir = tempDir();
    const data = size === 10 * 1024 * 1024 ? seededBytes(`random ${Math.random()}`, size) : seededBytes('rt', size);
    writeFileSync(join(dir, 'pw'), 'correct horse battery staple\n');
    writeFileSync(join(dir, 'in.bin'), data);
    const pass = ['--passphrase-file', join(dir, 'pw')];
    const enc = await runCli(['enc', join(dir, 'in.bin'), '-o', join(dir, 'in.fc'), '--iter', '1000', ...pass]);
    expect(enc).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(join(dir, 'in.fc')).size).toBe(expectedLength(size));
    const dec = await runCli(['dec', join(dir, 'in.fc'), ...pass]);
    expect(dec.code).toBe(0);
    expect(dec.stderr).toBe('');
    expect(sha256(dec.stdout)).toBe(sha256(data));
  });

  it('pipes stdin to stdout both ways, with scrypt and the passphrase from the environment', async () => {
    const data = seededBytes('pipe', 3 * 65536 + 7);
    const env = { FILECRYPT_PASSPHRASE: 'from the environment' };
    const enc = await runCli(['enc', '--kdf', 'scrypt', '--iter', '1024'], { input: data, env });
    expect(enc.code).toBe(0);
    expect(enc.stdout.length).toBe(expectedLength(data.length, 122));
    const dec = await runCli(['dec'], { input: enc.stdout, env });
    expect(dec.code).toBe(0);
    expect(dec.stdout.equals(data)).toBe(true);
  });
});

describe('recipient round trips through the CLI', () => {
  const keys = { dir: '', alice: '', bob: '' };
  beforeAll(async () => {
    keys.dir = mkdtempSync(join(tmpdir(), 'filecrypt-keys-'));
    keys.alice = (await runCli(['keygen', '-o', join(keys.dir, 'alice.key')])).stdout.toString().trim();
    keys.bob = (await runCli(['keygen', '-o', join(keys.dir, 'bob.key')])).stdout.toString().trim();
  });
  afterAll(() => rmSync(keys.dir, { recursive: true, force: true }));

  it.each([...SIZES, 10 * 1024 * 1024])('%i bytes, two recipients, each key decrypts', async (size) => {
    const dir = tempDir();
    const data = seededBytes(`recipients ${size}`, size);
    writeFileSync(join(dir, 'recipients.txt'), `# team\n${keys.bob}\n\n`);
    const enc = await runCli(['enc', '-r', keys.alice, '-R', join(dir, 'recipients.txt'), '-o', join(dir, 'x.fc')], {
      input: data,
    });
    expect(enc).toMatchObject({ code: 0, stderr: '' });
    expect(statSync(join(dir, 'x.fc')).size).toBe(expectedLength(size, 19 + 2 * 83 + 32));
    for (const key of ['alice.key', 'bob.key']) {
      const dec = await runCli(['dec', join(dir, 'x.fc'), '-k', join(keys.dir, key)]);
      expect(dec.code).toBe(0);
      expect(dec.stdout.equals(data)).toBe(true);
    }
  });
});

/** A sink that collects, and a source that replays a buffer in arbitrary chunk sizes. */
function memorySink(): Sink & { bytes: () => Buffer } {
  const parts: Buffer[] = [];
  return {
    write: (chunks) => {
      parts.push(...chunks.map((chunk) => Buffer.from(chunk)));
      return Promise.resolve();
    },
    end: () => Promise.resolve(),
    bytes: () => Buffer.concat(parts),
  };
}

function chunked(data: Buffer, cuts: number[]): AsyncIterable<Buffer> {
  const points = [...new Set(cuts.map((cut) => cut % (data.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const point of [...points, data.length]) {
    pieces.push(data.subarray(at, point));
    at = point;
  }
  return Readable.from(pieces.filter((piece) => piece.length > 0));
}

describe('engine round trips (fast-check)', () => {
  it('any size, any chunking of input and ciphertext, small segments', async () => {
    const recipient = Buffer.from('6ab2d9a1ad0c2c33c5f6b1b0f0e3fa7b56d1b0e7c3d2b9d0a8f2c1e0b9a8d7c6', 'hex');
    const { identityFromSecret } = await import('../src/crypto/x25519.js');
    const identity = identityFromSecret(recipient);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5000 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (size, inputCuts, cipherCuts) => {
          const data = seededBytes(`prop ${size}`, size);
          const encrypted = memorySink();
          // Odd sizes write metadata version 1 (with the SHA-256), as filecrypt did before version 2.
          const legacy = size % 2 === 1;
          await encryptNative(chunked(data, inputCuts), encrypted, {
            kind: ContentKind.File,
            key: { recipients: [identity.publicKey] },
            facts: {},
            segmentExponent: 10,
            legacySha256: legacy,
          });
          const ciphertext = encrypted.bytes();
          expect(ciphertext.length).toBe(19 + 83 + 32 + size + Math.ceil(size / 1024) * TAG + FINAL);
          const reader = new ByteReader(chunked(ciphertext, cipherCuts));
          const parsed = await readHeader(reader);
          const keys = await unlockHeader(parsed, { identities: [identity] });
          const decrypted = memorySink();
          const metadata = await decryptPayload(reader, parsed.header, keys, decrypted);
          expect(decrypted.bytes().equals(data)).toBe(true);
          expect(metadata.size).toBe(size);
          expect(metadata.sha256?.toString('hex')).toBe(legacy ? sha256(data) : undefined);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('metadata', () => {
  it('dec restores mode and mtime, and --restore-name writes the stored name', async () => {
    const dir = tempDir();
    const input = join(dir, 'report.txt');
    writeFileSync(input, 'quarterly numbers\n', { mode: 0o640 });
    const { utimesSync, chmodSync, mkdirSync } = await import('node:fs');
    chmodSync(input, 0o640);
    utimesSync(input, new Date('2024-01-02T03:04:05Z'), new Date('2024-01-02T03:04:05Z'));
    const env = { FILECRYPT_PASSPHRASE: 'pw' };
    expect((await runCli(['enc', input, '-o', join(dir, 'r.fc'), '--iter', '1000'], { env })).code).toBe(0);
    mkdirSync(join(dir, 'out'));
    const dec = await runCli(['dec', join(dir, 'r.fc'), '--restore-name', '-o', join(dir, 'out')], { env });
    expect(dec).toMatchObject({ code: 0, stderr: '' });
    const restored = join(dir, 'out', 'report.txt');
    expect(readFileSync(restored, 'utf8')).toBe('quarterly numbers\n');
    expect(statSync(restored).mode & 0o777).toBe(0o640);
    expect(statSync(restored).mtime.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    const again = await runCli(['dec', join(dir, 'r.fc'), '--restore-name', '-o', join(dir, 'out')], { env });
    expect(again.code).toBe(8);
    expect(again.stderr).toBe(`filecrypt: ${restored} already exists; use --force to overwrite it\n`);

    const inspect = await runCli(['inspect', join(dir, 'r.fc')], { env });
    expect(inspect.code).toBe(0);
    // Metadata version 2: no SHA-256 line (the segments' tags authenticate the content).
    expect(inspect.stdout.toString().split('\n').slice(-6)).toEqual([
      'name: report.txt',
      'size: 18',
      'mtime: 2024-01-02T03:04:05.000Z',
      'mode: 0640',
      'integrity: verified (every segment and the size)',
      '',
    ]);
  });

  it('inspect without a passphrase shows only the plaintext header facts', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'in'), Buffer.alloc(70000));
    const env = { FILECRYPT_PASSPHRASE: 'pw' };
    expect((await runCli(['enc', join(dir, 'in'), '-o', join(dir, 'x.fc'), '--iter', '1000'], { env })).code).toBe(0);
    const result = await runCli(['inspect', join(dir, 'x.fc')]);
    expect(result.code).toBe(0);
    const lines = result.stdout.toString().trim().split('\n');
    expect(lines.filter((line) => !line.startsWith('nonce prefix'))).toEqual([
      'format: filecrypt v1 (AES-256-GCM STREAM, HMAC-SHA256 header)',
      'content: file',
      'segment size: 65536',
      'header bytes: 123',
      'key: passphrase, PBKDF2-HMAC-SHA256, 1000 iterations',
      'plaintext size: 70000 bytes in 3 segments (from the file size)',
      'metadata: encrypted (give a passphrase or -k KEYFILE to show it)',
    ]);
  });
});
