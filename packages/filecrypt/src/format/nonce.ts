import { MAX_SEGMENT_INDEX, NONCE_PREFIX_BYTES } from './constants.js';
import { tooLarge } from '../errors.js';

/**
 * STREAM nonce: 7-byte random prefix ‖ 32-bit big-endian segment index ‖ final flag.
 * The index is refused, never wrapped: a repeated nonce under one key breaks GCM.
 */
export function segmentNonce(prefix: Buffer, index: number, final: boolean): Buffer {
  if (prefix.length !== NONCE_PREFIX_BYTES) throw new RangeError(`nonce prefix must be ${NONCE_PREFIX_BYTES} bytes`);
  if (!Number.isInteger(index) || index < 0) throw new RangeError(`bad segment index ${index}`);
  if (index > MAX_SEGMENT_INDEX) throw tooLarge();
  const nonce = Buffer.allocUnsafe(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, NONCE_PREFIX_BYTES);
  nonce[11] = final ? 1 : 0;
  return nonce;
}
