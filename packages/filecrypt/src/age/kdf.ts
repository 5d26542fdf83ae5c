import { hkdfSync } from 'node:crypto';
import { open, seal } from '../crypto/aead.js';

/** HKDF-SHA256, as every age key derivation uses it. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

const ZERO_NONCE = Buffer.alloc(12);

/**
 * ChaCha20-Poly1305 under a single-use key with the all-zero nonce: how the
 * X25519 and scrypt stanzas wrap the file key (every wrapping key is fresh).
 */
export function sealKey(key: Buffer, plaintext: Buffer): Buffer {
  return Buffer.concat(seal('chacha20-poly1305', key, ZERO_NONCE, plaintext));
}

/** The plaintext, or undefined when the tag does not verify. */
export function openKey(key: Buffer, sealed: Buffer): Buffer | undefined {
  return open('chacha20-poly1305', key, ZERO_NONCE, sealed);
}
