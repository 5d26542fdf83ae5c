import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  QuartetError,
  UnauthenticatedError,
  ValidationError,
} from '@quartet/core';

/**
 * Every expected failure is one of these, with a stable code that cli.ts maps
 * to an exit code. Messages are the one line the user sees.
 */
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

export const wrongKey = (hint = '') => new UnauthenticatedError(`wrong passphrase or key${hint}`, codes.wrongKey);
export const notFilecrypt = () => new ValidationError('not a filecrypt file', { code: codes.notFilecrypt });
export const unsupportedVersion = (version: number) =>
  new ValidationError(`unsupported filecrypt format version ${version} (this filecrypt reads version 1)`, {
    code: codes.unsupportedVersion,
  });
export const headerCorrupt = () => new ValidationError('header is corrupted', { code: codes.headerCorrupt });
export const truncated = () => new ValidationError('truncated', { code: codes.truncated });
export const corruptSegment = (segment: number) =>
  new ValidationError(`corrupted at segment ${segment}`, { code: codes.corruptSegment });
export const trailingData = () =>
  new ValidationError('unexpected data after the final segment', { code: codes.trailingData });
export const checksumMismatch = (what: string) =>
  new ValidationError(`plaintext ${what} does not match the encrypted metadata`, { code: codes.checksum });
export const kdfLimit = (what: string) => new ValidationError(`refusing to decrypt: ${what}`, { code: codes.kdfLimit });
export const unsafeArchive = (message: string) => new ValidationError(message, { code: codes.unsafeArchive });
export const usage = (message: string) => new ValidationError(message, { code: codes.usage });
export const notFound = (path: string) => new NotFoundError(`file not found: ${path}`, codes.notFound);
export const permissionDenied = (path: string) => new ForbiddenError(`permission denied: ${path}`, codes.permission);
export const outputExists = (path: string) =>
  new ConflictError(`${path} already exists; use --force to overwrite it`, codes.exists);

export class InterruptedError extends QuartetError {
  constructor(readonly signal: NodeJS.Signals) {
    super('unavailable', codes.interrupted, `interrupted by ${signal}`);
  }
}
export const tooLarge = () =>
  new ValidationError('input too large for format version 1 (more than 2^32 segments)', { code: codes.tooLarge });
