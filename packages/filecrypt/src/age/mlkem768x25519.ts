import { randomBytes } from 'node:crypto';
import { ml_kem768_x25519 } from '@noble/post-quantum/hybrid.js';
import { base64nopad, bech32 } from '@scure/base';
import { ageHeader } from '../errors.js';
import { hpkeBaseContext } from './hpke.js';
import type { AgeIdentity, AgeRecipient, AgeStanza } from './types.js';

/**
 * age's hybrid post-quantum recipient type (c2sp.org/age, "The MLKEM768-X25519
 * hybrid post-quantum recipient type"): the file key sealed with HPKE base
 * mode, KEM MLKEM768-X25519 (X-Wing), HKDF-SHA256, ChaCha20-Poly1305.
 *
 * This module is only ever loaded by a dynamic import() once a PQ key has been
 * seen: importing ML-KEM costs memory that a run without PQ keys must not pay
 * (filecrypt's 64 MiB budget). So nothing here does work at load time.
 *
 * Mixing with classic recipients: the spec says a file SHOULD NOT be encrypted
 * to this type and to a non-quantum-resistant type together, since the classic
 * stanza would undo the post-quantum protection. age 1.3 refuses such a mix
 * when encrypting: its hybrid recipient carries a "postquantum" label, and
 * recipients with different labels are not combined (the Go library lets a
 * caller bypass it by hiding the label; the age CLI has no such option). That
 * is a decision over the whole recipient list, which a single recipient cannot
 * see, so it belongs to the encrypting side (src/formats/age.ts, by `type`).
 * Decryption accepts a mix, as age does: the identity below skips every
 * stanza of another type (CCTV hybrid_and_x25519).
 */

export const PQ_STANZA_TYPE = 'mlkem768x25519';
const INFO = 'age-encryption.org/mlkem768x25519';
/** The HPKE KEM identifier of MLKEM768-X25519. */
const KEM_ID = 0x647a;
const RECIPIENT_HRP = 'age1pq';
const IDENTITY_HRP = 'AGE-SECRET-KEY-PQ-';
/** ML-KEM-768 encapsulation key (1184) ‖ X25519 public key (32). */
export const PQ_PUBLIC_KEY_BYTES = 1216;
/** ML-KEM-768 ciphertext (1088) ‖ X25519 ephemeral share (32). */
export const PQ_ENC_BYTES = 1120;
/** An identity is the 32-byte decapsulation seed. */
export const PQ_SEED_BYTES = 32;
/** The sealed 16-byte file key and its 16-byte tag. */
const BODY_BYTES = 32;

/** An `age1pq1…` recipient, or undefined when the text is not a valid one. */
export function parsePqRecipient(text: string): AgeRecipient | undefined {
  const publicKey = decodeBech32(text, RECIPIENT_HRP);
  if (publicKey?.length !== PQ_PUBLIC_KEY_BYTES) return undefined;
  // age checks the ML-KEM key's encoding when parsing; an invalid key (or a
  // low-order X25519 half) would otherwise surface as a crash in wrap(). One
  // trial encapsulation checks both. It is fresh and unused, so the first
  // wrap() spends it instead of paying for another (each is used only once).
  let unused: { cipherText: Uint8Array; sharedSecret: Uint8Array } | undefined;
  try {
    unused = ml_kem768_x25519.encapsulate(publicKey);
  } catch {
    return undefined;
  }
  return {
    type: PQ_STANZA_TYPE,
    wrap(fileKey: Buffer): AgeStanza[] {
      const { cipherText, sharedSecret } = unused ?? ml_kem768_x25519.encapsulate(publicKey);
      unused = undefined;
      const body = hpkeBaseContext(KEM_ID, sharedSecret, Buffer.from(INFO)).seal(fileKey);
      return [{ type: PQ_STANZA_TYPE, args: [base64nopad.encode(cipherText)], body }];
    },
  };
}

/** An `AGE-SECRET-KEY-PQ-1…` identity, or undefined when the text is not a valid one. */
export function parsePqIdentity(text: string): AgeIdentity | undefined {
  const seed = decodeBech32(text, IDENTITY_HRP);
  if (seed?.length !== PQ_SEED_BYTES) return undefined;
  return {
    // The executor turns a malformed stanza's throw into a rejection, not a throw at the call.
    unwrap: (stanzas) => new Promise((resolve) => resolve(unwrap(seed, stanzas))),
  };
}

/** A new identity and its recipient; `random` is injectable so that tests get fixed keys. */
export function generatePqIdentity(random: (n: number) => Buffer = randomBytes): {
  identity: string;
  recipient: string;
} {
  const seed = random(PQ_SEED_BYTES);
  if (seed.length !== PQ_SEED_BYTES) throw new RangeError(`random(${PQ_SEED_BYTES}) returned ${seed.length} bytes`);
  return { identity: encodeIdentity(seed), recipient: encodeRecipient(seed) };
}

/** The `age1pq1…` recipient of an `AGE-SECRET-KEY-PQ-1…` identity, or undefined when it is not a valid one. */
export function pqRecipientOf(identityText: string): string | undefined {
  const seed = decodeBech32(identityText, IDENTITY_HRP);
  return seed?.length === PQ_SEED_BYTES ? encodeRecipient(seed) : undefined;
}

/**
 * The spec's rules, in age's order: a stanza of another type is skipped; one
 * of ours with other than one argument, an enc that is not canonical base64 of
 * 1120 bytes, a body that is not 32 bytes, or a share the KEM refuses (an
 * X25519 half of low order, whose shared secret would be all zeros) makes the
 * header invalid. A body that does not open is another recipient's stanza:
 * ML-KEM rejects implicitly, so a wrong key only shows at the AEAD.
 */
function unwrap(seed: Uint8Array, stanzas: readonly AgeStanza[]): Buffer | undefined {
  for (const [index, stanza] of stanzas.entries()) {
    if (stanza.type !== PQ_STANZA_TYPE) continue;
    const where = `stanza ${index + 1}`;
    const [encText, ...extra] = stanza.args;
    if (encText === undefined || extra.length > 0)
      throw ageHeader(`${where}: a ${PQ_STANZA_TYPE} stanza takes 1 argument`);
    const enc = decodeBase64(encText);
    if (enc?.length !== PQ_ENC_BYTES) {
      throw ageHeader(`${where}: ${PQ_STANZA_TYPE} enc is not ${PQ_ENC_BYTES} bytes of canonical base64`);
    }
    // Checked before any decryption, against partitioning oracle attacks (spec).
    if (stanza.body.length !== BODY_BYTES) {
      throw ageHeader(`${where}: a ${PQ_STANZA_TYPE} stanza body must be ${BODY_BYTES} bytes`);
    }
    let sharedSecret: Uint8Array;
    try {
      // With the lengths right, only the X25519 half can fail: noble refuses a
      // low-order share (whose shared secret would be all zeros), as age does
      // (Go's crypto/ecdh). ML-KEM never fails here: it rejects implicitly.
      sharedSecret = ml_kem768_x25519.decapsulate(enc, seed);
    } catch {
      throw ageHeader(`${where}: the X25519 share in the ${PQ_STANZA_TYPE} enc is a low-order point`);
    }
    const fileKey = hpkeBaseContext(KEM_ID, sharedSecret, Buffer.from(INFO)).open(stanza.body);
    if (fileKey !== undefined) return fileKey;
  }
  return undefined;
}

/**
 * Bech32 without the 90-character limit (a recipient is 1,959 characters).
 * As in age, a recipient is lowercase and an identity uppercase: the HRP is
 * compared in the case it is written in.
 */
function decodeBech32(text: string, hrp: string): Uint8Array | undefined {
  if (!text.startsWith(`${hrp}1`)) return undefined;
  try {
    const { prefix, words } = bech32.decode(text as `${string}1${string}`, false);
    return prefix === hrp.toLowerCase() ? bech32.fromWords(words) : undefined;
  } catch {
    return undefined;
  }
}

/** Canonical unpadded base64 only: @scure/base refuses padding and non-zero trailing bits. */
function decodeBase64(text: string): Uint8Array | undefined {
  try {
    return base64nopad.decode(text);
  } catch {
    return undefined;
  }
}

function encodeRecipient(seed: Uint8Array): string {
  return bech32.encode(RECIPIENT_HRP, bech32.toWords(ml_kem768_x25519.getPublicKey(seed)), false);
}

function encodeIdentity(seed: Uint8Array): string {
  return bech32.encode(IDENTITY_HRP, bech32.toWords(seed), false).toUpperCase();
}
