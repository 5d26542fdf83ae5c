/** Format version 1 constants; docs/filecrypt-format.md is the specification. */

/** PNG-style: a high byte and CR LF / ^Z / LF catch 7-bit and line-ending mangling. */
export const MAGIC = Buffer.from([0x89, 0x51, 0x46, 0x43, 0x0d, 0x0a, 0x1a, 0x0a]);
export const VERSION = 1;

export const FIXED_HEADER_BYTES = 19;
export const STANZA_HEAD_BYTES = 3;
export const MAC_BYTES = 32;
export const FILE_KEY_BYTES = 32;
export const TAG_BYTES = 16;
export const NONCE_PREFIX_BYTES = 7;
/** A wrapped file key: 32 bytes of AES-256-GCM ciphertext and its tag. */
export const WRAPPED_KEY_BYTES = FILE_KEY_BYTES + TAG_BYTES;

/** 64 KiB segments: big enough to amortise a cipher per segment, small enough to stream. */
export const DEFAULT_SEGMENT_EXPONENT = 16;
/** Readers accept 1 KiB to 4 MiB segments, so that a header cannot ask for unbounded buffers. */
export const MIN_SEGMENT_EXPONENT = 10;
export const MAX_SEGMENT_EXPONENT = 22;

/** The counter is 32 bits; a segment index above this is refused rather than wrapped. */
export const MAX_SEGMENT_INDEX = 0xffff_ffff;

/** The metadata segment's plaintext has a fixed size, so that a reader knows where the final segment starts. */
export const METADATA_BYTES = 320;
export const METADATA_SEGMENT_BYTES = METADATA_BYTES + TAG_BYTES;
export const MAX_NAME_BYTES = 255;

export const MIN_SALT_BYTES = 16;
export const MAX_SALT_BYTES = 64;
export const SALT_BYTES = 16;

/** What the payload holds: a file's (or stdin's) bytes, or a tar stream of a directory. */
export const ContentKind = { File: 0, Tar: 1 } as const;
export type ContentKind = (typeof ContentKind)[keyof typeof ContentKind];

export const StanzaType = { Pbkdf2: 1, Scrypt: 2, X25519: 3 } as const;
export type StanzaType = (typeof StanzaType)[keyof typeof StanzaType];

/** OWASP 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000;
export const DEFAULT_SCRYPT = { logN: 17, r: 8, p: 1 } as const;

/**
 * Decrypt refuses work factors above these before asking for a passphrase, so
 * that a hostile header cannot pin the CPU or exhaust memory (as age caps
 * scrypt's work factor). scrypt needs 128·N·r bytes and time in proportion to
 * N·r·p; the caps are 8 times the default's memory (128 MiB) and 16 times its
 * work, and about 16 times the default PBKDF2 count. `dec --allow-expensive-kdf`
 * lifts them.
 */
export interface KdfLimits {
  maxPbkdf2Iterations: number;
  /** Bytes: 128·N·r. */
  maxScryptMemory: number;
  /** N·r·p. */
  maxScryptWork: number;
}
export const SCRYPT_WORK_FACTOR = 16;
export const DEFAULT_KDF_LIMITS: KdfLimits = {
  maxPbkdf2Iterations: 10_000_000,
  maxScryptMemory: 2 ** 30,
  maxScryptWork: SCRYPT_WORK_FACTOR * 2 ** DEFAULT_SCRYPT.logN * DEFAULT_SCRYPT.r * DEFAULT_SCRYPT.p,
};
export const NO_KDF_LIMITS: KdfLimits = {
  maxPbkdf2Iterations: Infinity,
  maxScryptMemory: Infinity,
  maxScryptWork: Infinity,
};
/** The largest N that `enc --kdf scrypt --iter N` writes: 1 GiB with r = 8, within the limits above. */
export const MAX_ENC_SCRYPT_LOGN = 20;

/** openssl enc's header: the ASCII magic and an 8-byte salt. */
export const OPENSSL_MAGIC = Buffer.from('Salted__', 'latin1');
export const OPENSSL_SALT_BYTES = 8;
