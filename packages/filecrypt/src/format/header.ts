import {
  ContentKind,
  FIXED_HEADER_BYTES,
  MAGIC,
  MAX_SALT_BYTES,
  MAX_SEGMENT_EXPONENT,
  MIN_SALT_BYTES,
  MIN_SEGMENT_EXPONENT,
  NONCE_PREFIX_BYTES,
  STANZA_HEAD_BYTES,
  StanzaType,
  VERSION,
  WRAPPED_KEY_BYTES,
} from './constants.js';
import { headerCorrupt, notFilecrypt, truncated, unsupportedVersion } from '../errors.js';

/** One way to recover the file key: a passphrase KDF, or one X25519 recipient. */
export type Stanza =
  | { type: typeof StanzaType.Pbkdf2; iterations: number; salt: Buffer; wrappedKey: Buffer }
  | { type: typeof StanzaType.Scrypt; logN: number; r: number; p: number; salt: Buffer; wrappedKey: Buffer }
  | { type: typeof StanzaType.X25519; ephemeralPublicKey: Buffer; wrappedKey: Buffer };

export interface Header {
  kind: ContentKind;
  segmentExponent: number;
  noncePrefix: Buffer;
  stanzas: Stanza[];
}

export interface FixedHeader {
  kind: ContentKind;
  segmentExponent: number;
  noncePrefix: Buffer;
  stanzaCount: number;
}

/** All header bytes up to, not including, the MAC. */
export function encodeHeaderBody(header: Header): Buffer {
  const fixed = Buffer.alloc(FIXED_HEADER_BYTES);
  MAGIC.copy(fixed, 0);
  fixed[8] = VERSION;
  fixed[9] = header.kind;
  fixed[10] = header.segmentExponent;
  header.noncePrefix.copy(fixed, 11);
  fixed[18] = header.stanzas.length;
  return Buffer.concat([fixed, ...header.stanzas.map(encodeStanza)]);
}

function encodeStanza(stanza: Stanza): Buffer {
  return Buffer.concat([stanzaParams(stanza), stanza.wrappedKey]);
}

/**
 * The stanza's bytes before its wrapped key: type, length and KDF parameters.
 * They are the wrap's associated data, so a changed parameter fails the unwrap.
 */
export function stanzaParams(stanza: Stanza): Buffer {
  let params: Buffer;
  if (stanza.type === StanzaType.Pbkdf2) {
    params = Buffer.alloc(5);
    params.writeUInt32BE(stanza.iterations, 0);
    params[4] = stanza.salt.length;
    params = Buffer.concat([params, stanza.salt]);
  } else if (stanza.type === StanzaType.Scrypt) {
    params = Buffer.from([stanza.logN, stanza.r, stanza.p, stanza.salt.length]);
    params = Buffer.concat([params, stanza.salt]);
  } else {
    params = stanza.ephemeralPublicKey;
  }
  const head = Buffer.alloc(STANZA_HEAD_BYTES);
  head[0] = stanza.type;
  head.writeUInt16BE(params.length + WRAPPED_KEY_BYTES, 1);
  return Buffer.concat([head, params]);
}

/**
 * The first 19 bytes. A short buffer is "truncated" only if what there is
 * still looks like filecrypt; anything else is "not a filecrypt file".
 */
export function decodeFixedHeader(bytes: Buffer): FixedHeader {
  const seen = Math.min(bytes.length, MAGIC.length);
  if (seen === 0 || !bytes.subarray(0, seen).equals(MAGIC.subarray(0, seen))) throw notFilecrypt();
  if (bytes.length < FIXED_HEADER_BYTES) throw truncated();
  const version = bytes[8]!;
  if (version !== VERSION) throw unsupportedVersion(version);
  const kind = bytes[9]!;
  const segmentExponent = bytes[10]!;
  const stanzaCount = bytes[18]!;
  if (kind !== ContentKind.File && kind !== ContentKind.Tar) throw headerCorrupt();
  if (segmentExponent < MIN_SEGMENT_EXPONENT || segmentExponent > MAX_SEGMENT_EXPONENT) throw headerCorrupt();
  if (stanzaCount === 0) throw headerCorrupt();
  return {
    kind,
    segmentExponent,
    noncePrefix: Buffer.from(bytes.subarray(11, 11 + NONCE_PREFIX_BYTES)),
    stanzaCount,
  };
}

/** The parameters before the salt: PBKDF2's iterations (4) and salt length (1); scrypt's log2 N, r, p, salt length. */
const SALT_AT = { [StanzaType.Pbkdf2]: 5, [StanzaType.Scrypt]: 4 } as const;

/**
 * A stanza's type and body length, from its 3-byte head. The length must fit
 * the type's layout before the body is read, so that a header cannot make a
 * reader buffer 255 × 64 KiB before its MAC is checked.
 */
export function decodeStanzaHead(head: Buffer): { type: StanzaType; length: number } {
  const type = head[0]!;
  const length = head.readUInt16BE(1);
  if (type === StanzaType.X25519) {
    if (length !== 32 + WRAPPED_KEY_BYTES) throw headerCorrupt();
  } else if (type === StanzaType.Pbkdf2 || type === StanzaType.Scrypt) {
    const fixed = SALT_AT[type] + WRAPPED_KEY_BYTES;
    if (length < fixed + MIN_SALT_BYTES || length > fixed + MAX_SALT_BYTES) throw headerCorrupt();
  } else {
    throw headerCorrupt();
  }
  return { type, length };
}

/** Parse one stanza body; every length is checked against the type's layout. */
export function decodeStanzaBody(type: StanzaType, body: Buffer): Stanza {
  const wrappedKey = Buffer.from(body.subarray(body.length - WRAPPED_KEY_BYTES));
  if (type === StanzaType.X25519) {
    if (body.length !== 32 + WRAPPED_KEY_BYTES) throw headerCorrupt();
    return { type, ephemeralPublicKey: Buffer.from(body.subarray(0, 32)), wrappedKey };
  }
  const saltAt = SALT_AT[type];
  if (body.length < saltAt) throw headerCorrupt();
  const saltLength = body[saltAt - 1]!;
  if (saltLength < MIN_SALT_BYTES || saltLength > MAX_SALT_BYTES) throw headerCorrupt();
  if (body.length !== saltAt + saltLength + WRAPPED_KEY_BYTES) throw headerCorrupt();
  const salt = Buffer.from(body.subarray(saltAt, saltAt + saltLength));
  if (type === StanzaType.Pbkdf2) {
    const iterations = body.readUInt32BE(0);
    if (iterations === 0) throw headerCorrupt();
    return { type, iterations, salt, wrappedKey };
  }
  const [logN, r, p] = [body[0]!, body[1]!, body[2]!];
  if (logN === 0 || r === 0 || p === 0) throw headerCorrupt();
  return { type, logN, r, p, salt, wrappedKey };
}

/**
 * A passphrase stanza must be the only one (as in age): mixing it with
 * recipients would let a recipient learn whether a guessed passphrase is right.
 */
export function checkStanzaMix(index: number, count: number, type: StanzaType): void {
  const isPassphrase = type !== StanzaType.X25519;
  if (isPassphrase && count !== 1) throw headerCorrupt();
  if (index >= count) throw new RangeError('stanza index out of range');
}
