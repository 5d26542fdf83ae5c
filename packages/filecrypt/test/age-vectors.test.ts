import { createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import * as cctv from 'cctv-age';
import { describe, expect, it } from 'vitest';
import { decodeArmor, armorSink } from '../src/age/armor.js';
import { decryptAge } from '../src/age/decrypt.js';
import { encodeParsedHeader, readHeader } from '../src/age/header.js';
import { parseIdentities } from '../src/age/keys.js';
import { scryptIdentity } from '../src/age/scrypt.js';
import { encryptStream } from '../src/age/stream.js';
import type { AgeIdentity } from '../src/age/types.js';
import { exitCodeFor } from '../src/exit-codes.js';
import { ByteReader } from '../src/io/reader.js';
import { BatchWriter, type Sink } from '../src/io/sink.js';

/**
 * Every C2SP CCTV age vector (the npm package cctv-age), one test each,
 * through decryptAge with a collecting sink: the outcome each one names,
 * mapped onto filecrypt's error codes and exit codes, and the SHA-256 of
 * whatever plaintext was released (also before a payload failure).
 */
type Expect = 'success' | 'no match' | 'HMAC failure' | 'header failure' | 'armor failure' | 'payload failure';

interface Vector {
  name: string;
  expect: Expect;
  payload: string;
  identities: string[];
  passphrases: string[];
  armored: boolean;
  fileKey: string | undefined;
  file: Buffer;
}

function parseVector(name: string, bytes: Uint8Array): Vector {
  const all = Buffer.from(bytes);
  const split = all.indexOf('\n\n');
  const fields = all
    .subarray(0, split)
    .toString('utf8')
    .split('\n')
    .map((line) => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)] as const);
  const all_ = (key: string) => fields.filter(([k]) => k === key).map(([, v]) => v);
  const one = (key: string) => all_(key)[0];
  const body = all.subarray(split + 2);
  return {
    name,
    expect: one('expect') as Expect,
    payload: one('payload') ?? '',
    identities: all_('identity'),
    passphrases: all_('passphrase'),
    armored: one('armored') === 'yes',
    fileKey: one('file key'),
    file: one('compressed') === 'zlib' ? inflateSync(body) : Buffer.from(body),
  };
}

const vectors = Object.entries(cctv as unknown as Record<string, Uint8Array>)
  .filter(([, value]) => value instanceof Uint8Array)
  .map(([name, bytes]) => parseVector(name, bytes))
  .sort((a, b) => a.name.localeCompare(b.name));

/** Header failures that are a header cut short: "truncated", exit 4, like the native format's. */
const TRUNCATED_HEADER = new Set(['empty', 'armor_empty', 'stream_no_nonce', 'stream_short_nonce']);
/** A work factor over the limit (22) is refused like the native KDF limit, exit 5. */
const OVER_WORK_FACTOR = new Set(['scrypt_work_factor_23']);
/** No match where a passphrase was tried on the file's scrypt stanza: filecrypt's "wrong passphrase or key". */
const WRONG_PASSPHRASE = new Set(['scrypt_bad_tag', 'scrypt_no_match', 'scrypt_work_factor_wrong']);
/** Payload failures by kind: a chunk that does not authenticate, a missing final chunk, data after it. */
const PAYLOAD_CODES: Record<string, string> = {
  armor_garbage_encoded: 'TRAILING_DATA',
  stream_bad_tag: 'CORRUPT_SEGMENT',
  stream_bad_tag_second_chunk: 'CORRUPT_SEGMENT',
  stream_bad_tag_second_chunk_full: 'CORRUPT_SEGMENT',
  stream_last_chunk_empty: 'CORRUPT_SEGMENT',
  stream_missing_tag: 'CORRUPT_SEGMENT',
  stream_no_chunks: 'TRUNCATED',
  stream_no_final: 'CORRUPT_SEGMENT',
  stream_no_final_full: 'TRUNCATED',
  stream_no_final_two_chunks: 'CORRUPT_SEGMENT',
  stream_no_final_two_chunks_full: 'TRUNCATED',
  stream_short_chunk: 'CORRUPT_SEGMENT',
  stream_short_second_chunk: 'CORRUPT_SEGMENT',
  stream_trailing_garbage_long: 'TRAILING_DATA',
  stream_trailing_garbage_short: 'TRAILING_DATA',
  stream_two_final_chunks: 'TRAILING_DATA',
  stream_two_final_chunks_full: 'TRAILING_DATA',
  stream_two_final_chunks_second: 'TRAILING_DATA',
  stream_two_final_chunks_short: 'CORRUPT_SEGMENT',
};

function collectingSink(): Sink & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    write(parts) {
      for (const part of parts) chunks.push(Buffer.from(part));
      return Promise.resolve();
    },
    end: () => Promise.resolve(),
    bytes: () => Buffer.concat(chunks),
  };
}

async function* once(bytes: Buffer): AsyncGenerator<Buffer> {
  yield await Promise.resolve(bytes);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function identitiesOf(vector: Vector): Promise<AgeIdentity[]> {
  const keys = vector.identities.length > 0 ? await parseIdentities(vector.identities.join('\n'), vector.name) : [];
  return [...keys, ...vector.passphrases.map((p) => scryptIdentity(() => Promise.resolve(Buffer.from(p))))];
}

async function run(vector: Vector) {
  const sink = collectingSink();
  const reader = new ByteReader(once(vector.file));
  try {
    const result = await decryptAge(reader, sink, await identitiesOf(vector), { armored: vector.armored });
    return { error: undefined, released: sink.bytes(), result };
  } catch (error) {
    return { error: error as Error & { code?: string }, released: sink.bytes(), result: undefined };
  }
}

/** The binary age file (armor removed) of a vector whose armor is valid. */
async function binaryOf(vector: Vector): Promise<Buffer> {
  if (!vector.armored) return vector.file;
  const parts: Buffer[] = [];
  for await (const part of decodeArmor(once(vector.file))) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

describe('CCTV age vectors', () => {
  it('has them all', () => {
    expect(vectors.length).toBeGreaterThanOrEqual(140);
  });

  it.each(vectors.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const { error, released, result } = await run(vector);
    const outcome = error ? { code: error.code, exit: exitCodeFor(error), message: error.message } : 'success';
    switch (vector.expect) {
      case 'success':
        expect(outcome).toBe('success');
        expect(sha256(released)).toBe(vector.payload);
        expect(result?.plaintextBytes).toBe(released.length);
        return;
      case 'no match':
        expect(outcome).toEqual({
          code: 'WRONG_KEY',
          exit: 3,
          message: WRONG_PASSPHRASE.has(vector.name)
            ? 'wrong passphrase or key'
            : 'no identity matched any of the recipients',
        });
        expect(released.length).toBe(0);
        return;
      case 'HMAC failure':
        expect(outcome).toEqual({ code: 'HEADER_CORRUPT', exit: 4, message: 'header is corrupted' });
        expect(released.length).toBe(0);
        return;
      case 'header failure':
        if (TRUNCATED_HEADER.has(vector.name)) {
          expect(outcome).toEqual({ code: 'TRUNCATED', exit: 4, message: 'truncated (the age header is incomplete)' });
        } else if (OVER_WORK_FACTOR.has(vector.name)) {
          expect(outcome).toEqual({
            code: 'KDF_LIMIT',
            exit: 5,
            message: 'refusing to decrypt: scrypt work factor 23 is over the limit 22; --max-work-factor 23 accepts it',
          });
        } else {
          expect(outcome).toMatchObject({ code: 'AGE_HEADER', exit: 5 });
          expect(error?.message).toMatch(/^not a valid age header: [^\n]+$/);
        }
        expect(released.length).toBe(0);
        return;
      case 'armor failure':
        expect(outcome).toMatchObject({ code: 'AGE_ARMOR', exit: 5 });
        expect(error?.message).toMatch(/^not a valid age armor: [^\n]+$/);
        return;
      case 'payload failure':
        expect(outcome).toMatchObject({ code: PAYLOAD_CODES[vector.name], exit: 4 });
        expect(sha256(released)).toBe(vector.payload);
        return;
    }
  });
});

describe('CCTV age vectors: encoders', () => {
  const parsed = vectors.filter((v) => !['header failure', 'armor failure'].includes(v.expect));

  it.each(parsed.map((vector) => [vector.name, vector] as const))('header round trip: %s', async (_name, vector) => {
    const binary = await binaryOf(vector);
    const reader = new ByteReader(once(binary));
    const encoded = encodeParsedHeader(await readHeader(reader));
    expect(encoded.toString('latin1')).toBe(binary.subarray(0, encoded.length).toString('latin1'));
    // What follows the header is the payload's nonce (a header ends with its MAC line and nothing else).
    expect(binary.length - encoded.length).toBeGreaterThanOrEqual(16);
  });

  const armored = vectors.filter((v) => v.armored && v.expect !== 'armor failure');
  it.each(armored.map((vector) => [vector.name, vector] as const))('armor round trip: %s', async (_name, vector) => {
    const sink = collectingSink();
    const writer = armorSink(sink);
    await writer.write([await binaryOf(vector)]);
    await writer.end();
    const canonical = `${vector.file.toString('latin1').trim().replaceAll('\r\n', '\n')}\n`;
    expect(sink.bytes().toString('latin1')).toBe(canonical);
  });

  const successes = vectors.filter((v) => v.expect === 'success' && v.fileKey);
  it.each(successes.map((vector) => [vector.name, vector] as const))('STREAM round trip: %s', async (_name, vector) => {
    const binary = await binaryOf(vector);
    const payload = binary.subarray(encodeParsedHeader(await readHeader(new ByteReader(once(binary)))).length);
    const { released } = await run(vector);
    const sink = collectingSink();
    const out = new BatchWriter(sink);
    const fileKey = Buffer.from(vector.fileKey!, 'hex');
    await encryptStream(new ByteReader(once(released)), out, fileKey, payload.subarray(0, 16));
    await out.end();
    expect(sink.bytes().equals(payload)).toBe(true);
  });
});
