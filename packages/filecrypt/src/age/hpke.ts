import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { open, seal } from '../crypto/aead.js';

/**
 * The part of HPKE (RFC 9180) that age's mlkem768x25519 stanza uses: the base
 * mode key schedule (section 5.1) for HKDF-SHA256 and ChaCha20-Poly1305, and
 * the single-shot Seal/Open of one message (sequence number 0, so the nonce is
 * base_nonce itself). The KEM stays with the caller: it runs encapsulation or
 * decapsulation and hands the shared secret in, so that a KEM failure (a
 * low-order X25519 share) and an AEAD failure (not our key) can be told apart.
 */

/** RFC 9180 section 7.2 and 7.3 identifiers. */
const KDF_HKDF_SHA256 = 0x0001;
const AEAD_CHACHA20_POLY1305 = 0x0003;
const MODE_BASE = 0x00;
/** Nk, Nn and Nt of ChaCha20-Poly1305. */
const KEY_BYTES = 32;
const NONCE_BYTES = 12;

export interface HpkeContext {
  /** Seal(aad = "", plaintext): ciphertext ‖ tag. */
  seal(plaintext: Uint8Array): Buffer;
  /** Open(aad = "", ciphertext): the plaintext, or undefined when the tag does not verify. */
  open(ciphertext: Uint8Array): Buffer | undefined;
}

/** KeySchedule(mode_base, shared_secret, info, psk = "", psk_id = "") for the suite (kemId, HKDF-SHA256, ChaCha20-Poly1305). */
export function hpkeBaseContext(kemId: number, sharedSecret: Uint8Array, info: Uint8Array): HpkeContext {
  const suiteId = Buffer.from([
    ...Buffer.from('HPKE'),
    kemId >> 8,
    kemId & 0xff,
    KDF_HKDF_SHA256 >> 8,
    KDF_HKDF_SHA256 & 0xff,
    AEAD_CHACHA20_POLY1305 >> 8,
    AEAD_CHACHA20_POLY1305 & 0xff,
  ]);
  const empty = new Uint8Array(0);
  const pskIdHash = labeledExtract(suiteId, empty, 'psk_id_hash', empty);
  const infoHash = labeledExtract(suiteId, empty, 'info_hash', info);
  const context = Buffer.concat([Buffer.from([MODE_BASE]), pskIdHash, infoHash]);
  // The psk is empty in base mode; it is the IKM of this extract.
  const secret = labeledExtract(suiteId, sharedSecret, 'secret', empty);
  const key = labeledExpand(suiteId, secret, 'key', context, KEY_BYTES);
  const nonce = labeledExpand(suiteId, secret, 'base_nonce', context, NONCE_BYTES);
  return {
    seal: (plaintext) => Buffer.concat(seal('chacha20-poly1305', key, nonce, Buffer.from(plaintext))),
    open: (ciphertext) => open('chacha20-poly1305', key, nonce, Buffer.from(ciphertext)),
  };
}

/** LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm). */
function labeledExtract(suiteId: Buffer, salt: Uint8Array, label: string, ikm: Uint8Array): Uint8Array {
  return extract(sha256, Buffer.concat([Buffer.from('HPKE-v1'), suiteId, Buffer.from(label), ikm]), salt);
}

/** LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info, L). */
function labeledExpand(suiteId: Buffer, prk: Uint8Array, label: string, info: Uint8Array, length: number): Buffer {
  const labeledInfo = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff]),
    Buffer.from('HPKE-v1'),
    suiteId,
    Buffer.from(label),
    info,
  ]);
  return Buffer.from(expand(sha256, prk, labeledInfo, length));
}
