import { createCipheriv, createDecipheriv } from 'node:crypto';

/** age's STREAM: 64 KiB of plaintext per chunk, each sealed with ChaCha20-Poly1305. */
export const AGE_CHUNK_BYTES = 64 * 1024;
export const AGE_TAG_BYTES = 16;
export const AGE_FULL_CHUNK_BYTES = AGE_CHUNK_BYTES + AGE_TAG_BYTES;

/**
 * One chunk, with a fresh cipher: pure functions of their arguments, no
 * shared state and nothing imported beyond node:crypto, so that they can run
 * in worker threads unchanged. Returns the ciphertext and the tag as two
 * buffers to avoid a concat copy.
 */
export function sealChunk(key: Buffer, index: number, final: boolean, plaintext: Buffer): Buffer[] {
  const cipher = createCipheriv('chacha20-poly1305', key, chunkNonce(index, final), { authTagLength: AGE_TAG_BYTES });
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return [ciphertext, cipher.getAuthTag()];
}

/** The plaintext, or undefined when the chunk does not authenticate; nothing unverified escapes. */
export function openChunk(key: Buffer, index: number, final: boolean, chunk: Buffer): Buffer | undefined {
  if (chunk.length < AGE_TAG_BYTES) return undefined;
  const decipher = createDecipheriv('chacha20-poly1305', key, chunkNonce(index, final), {
    authTagLength: AGE_TAG_BYTES,
  });
  decipher.setAuthTag(chunk.subarray(chunk.length - AGE_TAG_BYTES));
  const plaintext = decipher.update(chunk.subarray(0, chunk.length - AGE_TAG_BYTES));
  try {
    decipher.final();
    return plaintext;
  } catch {
    return undefined;
  }
}

/** 11-byte big-endian chunk counter ‖ 0x01 for the final chunk, else 0x00. */
export function chunkNonce(index: number, final: boolean): Buffer {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`chunk index ${index}`);
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(Math.floor(index / 2 ** 32), 3, 4);
  nonce.writeUInt32BE(index % 2 ** 32, 7);
  nonce[11] = final ? 1 : 0;
  return nonce;
}
