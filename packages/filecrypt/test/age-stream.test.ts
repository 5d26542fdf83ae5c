import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AGE_FULL_CHUNK_BYTES, chunkNonce, openChunk, sealChunk } from '../src/age/chunk.js';
import { decryptAge, inspectAge } from '../src/age/decrypt.js';
import { encryptAge } from '../src/age/encrypt.js';
import { encodeHeader } from '../src/age/header.js';
import { x25519Identity, x25519Recipient } from '../src/age/x25519.js';
import { payloadKey, plaintextSizeOf } from '../src/age/stream.js';
import { identityFromSecret } from '../src/crypto/x25519.js';
import { ByteReader } from '../src/io/reader.js';
import { collectingSink, counterRandom, failure, once } from './age-test-helpers.js';

const SECRET = Buffer.alloc(32, 9);
const identity = x25519Identity(SECRET);
const recipient = x25519Recipient(identityFromSecret(SECRET).publicKey, counterRandom(5));
const CHUNK = 65536;
const pattern = (size: number) => Buffer.from(Array.from({ length: size }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function encrypt(plaintext: Buffer, random = counterRandom(11)) {
  const sink = collectingSink();
  const result = await encryptAge(once(plaintext), sink, { recipients: [recipient], armor: false, random });
  expect(sink.ended()).toBe(true);
  return { file: sink.bytes(), ...result };
}

async function decrypt(file: Buffer) {
  const sink = collectingSink();
  try {
    const result = await decryptAge(new ByteReader(once(file)), sink, [identity]);
    return { result, released: sink.bytes(), error: undefined, ended: sink.ended() };
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { result: undefined, released: sink.bytes(), error: { code, message }, ended: sink.ended() };
  }
}

/** A hand-built file: header, nonce and these chunks (index, final flag, plaintext), sealed under the file key. */
function build(chunks: [number, boolean, Buffer][]) {
  const fileKey = Buffer.alloc(16, 3);
  const nonce = Buffer.alloc(16, 4);
  const header = encodeHeader(recipient.wrap(fileKey), fileKey);
  const key = payloadKey(fileKey, nonce);
  return Buffer.concat([header, nonce, ...chunks.flatMap(([i, final, p]) => sealChunk(key, i, final, p))]);
}

describe('age STREAM round trips', () => {
  it.each([
    [0, 1],
    [1, 1],
    [65535, 1],
    [65536, 1],
    [65537, 2],
    [131072, 2],
  ])('%i bytes make %i chunk(s) and decrypt to the same bytes', async (size, chunks) => {
    const plaintext = pattern(size);
    const { file, plaintextBytes } = await encrypt(plaintext);
    expect(plaintextBytes).toBe(size);
    const headerBytes = encodeHeader(recipient.wrap(Buffer.alloc(16)), Buffer.alloc(16)).length;
    expect(file.length).toBe(headerBytes + 16 + size + 16 * chunks);
    const { result, released, error, ended } = await decrypt(file);
    expect(error).toBeUndefined();
    expect(result?.plaintextBytes).toBe(size);
    expect(sha(released)).toBe(sha(plaintext));
    expect(ended).toBe(true);
    const inspected = await inspectAge(new ByteReader(once(file)));
    expect(inspected).toEqual({
      armored: false,
      stanzaTypes: ['X25519'],
      payloadBytes: 16 + size + 16 * chunks,
      plaintextBytes: size,
    });
  });

  it('flags only the last chunk final, an exact multiple of 64 KiB included', async () => {
    const plaintext = pattern(2 * CHUNK);
    const file = build([
      [0, false, plaintext.subarray(0, CHUNK)],
      [1, true, plaintext.subarray(CHUNK)],
    ]);
    const { released, error } = await decrypt(file);
    expect(error).toBeUndefined();
    expect(released.equals(plaintext)).toBe(true);
  });
});

describe('age STREAM damage', () => {
  const two = pattern(CHUNK + 100);

  it('releases the verified first chunk, then reports the damaged second one (exit 4)', async () => {
    const { file } = await encrypt(two);
    file[file.length - 50]! ^= 1;
    const { released, error, ended } = await decrypt(file);
    expect(error).toEqual({ code: 'CORRUPT_SEGMENT', message: 'corrupted at chunk 1' });
    expect(released.equals(two.subarray(0, CHUNK))).toBe(true);
    expect(ended).toBe(false);
  });

  it('refuses a file cut after a full middle chunk: truncated, the chunk released', async () => {
    const { file } = await encrypt(two);
    const { released, error } = await decrypt(file.subarray(0, file.length - 116));
    expect(error).toEqual({ code: 'TRUNCATED', message: 'truncated (no final chunk)' });
    expect(released.equals(two.subarray(0, CHUNK))).toBe(true);
  });

  it('refuses bytes after the final chunk, the final chunk released', async () => {
    const { file } = await encrypt(pattern(CHUNK));
    const { released, error } = await decrypt(Buffer.concat([file, Buffer.from('x')]));
    expect(error).toEqual({ code: 'TRAILING_DATA', message: 'unexpected data after the final chunk' });
    expect(released.equals(pattern(CHUNK))).toBe(true);
  });

  it('refuses an empty final chunk after a full one', async () => {
    const file = build([
      [0, false, pattern(CHUNK)],
      [1, true, Buffer.alloc(0)],
    ]);
    const { released, error } = await decrypt(file);
    expect(error).toEqual({ code: 'CORRUPT_SEGMENT', message: 'corrupted at chunk 1 (an empty final chunk)' });
    expect(released.equals(pattern(CHUNK))).toBe(true);
  });

  it('refuses a final chunk that is not last, and a last chunk not flagged final', async () => {
    const early = build([
      [0, true, pattern(CHUNK)],
      [1, true, pattern(10)],
    ]);
    expect((await decrypt(early)).error?.code).toBe('TRAILING_DATA');
    const unflagged = build([[0, false, pattern(10)]]);
    expect((await decrypt(unflagged)).error).toEqual({ code: 'CORRUPT_SEGMENT', message: 'corrupted at chunk 0' });
  });

  it('refuses a payload without its nonce as a truncated header', async () => {
    const { file } = await encrypt(Buffer.alloc(0));
    const { error } = await decrypt(file.subarray(0, file.length - 16 - 10));
    expect(error).toEqual({ code: 'TRUNCATED', message: 'truncated (the age header is incomplete)' });
  });

  it('reports a wrong identity as no match (exit 3) before reading the payload', async () => {
    const { file } = await encrypt(two);
    const sink = collectingSink();
    const other = x25519Identity(Buffer.alloc(32, 10));
    expect(await failure(decryptAge(new ByteReader(once(file)), sink, [other]))).toEqual({
      code: 'WRONG_KEY',
      message: 'no identity matched any of the recipients',
    });
  });

  it('reports a changed header as header is corrupted (exit 4)', async () => {
    const { file } = await encrypt(two);
    // The MAC line's last base64 character, still canonical: 'A' and 'E' differ in a kept bit.
    const at = file.indexOf('\n', file.indexOf('--- ')) - 1;
    const changed = Buffer.from(file);
    changed[at] = changed[at] === 0x41 ? 0x45 : 0x41;
    expect((await decrypt(changed)).error).toEqual({ code: 'HEADER_CORRUPT', message: 'header is corrupted' });
  });
});

describe('age STREAM chunks', () => {
  it('uses an 11-byte big-endian counter and a final flag as the nonce', () => {
    expect(chunkNonce(0, false).toString('hex')).toBe('000000000000000000000000');
    expect(chunkNonce(1, true).toString('hex')).toBe('000000000000000000000101');
    expect(chunkNonce(2 ** 32 + 2, false).toString('hex')).toBe('000000000000010000000200');
  });

  it('opens only with the same index and flag', () => {
    const key = Buffer.alloc(32, 1);
    const sealed = Buffer.concat(sealChunk(key, 3, false, Buffer.from('hi')));
    expect(sealed.length).toBe(18);
    expect(openChunk(key, 3, false, sealed)?.toString()).toBe('hi');
    expect(openChunk(key, 3, true, sealed)).toBeUndefined();
    expect(openChunk(key, 4, false, sealed)).toBeUndefined();
    expect(openChunk(key, 3, false, sealed.subarray(0, 15))).toBeUndefined();
  });

  it('knows the plaintext size of every valid payload length and no other', () => {
    expect(plaintextSizeOf(16 + 16)).toBe(0);
    expect(plaintextSizeOf(16 + 17)).toBe(1);
    expect(plaintextSizeOf(16 + AGE_FULL_CHUNK_BYTES)).toBe(CHUNK);
    expect(plaintextSizeOf(16 + AGE_FULL_CHUNK_BYTES + 17)).toBe(CHUNK + 1);
    expect(plaintextSizeOf(16 + AGE_FULL_CHUNK_BYTES + 16)).toBeUndefined();
    expect(plaintextSizeOf(16 + AGE_FULL_CHUNK_BYTES + 15)).toBeUndefined();
    expect(plaintextSizeOf(16)).toBeUndefined();
    expect(plaintextSizeOf(15)).toBeUndefined();
  });
});
