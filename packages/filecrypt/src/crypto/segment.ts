import { createCipheriv } from 'node:crypto';
import { open, seal } from './aead.js';
import { segmentNonce } from '../format/nonce.js';

/** One STREAM segment, with a fresh cipher: the ciphertext and the tag as two buffers. */
export function sealSegment(key: Buffer, prefix: Buffer, index: number, final: boolean, plaintext: Buffer): Buffer[] {
  return seal('aes-256-gcm', key, segmentNonce(prefix, index, final), plaintext);
}

/** The plaintext, or undefined when the tag does not verify; nothing unverified escapes. */
export function openSegment(
  key: Buffer,
  prefix: Buffer,
  index: number,
  final: boolean,
  segment: Buffer,
): Buffer | undefined {
  return open('aes-256-gcm', key, segmentNonce(prefix, index, final), segment);
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
