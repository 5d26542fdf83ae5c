import { createHash, createPrivateKey, createPublicKey, diffieHellman, randomBytes, type KeyObject } from 'node:crypto';
import { StanzaType, WRAPPED_KEY_BYTES } from '../format/constants.js';
import { stanzaParams, type Stanza } from '../format/header.js';
import { hkdf, unwrapFileKey, wrapFileKey } from './keys.js';

export type X25519Stanza = Extract<Stanza, { type: typeof StanzaType.X25519 }>;

/** Raw 32-byte X25519 keys travel inside fixed DER prefixes, the only raw import Node 20 offers. */
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

export const PUBLIC_KEY_PREFIX = 'fcpub1';
export const SECRET_KEY_PREFIX = 'FCSECRET1';

export interface Identity {
  secretKey: KeyObject;
  publicKey: Buffer;
}

export function identityFromSecret(secret: Buffer): Identity {
  const secretKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(secretKey).export({ format: 'der', type: 'spki' });
  return { secretKey, publicKey: Buffer.from(spki.subarray(spki.length - 32)) };
}

export function generateSecret(random: (size: number) => Buffer = randomBytes): Buffer {
  return random(32);
}

/**
 * Keys are written as prefix + base64url(key ‖ 4-byte checksum): the checksum
 * turns a mistyped or truncated key into an error instead of a wrong recipient.
 */
export function encodeKey(prefix: string, raw: Buffer): string {
  return prefix + Buffer.concat([raw, keyChecksum(prefix, raw)]).toString('base64url');
}

export function decodeKey(prefix: string, text: string): Buffer | undefined {
  if (!text.startsWith(prefix)) return undefined;
  const bytes = Buffer.from(text.slice(prefix.length), 'base64url');
  if (bytes.length !== 36 || bytes.toString('base64url') !== text.slice(prefix.length)) return undefined;
  const raw = bytes.subarray(0, 32);
  return keyChecksum(prefix, raw).equals(bytes.subarray(32)) ? Buffer.from(raw) : undefined;
}

export function x25519Stanza(recipient: Buffer, fileKey: Buffer, random: (size: number) => Buffer): X25519Stanza {
  const ephemeral = identityFromSecret(random(32));
  const shared = sharedSecret(ephemeral.secretKey, recipient);
  if (!shared) throw new RangeError('recipient public key is not a usable X25519 key');
  const stanza: X25519Stanza = {
    type: StanzaType.X25519,
    ephemeralPublicKey: ephemeral.publicKey,
    wrappedKey: Buffer.alloc(WRAPPED_KEY_BYTES),
  };
  const kek = wrapKey(shared, ephemeral.publicKey, recipient);
  return { ...stanza, wrappedKey: wrapFileKey(kek, fileKey, stanzaParams(stanza)) };
}

export function unwrapX25519Stanza(stanza: X25519Stanza, identity: Identity): Buffer | undefined {
  const shared = sharedSecret(identity.secretKey, stanza.ephemeralPublicKey);
  if (!shared) return undefined;
  const kek = wrapKey(shared, stanza.ephemeralPublicKey, identity.publicKey);
  return unwrapFileKey(kek, stanza.wrappedKey, stanzaParams(stanza));
}

function wrapKey(shared: Buffer, ephemeralPublic: Buffer, recipientPublic: Buffer): Buffer {
  return hkdf(shared, Buffer.concat([ephemeralPublic, recipientPublic]), 'filecrypt v1 x25519');
}

/** undefined for a malformed or low-order public key (an all-zero shared secret). */
export function sharedSecret(secretKey: KeyObject, peerPublic: Buffer): Buffer | undefined {
  try {
    const publicKey = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, peerPublic]), format: 'der', type: 'spki' });
    const shared = diffieHellman({ privateKey: secretKey, publicKey });
    return shared.every((byte) => byte === 0) ? undefined : shared;
  } catch {
    return undefined;
  }
}

function keyChecksum(prefix: string, raw: Buffer): Buffer {
  return createHash('sha256').update(prefix).update(raw).digest().subarray(0, 4);
}
