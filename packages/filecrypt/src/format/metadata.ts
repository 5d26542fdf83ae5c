import { MAX_NAME_BYTES, METADATA_BYTES } from './constants.js';
import { headerCorrupt } from '../errors.js';

/** What the final, encrypted segment tells about the plaintext. */
export interface Metadata {
  /** The input's base name, when there was one (not for stdin). */
  name?: string;
  size: number;
  /** Milliseconds since the epoch; 0 when unknown. */
  mtimeMs: number;
  /** Permission bits; 0 when unknown. */
  mode: number;
  /**
   * The plaintext's SHA-256: metadata version 1 only. Version 2 (written
   * since) leaves it out: the segments' AEAD tags, with the index and final
   * flag in each nonce and the header MAC committing to the file key, already
   * authenticate every byte and its order, and a separate hash made the whole
   * file one sequential pass (docs/filecrypt-format.md).
   */
  sha256?: Buffer;
}

/** Written today; 1 is still read and its SHA-256 still checked. */
export const METADATA_VERSION = 2;

const HAS_NAME = 1;

/**
 * Fixed 320 bytes: version, flags, name length, reserved, size, mtime, mode,
 * SHA-256 (version 1; zeros in version 2), name, zero padding. The version
 * follows the hash: with one it is 1, without it 2.
 */
export function encodeMetadata(metadata: Metadata): Buffer {
  const out = Buffer.alloc(METADATA_BYTES);
  const name = storableName(metadata.name);
  out[0] = metadata.sha256 ? 1 : METADATA_VERSION;
  out[1] = name ? HAS_NAME : 0;
  out[2] = name?.length ?? 0;
  out.writeBigUInt64BE(BigInt(metadata.size), 4);
  // Rounded: stat gives float milliseconds such as 1735787045677.9998 for .678.
  out.writeBigInt64BE(BigInt(Math.round(metadata.mtimeMs)), 12);
  out.writeUInt32BE(metadata.mode & 0o7777, 20);
  metadata.sha256?.copy(out, 24);
  name?.copy(out, 56);
  return out;
}

export function decodeMetadata(bytes: Buffer): Metadata {
  if (bytes.length !== METADATA_BYTES || (bytes[0] !== 1 && bytes[0] !== 2)) throw headerCorrupt();
  const nameLength = bytes[2]!;
  const metadata: Metadata = {
    size: Number(bytes.readBigUInt64BE(4)),
    mtimeMs: Number(bytes.readBigInt64BE(12)),
    mode: bytes.readUInt32BE(20),
    ...(bytes[0] === 1 ? { sha256: Buffer.from(bytes.subarray(24, 56)) } : {}),
  };
  if (bytes[1]! & HAS_NAME) metadata.name = bytes.subarray(56, 56 + nameLength).toString('utf8');
  return metadata;
}

/** Names longer than a file system allows (255 bytes) are not stored rather than cut mid-character. */
function storableName(name: string | undefined): Buffer | undefined {
  if (!name) return undefined;
  const bytes = Buffer.from(name, 'utf8');
  return bytes.length <= MAX_NAME_BYTES ? bytes : undefined;
}
