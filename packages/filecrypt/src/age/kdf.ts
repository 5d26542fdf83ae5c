import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';

/** HKDF-SHA256, as every age key derivation uses it. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

const ZERO_NONCE = Buffer.alloc(12);
const TAG_BYTES = 16;

/**
 * ChaCha20-Poly1305 under a single-use key with the all-zero nonce: how the
 * X25519 and scrypt stanzas wrap the file key (every wrapping key is fresh).
 */
export function sealKey(key: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: TAG_BYTES });
  const body = cipher.update(plaintext);
  cipher.final();
  return Buffer.concat([body, cipher.getAuthTag()]);
}

/** The plaintext, or undefined when the tag does not verify. */
export function openKey(key: Buffer, sealed: Buffer): Buffer | undefined {
  if (sealed.length < TAG_BYTES) return undefined;
  const decipher = createDecipheriv('chacha20-poly1305', key, ZERO_NONCE, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES));
  try {
    decipher.final();
    return plaintext;
  } catch {
    return undefined;
  }
}
