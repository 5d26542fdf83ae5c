import { AEAD_TAG_BYTES, open, seal } from '../crypto/aead.js';

/** age's STREAM: 64 KiB of plaintext per chunk, each sealed with ChaCha20-Poly1305. */
export const AGE_CHUNK_BYTES = 64 * 1024;
export const AGE_TAG_BYTES = AEAD_TAG_BYTES;
export const AGE_FULL_CHUNK_BYTES = AGE_CHUNK_BYTES + AGE_TAG_BYTES;

/** One chunk, with a fresh cipher: the ciphertext and the tag as two buffers. */
export function sealChunk(key: Buffer, index: number, final: boolean, plaintext: Buffer): Buffer[] {
  return seal('chacha20-poly1305', key, chunkNonce(index, final), plaintext);
}

/** The plaintext, or undefined when the chunk does not authenticate; nothing unverified escapes. */
export function openChunk(key: Buffer, index: number, final: boolean, chunk: Buffer): Buffer | undefined {
  return open('chacha20-poly1305', key, chunkNonce(index, final), chunk);
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
