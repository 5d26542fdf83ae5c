import { createCipheriv, createDecipheriv } from 'node:crypto';

/**
 * The two AEADs filecrypt uses, one message per fresh cipher: AES-256-GCM
 * (the native format's segments) and ChaCha20-Poly1305 (age's chunks and key
 * wrapping). The 16-byte tag follows the ciphertext. Pure functions of their
 * arguments, with nothing imported beyond node:crypto, so that they run in
 * worker threads unchanged.
 */
export type Aead = 'aes-256-gcm' | 'chacha20-poly1305';
export const AEAD_TAG_BYTES = 16;
const OPTIONS = { authTagLength: AEAD_TAG_BYTES } as const;

/** The ciphertext and the tag, as two buffers (no concat copy). */
export function seal(aead: Aead, key: Buffer, nonce: Buffer, plaintext: Buffer): Buffer[] {
  const cipher = createCipher(aead, key, nonce);
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return [ciphertext, cipher.getAuthTag()];
}

/** The plaintext, or undefined when the tag does not verify; nothing unverified escapes. */
export function open(aead: Aead, key: Buffer, nonce: Buffer, sealed: Buffer): Buffer | undefined {
  if (sealed.length < AEAD_TAG_BYTES) return undefined;
  const decipher = createDecipher(aead, key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - AEAD_TAG_BYTES));
  const plaintext = decipher.update(sealed.subarray(0, sealed.length - AEAD_TAG_BYTES));
  try {
    decipher.final();
    return plaintext;
  } catch {
    return undefined;
  }
}

/** seal() into `out` at `offset` (ciphertext ‖ tag); returns the bytes written. */
export function sealInto(
  aead: Aead,
  key: Buffer,
  nonce: Buffer,
  plaintext: Buffer,
  out: Buffer,
  offset: number,
): number {
  const [ciphertext, tag] = seal(aead, key, nonce, plaintext) as [Buffer, Buffer];
  return ciphertext.copy(out, offset) + tag.copy(out, offset + ciphertext.length);
}

/** open() into `out` at `offset`: the plaintext length, or -1 when the tag does not verify (then nothing is copied). */
export function openInto(aead: Aead, key: Buffer, nonce: Buffer, sealed: Buffer, out: Buffer, offset: number): number {
  const plaintext = open(aead, key, nonce, sealed);
  return plaintext ? plaintext.copy(out, offset) : -1;
}

// One call per literal type: Node's typings pick the authenticated-cipher overload only for a single algorithm name.
function createCipher(aead: Aead, key: Buffer, nonce: Buffer) {
  return aead === 'aes-256-gcm' ? createCipheriv(aead, key, nonce, OPTIONS) : createCipheriv(aead, key, nonce, OPTIONS);
}

function createDecipher(aead: Aead, key: Buffer, nonce: Buffer) {
  return aead === 'aes-256-gcm'
    ? createDecipheriv(aead, key, nonce, OPTIONS)
    : createDecipheriv(aead, key, nonce, OPTIONS);
}
