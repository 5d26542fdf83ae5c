import { Decrypter, Encrypter, armor, generateIdentity, identityToRecipient } from 'age-encryption';
import { describe, expect, it, vi } from 'vitest';
import { decryptAge } from '../src/age/decrypt.js';
import { encryptAge } from '../src/age/encrypt.js';
import { encodeBase64 } from '../src/age/base64.js';
import { generateX25519Identity, parseIdentities, parseRecipient } from '../src/age/keys.js';
import { scryptIdentity, scryptRecipient } from '../src/age/scrypt.js';
import type { AgeIdentity, AgeRecipient } from '../src/age/types.js';
import { x25519Identity, x25519Recipient } from '../src/age/x25519.js';
import { ByteReader } from '../src/io/reader.js';
import { collectingSink, counterRandom, failure, once } from './age-test-helpers.js';

const FILE_KEY = Buffer.from('0123456789abcdef');
const SECRET = Buffer.alloc(32, 0x42);
const identity = x25519Identity(SECRET);

async function encrypt(plaintext: Buffer, recipients: AgeRecipient[], armored = false): Promise<Buffer> {
  const sink = collectingSink();
  await encryptAge(once(plaintext), sink, { recipients, armor: armored });
  return sink.bytes();
}

async function decrypt(file: Buffer | Uint8Array, identities: AgeIdentity[]): Promise<Buffer> {
  const sink = collectingSink();
  await decryptAge(new ByteReader(once(Buffer.from(file))), sink, identities);
  return sink.bytes();
}

/** Points of small order on Curve25519 (from the X25519 low-order list) and non-canonical encodings of them. */
const LOW_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bc a3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157'.replace(' ', ''),
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

describe('X25519 stanzas', () => {
  it('wraps and unwraps the file key; other identities find nothing', async () => {
    const stanzas = x25519Recipient(identity.publicKey).wrap(FILE_KEY);
    expect(stanzas).toHaveLength(1);
    expect(stanzas[0]!.type).toBe('X25519');
    expect(stanzas[0]!.body).toHaveLength(32);
    expect(await identity.unwrap(stanzas)).toEqual(FILE_KEY);
    expect(await x25519Identity(Buffer.alloc(32, 1)).unwrap(stanzas)).toBeUndefined();
  });

  it.each(LOW_ORDER)('refuses the low-order share %s as a header failure', async (hex) => {
    const stanza = { type: 'X25519', args: [encodeBase64(Buffer.from(hex, 'hex'))], body: Buffer.alloc(32) };
    expect(await failure(identity.unwrap([stanza]))).toEqual({
      code: 'AGE_HEADER',
      message: 'not a valid age header: stanza 1: the X25519 share is a low-order point',
    });
  });

  it('refuses to wrap to a low-order recipient key', () => {
    expect(() => x25519Recipient(Buffer.alloc(32)).wrap(FILE_KEY)).toThrow(RangeError);
  });
});

describe('scrypt stanzas', () => {
  it('wraps with a 16-byte salt and the work factor as a plain decimal', async () => {
    const [stanza] = scryptRecipient(Buffer.from('pw'), 10, counterRandom(3)).wrap(FILE_KEY);
    expect(stanza!.args[1]).toBe('10');
    expect(Buffer.from(stanza!.args[0]!, 'base64')).toHaveLength(16);
    expect(await scryptIdentity(() => Promise.resolve(Buffer.from('pw'))).unwrap([stanza!])).toEqual(FILE_KEY);
    expect(await scryptIdentity(() => Promise.resolve(Buffer.from('px'))).unwrap([stanza!])).toBeUndefined();
  });

  it('writes work factors from 1 to 30 only, as age', () => {
    expect(() => scryptRecipient(Buffer.from('pw'), 31)).toThrow('the scrypt work factor must be from 1 to 30, not 31');
    expect(() => scryptRecipient(Buffer.from('pw'), 0)).toThrow('the scrypt work factor must be from 1 to 30, not 0');
  });

  it('refuses a work factor over the limit before asking for the passphrase', async () => {
    const [stanza] = scryptRecipient(Buffer.from('pw'), 12).wrap(FILE_KEY);
    const ask = vi.fn(() => Promise.resolve(Buffer.from('pw')));
    expect(await failure(scryptIdentity(ask, 11).unwrap([stanza!]))).toEqual({
      code: 'KDF_LIMIT',
      message: 'refusing to decrypt: scrypt work factor 12 is over the limit 11; --max-work-factor 12 accepts it',
    });
    expect(ask).not.toHaveBeenCalled();
    expect(await scryptIdentity(ask, 12).unwrap([stanza!])).toEqual(FILE_KEY);
    expect(ask).toHaveBeenCalledTimes(1);
  });

  it('does not ask for a passphrase when the file has no scrypt stanza', async () => {
    const ask = vi.fn(() => Promise.resolve(Buffer.from('pw')));
    const file = await encrypt(Buffer.from('x'), [x25519Recipient(identity.publicKey)]);
    expect(await decrypt(file, [scryptIdentity(ask), identity])).toEqual(Buffer.from('x'));
    expect(ask).not.toHaveBeenCalled();
  });

  it('reports a wrong passphrase as such (exit 3)', async () => {
    const file = await encrypt(Buffer.from('x'), [scryptRecipient(Buffer.from('pw'), 10)]);
    const wrong = scryptIdentity(() => Promise.resolve(Buffer.from('nope')));
    expect(await failure(decrypt(file, [wrong]))).toEqual({ code: 'WRONG_KEY', message: 'wrong passphrase or key' });
    expect(await failure(decrypt(file, [identity]))).toEqual({
      code: 'WRONG_KEY',
      message: 'no identity matched any of the recipients',
    });
  });

  it('is never combined with another recipient', async () => {
    const recipients = [scryptRecipient(Buffer.from('pw'), 10), x25519Recipient(identity.publicKey)];
    expect(await failure(encrypt(Buffer.from('x'), recipients))).toEqual({
      code: 'USAGE',
      message: 'a passphrase cannot be combined with other recipients in the age format',
    });
  });
});

describe('typage (the reference TypeScript age) interop', () => {
  const sizes = [0, 1, 65536, 65537];

  it.each(sizes)(
    'typage decrypts what filecrypt writes to two X25519 recipients (%i bytes, binary and armored)',
    async (size) => {
      const theirs = await generateIdentity();
      const ours = generateX25519Identity();
      const plaintext = Buffer.alloc(size, 0x5a);
      const recipients = [
        await parseRecipient(await identityToRecipient(theirs), 'theirs'),
        await parseRecipient(ours.recipient, 'ours'),
      ];
      for (const armored of [false, true]) {
        const file = await encrypt(plaintext, recipients, armored);
        const decrypter = new Decrypter();
        decrypter.addIdentity(theirs);
        const binary = armored ? armor.decode(file.toString('latin1')) : file;
        expect(Buffer.from(await decrypter.decrypt(binary)).equals(plaintext)).toBe(true);
        expect((await decrypt(file, await parseIdentities(ours.identity, 'ours'))).equals(plaintext)).toBe(true);
      }
    },
  );

  it.each(sizes)('filecrypt decrypts what typage writes (%i bytes, binary and armored)', async (size) => {
    const ours = generateX25519Identity();
    const plaintext = Buffer.alloc(size, 0xa5);
    const encrypter = new Encrypter();
    encrypter.addRecipient(ours.recipient);
    const file = await encrypter.encrypt(plaintext);
    const identities = await parseIdentities(ours.identity, 'ours');
    expect((await decrypt(file, identities)).equals(plaintext)).toBe(true);
    expect((await decrypt(Buffer.from(armor.encode(file)), identities)).equals(plaintext)).toBe(true);
  });

  it('passphrases both ways', async () => {
    const plaintext = Buffer.from('scrypt both ways');
    const ours = await encrypt(plaintext, [scryptRecipient(Buffer.from('correct horse'), 10)]);
    const decrypter = new Decrypter();
    decrypter.addPassphrase('correct horse');
    expect(Buffer.from(await decrypter.decrypt(ours)).equals(plaintext)).toBe(true);

    const encrypter = new Encrypter();
    encrypter.setPassphrase('correct horse');
    encrypter.setScryptWorkFactor(10);
    const theirs = await encrypter.encrypt(plaintext);
    const identity = scryptIdentity(() => Promise.resolve(Buffer.from('correct horse')));
    expect((await decrypt(theirs, [identity])).equals(plaintext)).toBe(true);
  });
});
