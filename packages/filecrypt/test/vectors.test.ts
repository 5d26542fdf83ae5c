import { chmodSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encCommand } from '../src/commands/enc.js';
import { keygenCommand } from '../src/commands/keygen.js';
import { encSettings } from '../src/config.js';
import { runCli, seededBytes, seededRandom, sha256, tempDir, testContext } from './helpers.js';

/**
 * Known-answer vectors: committed ciphertexts with their passphrase or key
 * and the plaintext's SHA-256. Decrypting them checks that a change cannot
 * silently break old files; re-encrypting them with the same injected
 * randomness checks that the writer still produces the same bytes.
 * Regenerate (only for a deliberate format change) with FILECRYPT_WRITE_VECTORS=1.
 */
const DIR = fileURLToPath(new URL('./vectors/', import.meta.url));
const WRITE = process.env['FILECRYPT_WRITE_VECTORS'] === '1';
const MTIME = new Date('2025-01-02T03:04:05.678Z');
/** The final (metadata) segment: 320 bytes and a tag. */
const FINAL_SEGMENT = 336;

interface Vector {
  file: string;
  description: string;
  /** How the plaintext is made: seededBytes(seed, size). */
  seed: string;
  size: number;
  sha256: string;
  passphrase?: string;
  keyFiles?: string[];
  iter?: string;
  decArgs?: string[];
  /** Encrypt a file with this name (mode 0640, MTIME) instead of stdin. */
  name?: string;
  flags: Record<string, unknown>;
}

/**
 * Written with metadata version 1 (the plaintext's SHA-256 in the final
 * segment), before version 2 dropped it: read-only now. They must keep
 * decrypting and having their hash checked; the writer no longer makes them.
 */
const READ_ONLY = new Set(['pbkdf2-empty.fc', 'pbkdf2-file.fc', 'scrypt.fc', 'x25519.fc']);

const original: Omit<Vector, 'sha256'>[] = [
  {
    file: 'pbkdf2-empty.fc',
    description: 'empty stdin, PBKDF2-HMAC-SHA256 1000 iterations',
    seed: 'empty',
    size: 0,
    passphrase: 'vector passphrase',
    flags: { iter: '1000' },
  },
  {
    file: 'pbkdf2-file.fc',
    description: 'file hello.txt, 3 full segments and a short one, PBKDF2 1000 iterations',
    seed: 'hello',
    size: 3 * 65536 + 123,
    name: 'hello.txt',
    passphrase: 'vector passphrase',
    flags: { iter: '1000' },
  },
  {
    file: 'scrypt.fc',
    description: 'stdin, scrypt N=1024 r=8 p=1',
    seed: 'scrypt',
    size: 1000,
    passphrase: 'vector passphrase',
    flags: { kdf: 'scrypt', iter: '1024' },
  },
  {
    file: 'x25519.fc',
    description: 'stdin, exactly one full segment, two X25519 recipients',
    seed: 'x25519',
    size: 65536,
    keyFiles: ['alice.key', 'bob.key'],
    flags: {},
  },
  {
    file: 'openssl.enc',
    description: 'openssl enc -aes-256-cbc -pbkdf2 -md sha256 -iter 1000 format',
    seed: 'openssl',
    size: 5000,
    passphrase: 'vector passphrase',
    decArgs: ['--format', 'openssl', '--iter', '1000'],
    flags: { format: 'openssl', iter: '1000' },
  },
];

/** What today's writer makes from the same inputs as three version 1 vectors: the same files with metadata version 2. */
const vectors: Omit<Vector, 'sha256'>[] = [
  ...original,
  ...original
    .filter((vector) => ['pbkdf2-empty.fc', 'pbkdf2-file.fc', 'x25519.fc'].includes(vector.file))
    .map((vector) => ({
      ...vector,
      file: vector.file.replace(/\.fc$/, '-v2.fc'),
      description: `metadata version 2: ${vector.description}`,
    })),
];

async function keyFile(name: string): Promise<{ publicKey: string; text: string }> {
  const result = await keygenCommand(
    { output: undefined, force: false },
    testContext({ random: seededRandom(`key ${name}`) }),
    new Date('2025-01-01T00:00:00.000Z'),
  );
  return { publicKey: result.publicKey, text: result.keyFileText! };
}

async function encryptVector(vector: Omit<Vector, 'sha256'>): Promise<Buffer> {
  const data = seededBytes(vector.seed, vector.size);
  const recipients = await Promise.all((vector.keyFiles ?? []).map(keyFile));
  const context = testContext({
    config: { passphrase: vector.passphrase === undefined ? undefined : Buffer.from(vector.passphrase) },
    stdin: Readable.from(data.length > 0 ? [data] : []),
    random: seededRandom(`vector ${vector.file}`),
  });
  let input: string | undefined;
  if (vector.name) {
    input = join(tempDir(), vector.name);
    writeFileSync(input, data);
    chmodSync(input, 0o640);
    utimesSync(input, MTIME, MTIME);
  }
  const flags = { ...vector.flags, recipient: recipients.map((r) => r.publicKey) };
  await encCommand(input, encSettings(flags), context);
  return context.output();
}

describe('known-answer vectors', () => {
  const manifestPath = join(DIR, 'vectors.json');
  const committed = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as Vector[]) : [];

  // Registered only when regenerating, so that normal runs show no permanently skipped test.
  if (WRITE)
    it('writes the vectors', async () => {
      const manifest: Vector[] = [];
      for (const vector of vectors) {
        if (READ_ONLY.has(vector.file)) {
          manifest.push(committed.find((v) => v.file === vector.file)!);
          continue;
        }
        writeFileSync(join(DIR, vector.file), await encryptVector(vector));
        for (const name of vector.keyFiles ?? []) writeFileSync(join(DIR, name), (await keyFile(name)).text);
        manifest.push({ ...vector, sha256: sha256(seededBytes(vector.seed, vector.size)) });
      }
      writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
    });

  it('covers every vector kind', () => {
    expect(committed.map((v) => v.file)).toEqual(vectors.map((v) => v.file));
  });

  it.each(committed.map((v) => [v.file, v] as const))('%s decrypts to the recorded SHA-256', async (_, vector) => {
    const env: Record<string, string> = vector.passphrase ? { FILECRYPT_PASSPHRASE: vector.passphrase } : {};
    const keys = vector.keyFiles ?? [undefined];
    for (const key of keys) {
      const args = ['dec', join(DIR, vector.file), ...(vector.decArgs ?? []), ...(key ? ['-k', join(DIR, key)] : [])];
      const result = await runCli(args, { env });
      const warning =
        'filecrypt: warning: an openssl-format file has no integrity protection: changes to it are not detected\n';
      expect(result.stderr).toBe(vector.flags['format'] === 'openssl' ? warning : '');
      expect(result.code).toBe(0);
      expect(result.stdout.length).toBe(vector.size);
      expect(sha256(result.stdout)).toBe(vector.sha256);
    }
  });

  it.each(committed.filter((v) => !READ_ONLY.has(v.file)).map((v) => [v.file, v] as const))(
    '%s is reproduced byte for byte from the same randomness',
    async (_, vector) => {
      expect(sha256(seededBytes(vector.seed, vector.size))).toBe(vector.sha256);
      const again = await encryptVector(vector);
      expect(again.equals(readFileSync(join(DIR, vector.file)))).toBe(true);
    },
  );

  it('the worked example in docs/filecrypt-format.md is a real file', async () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/filecrypt-format.md', import.meta.url)), 'utf8');
    const hex = [...doc.matchAll(/^[0-9a-f]{8}: ((?:[0-9a-f]{2,4} ?)+) {2}/gm)].map((m) => m[1]!.replace(/ /g, ''));
    const bytes = Buffer.from(hex.join(''), 'hex');
    expect(bytes.length).toBe(492);
    const context = testContext({
      config: { passphrase: Buffer.from('correct horse battery staple') },
      stdin: Readable.from([Buffer.from('hello, filecrypt\n')]),
      random: seededRandom('format example'),
    });
    await encCommand(undefined, encSettings({ iter: '1000' }), context);
    expect(context.output().equals(bytes)).toBe(true);
    const dir = tempDir();
    writeFileSync(join(dir, 'example.fc'), bytes);
    const dec = await runCli(['dec', join(dir, 'example.fc')], {
      env: { FILECRYPT_PASSPHRASE: 'correct horse battery staple' },
    });
    expect(dec.stdout.toString()).toBe('hello, filecrypt\n');
  });

  it('the X25519 key example in docs/filecrypt-format.md is alice.key, derived as it says', async () => {
    const { createHash } = await import('node:crypto');
    const { decodeKey, encodeKey, identityFromSecret, PUBLIC_KEY_PREFIX, SECRET_KEY_PREFIX } =
      await import('../src/crypto/x25519.js');
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/filecrypt-format.md', import.meta.url)), 'utf8');
    const field = (name: string) => new RegExp(`^${name} +([0-9a-f]+)`, 'm').exec(doc)?.[1];
    const keyFile = readFileSync(join(DIR, 'alice.key'), 'utf8');
    expect(doc).toContain('```\n' + keyFile + '```\n');
    const secret = decodeKey(SECRET_KEY_PREFIX, keyFile.split('\n')[2]!)!;
    const publicKey = identityFromSecret(secret).publicKey;
    const checksum = (prefix: string, key: Buffer) =>
      createHash('sha256').update(prefix).update(key).digest().subarray(0, 4).toString('hex');
    expect(field('secret')).toBe(secret.toString('hex'));
    expect(field('public')).toBe(publicKey.toString('hex'));
    expect([...doc.matchAll(/^checksum +([0-9a-f]{8})/gm)].map((m) => m[1])).toEqual([
      checksum(SECRET_KEY_PREFIX, secret),
      checksum(PUBLIC_KEY_PREFIX, publicKey),
    ]);
    expect(doc).toContain(`= ${encodeKey(PUBLIC_KEY_PREFIX, publicKey)}\n`);
    expect(keyFile).toContain(`# public key: ${encodeKey(PUBLIC_KEY_PREFIX, publicKey)}\n`);
  });

  it('the read-only vectors hold metadata version 1, and a changed SHA-256 in it is caught', async () => {
    // Every data segment verifies; only the stored hash disagrees: what the version 1 check alone catches.
    const { readHeader, unlockHeader } = await import('../src/engine/header.js');
    const { ByteReader } = await import('../src/io/reader.js');
    const { openSegment, sealSegment } = await import('../src/crypto/segment.js');
    const { discardSink } = await import('../src/io/sink.js');
    const { decryptPayload } = await import('../src/engine/decrypt.js');
    const bytes = readFileSync(join(DIR, 'pbkdf2-file.fc'));
    const parsed = await readHeader(new ByteReader(Readable.from([bytes])));
    const keys = await unlockHeader(parsed, { passphrase: () => Promise.resolve(Buffer.from('vector passphrase')) });
    const start = bytes.length - FINAL_SEGMENT;
    const index = 4;
    const { payloadKey } = keys;
    const prefix = parsed.header.noncePrefix;
    const metadata = openSegment(payloadKey, prefix, index, true, bytes.subarray(start))!;
    expect(metadata[0]).toBe(1);
    metadata[24] = metadata[24]! ^ 1;
    const forged = Buffer.concat([bytes.subarray(0, start), ...sealSegment(payloadKey, prefix, index, true, metadata)]);
    const reader = new ByteReader(Readable.from([forged]));
    const again = await readHeader(reader);
    await expect(decryptPayload(reader, again.header, keys, discardSink())).rejects.toThrow(
      'plaintext SHA-256 does not match the encrypted metadata',
    );
  });

  it('the writer makes metadata version 2', async () => {
    const vector = committed.find((v) => v.file === 'pbkdf2-file-v2.fc')!;
    const bytes = await encryptVector(vector);
    expect(bytes.equals(readFileSync(join(DIR, vector.file)))).toBe(true);
    const { readHeader, unlockHeader } = await import('../src/engine/header.js');
    const { ByteReader } = await import('../src/io/reader.js');
    const { openSegment } = await import('../src/crypto/segment.js');
    const parsed = await readHeader(new ByteReader(Readable.from([bytes])));
    const keys = await unlockHeader(parsed, { passphrase: () => Promise.resolve(Buffer.from('vector passphrase')) });
    const metadata = openSegment(keys.payloadKey, parsed.header.noncePrefix, 4, true, bytes.subarray(-FINAL_SEGMENT))!;
    expect(metadata[0]).toBe(2);
    expect(metadata.subarray(24, 56).equals(Buffer.alloc(32))).toBe(true);
  });

  it('the file vector carries its name, mode and mtime', async () => {
    const vector = committed.find((v) => v.name)!;
    const result = await runCli(['inspect', join(DIR, vector.file)], {
      env: { FILECRYPT_PASSPHRASE: vector.passphrase! },
    });
    expect(result.stdout.toString()).toContain(
      `name: hello.txt\nsize: ${vector.size}\nmtime: ${MTIME.toISOString()}\nmode: 0640\nsha256: ${vector.sha256}\n`,
    );
  });
});
