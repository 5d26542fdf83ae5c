import { createCipheriv, createDecipheriv } from 'node:crypto';
import { TAG_BYTES } from '../format/constants.js';
import { segmentNonce } from '../format/nonce.js';

/**
 * One STREAM segment, with a fresh cipher. Pure functions of their arguments
 * (no shared state), so that they can move to worker_threads unchanged.
 * Returns the ciphertext and the tag as two buffers to avoid a concat copy.
 */
export function sealSegment(key: Buffer, prefix: Buffer, index: number, final: boolean, plaintext: Buffer): Buffer[] {
  const cipher = createCipheriv('aes-256-gcm', key, segmentNonce(prefix, index, final));
  const ciphertext = cipher.update(plaintext);
  cipher.final();
  return [ciphertext, cipher.getAuthTag()];
}

/** The plaintext, or undefined when the tag does not verify; nothing unverified escapes. */
export function openSegment(
  key: Buffer,
  prefix: Buffer,
  index: number,
  final: boolean,
  segment: Buffer,
): Buffer | undefined {
  if (segment.length < TAG_BYTES) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, segmentNonce(prefix, index, final));
  decipher.setAuthTag(segment.subarray(segment.length - TAG_BYTES));
  const plaintext = decipher.update(segment.subarray(0, segment.length - TAG_BYTES));
  try {
    decipher.final();
    return plaintext;
  } catch {
    return undefined;
  }
}

/**
 * The first `length` bytes of the AES-CTR keystream that GCM applies to a
 * segment's plaintext (counter block 2 after the 96-bit nonce). It lets the
 * reader test thousands of candidate positions of a final segment cheaply,
 * on a failure path, before confirming one with a full tag check.
 */
export function segmentKeystream(key: Buffer, prefix: Buffer, index: number, final: boolean, length: number): Buffer {
  const counterBlock = Buffer.concat([segmentNonce(prefix, index, final), Buffer.from([0, 0, 0, 2])]);
  return createCipheriv('aes-256-ctr', key, counterBlock).update(Buffer.alloc(length));
}
