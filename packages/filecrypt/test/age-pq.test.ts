import { inflateSync } from 'node:zlib';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { base64nopad, bech32 } from '@scure/base';
import {
  armor,
  Decrypter,
  Encrypter,
  generateHybridIdentity,
  identityToRecipient,
  Stanza,
  type Identity,
} from 'age-encryption';
import * as cctv from 'cctv-age';
import { describe, expect, it } from 'vitest';
import { decryptAge } from '../src/age/decrypt.js';
import { encryptAge } from '../src/age/encrypt.js';
import { parseIdentities, parseRecipient } from '../src/age/keys.js';
import {
  generatePqIdentity,
  parsePqIdentity,
  parsePqRecipient,
  pqRecipientOf,
  PQ_ENC_BYTES,
  PQ_PUBLIC_KEY_BYTES,
  PQ_SEED_BYTES,
} from '../src/age/mlkem768x25519.js';
import type { AgeIdentity, AgeRecipient, AgeStanza } from '../src/age/types.js';
import { ByteReader } from '../src/io/reader.js';
import type { Sink } from '../src/io/sink.js';
import { seededBytes, seededRandom, sha256 } from './helpers.js';

/**
 * age's mlkem768x25519 recipient type: keys, the stanza's round trip and
 * every rule of the spec for a malformed stanza, interop with typage (the
 * reference TypeScript age, on an older @noble/post-quantum) in both
 * directions, and the CCTV hybrid vectors run against this module's identity.
 */

/** The spec's example identity and the SHA-256 of its 1,959-character recipient (c2sp.org/age). */
const SPEC_IDENTITY = 'AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR';
const SPEC_RECIPIENT_SHA256 = 'a091dd7e0ee9d62b75173dcc98441a0424baa941e66a8776e570a4ae60ff61ea';
const FILE_KEY = Buffer.from('59454c4c4f57205355424d4152494e45', 'hex');

const fixed = generatePqIdentity(seededRandom('age-pq'));
const other = generatePqIdentity(seededRandom('age-pq-other'));

function recipient(text: string): AgeRecipient {
  const parsed = parsePqRecipient(text);
  if (!parsed) throw new Error(`not a PQ recipient: ${text.slice(0, 20)}…`);
  return parsed;
}

function identity(text: string): AgeIdentity {
  const parsed = parsePqIdentity(text);
  if (!parsed) throw new Error('not a PQ identity');
  return parsed;
}

function wrapOne(to = fixed.recipient, fileKey = FILE_KEY): AgeStanza {
  const [stanza, ...rest] = recipient(to).wrap(fileKey);
  if (!stanza || rest.length > 0) throw new Error('expected exactly one stanza');
  return stanza;
}

/** A stanza whose enc has its X25519 half (the last 32 bytes) replaced. */
function withShare(stanza: AgeStanza, share: Buffer): AgeStanza {
  const enc = Buffer.from(base64nopad.decode(stanza.args[0] ?? ''));
  share.copy(enc, enc.length - 32);
  return { ...stanza, args: [base64nopad.encode(enc)] };
}

function littleEndian(value: bigint): Buffer {
  return Buffer.from(value.toString(16).padStart(64, '0'), 'hex').reverse();
}

describe('mlkem768x25519 keys', () => {
  it("derives the spec's example recipient, as typage does", async () => {
    const ours = pqRecipientOf(SPEC_IDENTITY);
    expect(ours?.slice(0, 16)).toBe('age1pq1x34nzsvr0');
    expect(ours).toHaveLength(1959);
    expect(sha256(Buffer.from(ours ?? ''))).toBe(SPEC_RECIPIENT_SHA256);
    expect(await identityToRecipient(SPEC_IDENTITY)).toBe(ours);
  });

  it('generates the bech32 of the random seed and its recipient', () => {
    const seed = seededRandom('age-pq')(PQ_SEED_BYTES);
    const { prefix, words } = bech32.decode(fixed.identity as `${string}1${string}`);
    expect(prefix).toBe('age-secret-key-pq-');
    expect(Buffer.from(bech32.fromWords(words))).toEqual(seed);
    expect(fixed.identity).toMatch(/^AGE-SECRET-KEY-PQ-1[02-9AC-HJ-NP-Z]{58}$/);
    expect(fixed.recipient).toMatch(/^age1pq1[02-9ac-hj-np-z]{1952}$/);
    expect(pqRecipientOf(fixed.identity)).toBe(fixed.recipient);
    const fresh = generatePqIdentity();
    expect(fresh.identity).not.toBe(fixed.identity);
    expect(pqRecipientOf(fresh.identity)).toBe(fresh.recipient);
  });

  it('uses the sizes of the spec, which are those of the library', () => {
    expect([PQ_PUBLIC_KEY_BYTES, PQ_ENC_BYTES, PQ_SEED_BYTES]).toEqual([1216, 1120, 32]);
    expect(ml_kem768_x25519.lengths).toMatchObject({ publicKey: 1216, cipherText: 1120, seed: 32 });
  });

  const words = (bytes: Uint8Array) => bech32.toWords(bytes);
  const publicKey = Buffer.from(ml_kem768_x25519.getPublicKey(seededRandom('age-pq')(32)));
  const badModulus = Buffer.from(publicKey);
  badModulus[0] = 0xff;
  badModulus[1] = 0x0f; // the first 12-bit coefficient becomes 4095, not below q = 3329
  const lowOrder = Buffer.concat([publicKey.subarray(0, 1184), Buffer.alloc(32)]);
  it.each([
    ['empty', ''],
    ['uppercase', fixed.recipient.toUpperCase()],
    ['an X25519 recipient', 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj'],
    ['one byte short', bech32.encode('age1pq', words(publicKey.subarray(1)), false)],
    ['one byte long', bech32.encode('age1pq', words(Buffer.concat([publicKey, Buffer.alloc(1)])), false)],
    ['another HRP', bech32.encode('age1pqx', words(publicKey), false)],
    ['a longer HRP with the right start', bech32.encode('age1pq1q', words(publicKey), false)],
    ['a bad checksum', fixed.recipient.slice(0, -1) + (fixed.recipient.endsWith('q') ? 'p' : 'q')],
    ['an ML-KEM key out of range', bech32.encode('age1pq', words(badModulus), false)],
    ['a low-order X25519 key', bech32.encode('age1pq', words(lowOrder), false)],
    ['an identity', fixed.identity],
  ])('refuses a recipient that is %s', (_, text) => {
    expect(parsePqRecipient(text)).toBeUndefined();
  });

  const seed = seededRandom('age-pq')(32);
  it.each([
    ['lowercase', fixed.identity.toLowerCase()],
    ['an X25519 identity', 'AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX'],
    ['31 bytes', bech32.encode('AGE-SECRET-KEY-PQ-', words(seed.subarray(1)), false).toUpperCase()],
    ['33 bytes', bech32.encode('AGE-SECRET-KEY-PQ-', words(Buffer.concat([seed, seed.subarray(0, 1)]))).toUpperCase()],
    ['a longer HRP with the right start', bech32.encode('AGE-SECRET-KEY-PQ-1Q', words(seed), false).toUpperCase()],
    ['a bad checksum', fixed.identity.slice(0, -1) + (fixed.identity.endsWith('Q') ? 'P' : 'Q')],
    ['a recipient', fixed.recipient],
  ])('refuses an identity that is %s', (_, text) => {
    expect(parsePqIdentity(text)).toBeUndefined();
    expect(pqRecipientOf(text)).toBeUndefined();
  });
});

describe('mlkem768x25519 stanza', () => {
  it('wraps into one stanza of one 1120-byte argument and a 32-byte body, which its identity opens', async () => {
    const stanza = wrapOne();
    expect(stanza.type).toBe('mlkem768x25519');
    expect(stanza.args).toHaveLength(1);
    expect(base64nopad.decode(stanza.args[0] ?? '')).toHaveLength(1120);
    expect(stanza.body).toHaveLength(32);
    expect(await identity(fixed.identity).unwrap([stanza])).toEqual(FILE_KEY);
  });

  it('encapsulates afresh for every wrap of one parsed recipient, each opening to its own file key', async () => {
    // A repeated enc would mean one HPKE key and nonce sealing two file keys.
    const once = recipient(fixed.recipient);
    const keys = [FILE_KEY, Buffer.alloc(16, 1), Buffer.alloc(16, 2)];
    const stanzas = keys.flatMap((key) => once.wrap(key));
    expect(new Set(stanzas.map((s) => s.args[0])).size).toBe(3);
    const mine = identity(fixed.identity);
    for (const [i, stanza] of stanzas.entries()) expect(await mine.unwrap([stanza])).toEqual(keys[i]);
  });

  it('skips stanzas of other types, uppercase included, and finds its own among other recipients', async () => {
    const stanzas: AgeStanza[] = [
      { type: 'X25519', args: ['ajtqAvDEkVNr2B7zUOtq2mAQXDSBlNrVAuM/dKb5sT4'], body: Buffer.alloc(32) },
      { type: 'MLKEM768X25519', args: wrapOne().args, body: Buffer.alloc(5) },
      { type: 'grease', args: [], body: Buffer.alloc(0) },
      wrapOne(other.recipient),
      wrapOne(),
    ];
    expect(await identity(fixed.identity).unwrap(stanzas)).toEqual(FILE_KEY);
    expect(await identity(other.identity).unwrap(stanzas)).toEqual(FILE_KEY);
  });

  it('returns undefined for a stanza to another key, a wrong tag or no stanza of its type', async () => {
    const mine = identity(fixed.identity);
    expect(await mine.unwrap([wrapOne(other.recipient)])).toBeUndefined();
    const stanza = wrapOne();
    const body = Buffer.from(stanza.body);
    body[31] = (body[31] ?? 0) ^ 1;
    expect(await mine.unwrap([{ ...stanza, body }])).toBeUndefined();
    expect(await mine.unwrap([])).toBeUndefined();
  });

  const stanza = wrapOne();
  const enc = stanza.args[0] ?? '';
  // 1120 bytes leave 4 zero bits in the last base64 character; setting one is non-canonical.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const nonCanonical = enc.slice(0, -1) + alphabet[alphabet.indexOf(enc.slice(-1)) + 1];
  const P = 2n ** 255n - 19n;
  const grease: AgeStanza = { type: 'grease', args: ['x'], body: Buffer.alloc(0) };
  const ARGS = 'a mlkem768x25519 stanza takes 1 argument';
  const ENC = 'mlkem768x25519 enc is not 1120 bytes of canonical base64';
  const BODY = 'a mlkem768x25519 stanza body must be 32 bytes';
  const LOW = 'the X25519 share in the mlkem768x25519 enc is a low-order point';
  it.each([
    ['no argument', { ...stanza, args: [] }, ARGS],
    ['two arguments', { ...stanza, args: [enc, 'x'] }, ARGS],
    ['an enc in non-canonical base64', { ...stanza, args: [nonCanonical] }, ENC],
    ['an enc with padding', { ...stanza, args: [`${enc}==`] }, ENC],
    ['an enc that is not base64', { ...stanza, args: [`${enc.slice(0, -4)}!!!!`] }, ENC],
    ['an enc of 1119 bytes', { ...stanza, args: [base64nopad.encode(base64nopad.decode(enc).subarray(1))] }, ENC],
    [
      'an enc of 1121 bytes',
      { ...stanza, args: [base64nopad.encode(Buffer.concat([base64nopad.decode(enc), Buffer.alloc(1)]))] },
      ENC,
    ],
    ['an empty body', { ...stanza, body: Buffer.alloc(0) }, BODY],
    ['a 31-byte body', { ...stanza, body: stanza.body.subarray(1) }, BODY],
    ['a 48-byte body (a 32-byte file key)', { ...stanza, body: Buffer.concat([stanza.body, Buffer.alloc(16)]) }, BODY],
    ['an X25519 share of 0 (order 2)', withShare(stanza, littleEndian(0n)), LOW],
    ['an X25519 share of 1 (order 1)', withShare(stanza, littleEndian(1n)), LOW],
    ['an X25519 share of p - 1 (order 4)', withShare(stanza, littleEndian(P - 1n)), LOW],
    [
      'an X25519 share of order 8',
      withShare(stanza, littleEndian(325606250916557431795983626356110631294008115727848805560023387167927233504n)),
      LOW,
    ],
    [
      'the other X25519 share of order 8',
      withShare(stanza, littleEndian(39382357235489614581723060781553021112529911719440698176882885853963445705823n)),
      LOW,
    ],
    ['an X25519 share of p, a non-canonical 0', withShare(stanza, littleEndian(P)), LOW],
    ['an X25519 share of p + 1, a non-canonical 1', withShare(stanza, littleEndian(P + 1n)), LOW],
  ])('makes the header invalid for a stanza with %s', async (_, bad: AgeStanza, rule: string) => {
    const mine = identity(fixed.identity);
    const error = (n: number) => ({ code: 'AGE_HEADER', message: `not a valid age header: stanza ${n}: ${rule}` });
    await expect(mine.unwrap([bad])).rejects.toMatchObject(error(1));
    // Also when a stanza for this identity comes after it: age stops at the first error, in header order.
    await expect(mine.unwrap([grease, bad, stanza])).rejects.toMatchObject(error(2));
  });

  it('returns the file key from a stanza before a malformed one, as age stops at the first match', async () => {
    const bad = { ...stanza, args: [] };
    expect(await identity(fixed.identity).unwrap([stanza, bad])).toEqual(FILE_KEY);
  });
});

/** typage's identity interface, backed by ours. */
function asTypageIdentity(ours: AgeIdentity, log: string[] = []): Identity {
  return {
    async unwrapFileKey(stanzas: Stanza[]) {
      try {
        const fileKey = await ours.unwrap(
          stanzas.map(({ args: [type = '', ...args], body }) => ({ type, args, body: Buffer.from(body) })),
        );
        log.push(fileKey ? `key ${Buffer.from(fileKey).toString('hex')}` : 'no match');
        return fileKey ?? null;
      } catch (error) {
        log.push(`threw ${(error as { code?: string }).code}`);
        throw error;
      }
    },
  };
}

describe('mlkem768x25519 interop with typage', () => {
  it('opens what typage encrypts to our recipient, and typage accepts our keys', async () => {
    const encrypter = new Encrypter();
    encrypter.addRecipient(fixed.recipient);
    const file = await encrypter.encrypt('to filecrypt');
    const decrypter = new Decrypter();
    const log: string[] = [];
    decrypter.addIdentity(asTypageIdentity(identity(fixed.identity), log));
    expect(await decrypter.decrypt(file, 'text')).toBe('to filecrypt');
    expect(log).toHaveLength(1);
    expect(await identityToRecipient(fixed.identity)).toBe(fixed.recipient);
  });

  it('wraps so that typage decrypts, with a key typage generated', async () => {
    const theirs = await generateHybridIdentity();
    const theirRecipient = await identityToRecipient(theirs);
    expect(pqRecipientOf(theirs)).toBe(theirRecipient);
    const ours = recipient(theirRecipient);
    const encrypter = new Encrypter();
    encrypter.addRecipient({
      wrapFileKey: (fileKey: Uint8Array) =>
        ours.wrap(Buffer.from(fileKey)).map((s) => new Stanza([s.type, ...s.args], s.body)),
    });
    const file = await encrypter.encrypt('to typage');
    const decrypter = new Decrypter();
    decrypter.addIdentity(theirs);
    expect(await decrypter.decrypt(file, 'text')).toBe('to typage');
    // And our identity for typage's key opens the same file.
    const again = new Decrypter();
    again.addIdentity(asTypageIdentity(identity(theirs)));
    expect(await again.decrypt(file, 'text')).toBe('to typage');
  });
});

function collectingSink(): Sink & { bytes(): Buffer } {
  const parts: Buffer[] = [];
  return {
    write(chunks) {
      for (const chunk of chunks) parts.push(Buffer.from(chunk));
      return Promise.resolve();
    },
    end: () => Promise.resolve(),
    bytes: () => Buffer.concat(parts),
  };
}

async function* chunksOf(bytes: Uint8Array): AsyncGenerator<Buffer> {
  yield await Promise.resolve(Buffer.from(bytes));
}

/** Through filecrypt's age library and its keys module, which loads this module on demand. */
async function ourDecrypt(file: Uint8Array, identityText: string): Promise<Buffer> {
  const sink = collectingSink();
  await decryptAge(new ByteReader(chunksOf(file)), sink, await parseIdentities(`${identityText}\n`, 'test'));
  return sink.bytes();
}

async function ourEncrypt(plaintext: Buffer, recipientText: string, armor: boolean): Promise<Buffer> {
  const sink = collectingSink();
  const recipients = [await parseRecipient(recipientText, 'test')];
  await encryptAge(chunksOf(plaintext), sink, { recipients, armor });
  return sink.bytes();
}

describe('mlkem768x25519 whole files with typage', () => {
  // Three full 64 KiB chunks and a short one; and the empty file (one empty final chunk).
  const plaintexts = [seededBytes('age-pq-file', 3 * 65536 + 1000), Buffer.alloc(0)];

  it.each(plaintexts.map((p) => [p.length, p]))('decryptAge opens what typage encrypts (%i bytes)', async (_, p) => {
    const encrypter = new Encrypter();
    encrypter.addRecipient(fixed.recipient);
    const file = await encrypter.encrypt(p);
    expect(sha256(await ourDecrypt(file, fixed.identity))).toBe(sha256(p));
    await expect(ourDecrypt(file, other.identity)).rejects.toMatchObject({
      code: 'WRONG_KEY',
      message: 'no identity matched any of the recipients',
    });
  });

  it.each([
    ['binary', false],
    ['armored', true],
  ])('typage decrypts what encryptAge writes (%s)', async (_, armored) => {
    const theirs = await generateHybridIdentity();
    const decrypter = new Decrypter();
    decrypter.addIdentity(theirs);
    for (const p of plaintexts) {
      const file = await ourEncrypt(p, await identityToRecipient(theirs), armored);
      expect(file.subarray(0, 20).toString()).toBe(armored ? '-----BEGIN AGE ENCRY' : 'age-encryption.org/v');
      const binary = armored ? armor.decode(file.toString()) : file;
      expect(sha256(Buffer.from(await decrypter.decrypt(binary)))).toBe(sha256(p));
    }
  });

  it('typage decrypts with an identity we generated what encryptAge wrote to its recipient', async () => {
    const decrypter = new Decrypter();
    decrypter.addIdentity(fixed.identity);
    const file = await ourEncrypt(plaintexts[0]!, fixed.recipient, false);
    expect(sha256(Buffer.from(await decrypter.decrypt(file)))).toBe(sha256(plaintexts[0]!));
  });

  it('decryptAge opens a file typage encrypted to a PQ and an X25519 recipient with the PQ identity', async () => {
    // Encrypting a mix is age's choice to refuse (the spec's SHOULD NOT); decrypting one is allowed.
    const encrypter = new Encrypter();
    encrypter.addRecipient('age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj');
    encrypter.addRecipient(fixed.recipient);
    const file = await encrypter.encrypt('mixed');
    expect((await ourDecrypt(file, fixed.identity)).toString()).toBe('mixed');
  });
});

/**
 * The CCTV hybrid vectors, parsed and MAC-checked by typage, with this
 * module's identity as the only one. What it must do with each: the file key
 * (then typage checks the MAC and the payload's SHA-256), no match, or the
 * header error. Two are decided elsewhere: a non-canonical body by the header
 * parser, an X25519 stanza with a hybrid share by the X25519 identity.
 */
type Ours = 'key' | 'no match' | 'threw AGE_HEADER' | 'not reached';
const CCTV: Record<string, [ours: Ours, expect: 'success' | 'no match' | 'header failure']> = {
  armor_hybrid: ['key', 'success'],
  hybrid: ['key', 'success'],
  hybrid_and_x25519: ['key', 'success'],
  hybrid_grease: ['key', 'success'],
  hybrid_multiple_recipients: ['key', 'success'],
  hybrid_bad_tag: ['no match', 'no match'],
  hybrid_currupted_enc_mlkem: ['no match', 'no match'],
  hybrid_currupted_enc_x25519: ['no match', 'no match'],
  hybrid_no_match: ['no match', 'no match'],
  hybrid_uppercase: ['no match', 'no match'],
  hybrid_extra_argument: ['threw AGE_HEADER', 'header failure'],
  hybrid_identity: ['threw AGE_HEADER', 'header failure'],
  hybrid_long_file_key: ['threw AGE_HEADER', 'header failure'],
  hybrid_long_share: ['threw AGE_HEADER', 'header failure'],
  hybrid_low_order: ['threw AGE_HEADER', 'header failure'],
  hybrid_not_canonical_enc: ['threw AGE_HEADER', 'header failure'],
  hybrid_short_share: ['threw AGE_HEADER', 'header failure'],
  // Decided by the header parser (typage's here), before any identity.
  hybrid_not_canonical_body: ['not reached', 'header failure'],
  // Decided by the X25519 identity; ours skips the X25519 stanza.
  hybrid_x25519_arg: ['no match', 'header failure'],
};

function parseVector(bytes: Uint8Array) {
  const raw = Buffer.from(bytes);
  const split = raw.indexOf('\n\n');
  const fields = raw.subarray(0, split).toString('utf8').split('\n');
  const values = (name: string) => fields.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
  let file: Uint8Array = raw.subarray(split + 2);
  if (values('compressed')[0] === 'zlib') file = inflateSync(file);
  if (values('armored')[0] === 'yes') file = armor.decode(Buffer.from(file).toString('utf8'));
  return { values, file };
}

describe('mlkem768x25519 against the CCTV hybrid vectors', () => {
  it('knows every hybrid vector of the package', () => {
    const names = Object.keys(cctv).filter((name) => name.includes('hybrid'));
    expect(names.sort()).toEqual(Object.keys(CCTV).sort());
  });

  it.each(Object.entries(CCTV))('%s: %j', async (name, [outcome, expected]) => {
    const { values, file } = parseVector(cctv[name] as Uint8Array);
    expect(values('expect')).toEqual([expected]);
    const decrypter = new Decrypter();
    const log: string[] = [];
    for (const text of values('identity').filter((t) => t.startsWith('AGE-SECRET-KEY-PQ-'))) {
      decrypter.addIdentity(asTypageIdentity(identity(text), log));
    }
    const result = decrypter.decrypt(file);
    if (outcome === 'key') {
      expect(sha256(Buffer.from(await result))).toBe(values('payload')[0]);
      expect(log).toEqual([`key ${values('file key')[0]}`]);
    } else {
      await expect(result).rejects.toThrow();
      expect(log).toEqual(outcome === 'not reached' ? [] : [outcome]);
    }
  });
});
