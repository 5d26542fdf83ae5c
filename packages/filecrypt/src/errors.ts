import type { ErrorKind } from '@quartet/core';

/**
 * The same shape as @quartet/core's QuartetError: a kind and a stable code
 * that cli.ts maps to an exit code; the message is the one line the user sees.
 * Not imported from core at run time: core's one entry point also loads
 * better-sqlite3, drizzle, pino, bcrypt and zod, about 23 MiB of resident
 * memory, which alone would break filecrypt's 64 MiB budget.
 */
export class FilecryptError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;

  constructor(kind: ErrorKind, code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
    this.code = code;
  }
}

export const codes = {
  wrongKey: 'WRONG_KEY',
  notFilecrypt: 'NOT_FILECRYPT',
  unsupportedVersion: 'UNSUPPORTED_VERSION',
  headerCorrupt: 'HEADER_CORRUPT',
  truncated: 'TRUNCATED',
  corruptSegment: 'CORRUPT_SEGMENT',
  trailingData: 'TRAILING_DATA',
  checksum: 'CHECKSUM_MISMATCH',
  kdfLimit: 'KDF_LIMIT',
  tooLarge: 'TOO_LARGE',
  unsafeArchive: 'UNSAFE_ARCHIVE',
  usage: 'USAGE',
  notFound: 'NOT_FOUND',
  permission: 'PERMISSION_DENIED',
  exists: 'OUTPUT_EXISTS',
  interrupted: 'INTERRUPTED',
} as const;

const invalid = (code: string, message: string) => new FilecryptError('validation', code, message);

export const wrongKey = (hint = '') =>
  new FilecryptError('unauthenticated', codes.wrongKey, `wrong passphrase or key${hint}`);
export const notFilecrypt = () => invalid(codes.notFilecrypt, 'not a filecrypt file');
export const unsupportedVersion = (version: number) =>
  invalid(codes.unsupportedVersion, `unsupported filecrypt format version ${version} (this filecrypt reads version 1)`);
export const headerCorrupt = () => invalid(codes.headerCorrupt, 'header is corrupted');
export const truncated = () => invalid(codes.truncated, 'truncated');
export const corruptSegment = (segment: number) => invalid(codes.corruptSegment, `corrupted at segment ${segment}`);
export const trailingData = () => invalid(codes.trailingData, 'unexpected data after the final segment');
export const checksumMismatch = (what: string) =>
  invalid(codes.checksum, `plaintext ${what} does not match the encrypted metadata`);
export const kdfLimit = (what: string) => invalid(codes.kdfLimit, `refusing to decrypt: ${what}`);
export const tooLarge = () => invalid(codes.tooLarge, 'input too large for format version 1 (more than 2^32 segments)');
export const unsafeArchive = (message: string) => invalid(codes.unsafeArchive, message);
export const usage = (message: string) => invalid(codes.usage, message);
export const notFound = (path: string) => new FilecryptError('not_found', codes.notFound, `file not found: ${path}`);
export const permissionDenied = (path: string) =>
  new FilecryptError('forbidden', codes.permission, `permission denied: ${path}`);
export const outputExists = (path: string) =>
  new FilecryptError('conflict', codes.exists, `${path} already exists; use --force to overwrite it`);

export class InterruptedError extends FilecryptError {
  constructor(readonly signal: NodeJS.Signals) {
    super('unavailable', codes.interrupted, `interrupted by ${signal}`);
  }
}
