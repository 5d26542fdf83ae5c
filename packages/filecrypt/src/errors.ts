import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  ValidationError,
} from '@quartet/core/errors';

/**
 * filecrypt's expected failures, as @quartet/core's QuartetError classes with
 * a stable code that exit-codes.ts maps to an exit code; the message is the
 * one line the user sees. Imported through the `@quartet/core/errors` subpath,
 * which loads that one module: core's main entry also loads better-sqlite3,
 * drizzle, pino, bcrypt and zod (about 23 MiB resident), which alone would
 * break filecrypt's 64 MiB budget.
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
  ageHeader: 'AGE_HEADER',
  ageArmor: 'AGE_ARMOR',
} as const;

const invalid = (code: string, message: string) => new ValidationError(message, { code });

export const wrongKey = (hint = '') => new UnauthenticatedError(`wrong passphrase or key${hint}`, codes.wrongKey);
export const notFilecrypt = () => invalid(codes.notFilecrypt, 'not a filecrypt file');
export const notOpenssl = () => invalid(codes.notFilecrypt, 'not an openssl enc file (no Salted__ header)');
export const notAge = () =>
  invalid(codes.notFilecrypt, 'not an age file (no age-encryption.org/v1 header or age armor)');
/** An unauthenticated format is never chosen by sniffing its header: the user opts in. */
export const opensslNeedsFlag = () =>
  invalid(
    codes.notFilecrypt,
    'this is an openssl enc file (Salted__), which has no integrity protection; add --format openssl to decrypt it anyway',
  );
export const unsupportedVersion = (version: number) =>
  invalid(codes.unsupportedVersion, `unsupported filecrypt format version ${version} (this filecrypt reads version 1)`);
export const headerCorrupt = () => invalid(codes.headerCorrupt, 'header is corrupted');
export const truncated = () => invalid(codes.truncated, 'truncated');
export const corruptSegment = (segment: number) => invalid(codes.corruptSegment, `corrupted at segment ${segment}`);
export const trailingData = () => invalid(codes.trailingData, 'unexpected data after the final segment');
export const checksumMismatch = (what: string) =>
  invalid(codes.checksum, `plaintext ${what} does not match the encrypted metadata`);
export const kdfLimit = (what: string) =>
  invalid(codes.kdfLimit, `refusing to decrypt: ${what}; --allow-expensive-kdf accepts it`);
export const kdfFailed = (what: string) => invalid(codes.kdfLimit, `cannot derive the key: ${what}`);
export const tooLarge = () => invalid(codes.tooLarge, 'input too large for format version 1 (more than 2^32 segments)');
export const unsafeArchive = (message: string) => invalid(codes.unsafeArchive, message);
export const usage = (message: string) => invalid(codes.usage, message);
export const notFound = (path: string) => new NotFoundError(`file not found: ${path}`, codes.notFound);
export const permissionDenied = (path: string) => new ForbiddenError(`permission denied: ${path}`, codes.permission);
export const outputExists = (path: string) =>
  new ConflictError(`${path} already exists; use --force to overwrite it`, codes.exists);

/**
 * age format failures (age-encryption.org/v1). A header or armor that does
 * not parse is "not a filecrypt file" territory (exit 5); a header cut short
 * and a header MAC mismatch are integrity failures (exit 4), as for the
 * native format; payload damage reuses the native integrity codes with age's
 * word for a segment, the chunk.
 */
export const ageHeader = (what: string) => invalid(codes.ageHeader, `not a valid age header: ${what}`);
export const ageArmor = (what: string) => invalid(codes.ageArmor, `not a valid age armor: ${what}`);
export const ageHeaderTruncated = () => invalid(codes.truncated, 'truncated (the age header is incomplete)');
export const ageHeaderMac = () => invalid(codes.headerCorrupt, 'header is corrupted');
export const ageNoMatch = () => new UnauthenticatedError('no identity matched any of the recipients', codes.wrongKey);
export const ageWorkFactor = (logN: number, max: number) =>
  invalid(
    codes.kdfLimit,
    `refusing to decrypt: scrypt work factor ${logN} is over the limit ${max}; --max-work-factor ${logN} accepts it`,
  );
export const ageCorruptChunk = (chunk: number) => invalid(codes.corruptSegment, `corrupted at chunk ${chunk}`);
export const ageEmptyFinalChunk = (chunk: number) =>
  invalid(codes.corruptSegment, `corrupted at chunk ${chunk} (an empty final chunk)`);
export const ageTrailingData = () => invalid(codes.trailingData, 'unexpected data after the final chunk');
export const ageTruncated = () => invalid(codes.truncated, 'truncated (no final chunk)');

/** Ctrl-C at the passphrase prompt, where the terminal is raw and SIGINT is not raised. */
export class InterruptedError extends UnavailableError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`, codes.interrupted);
  }
}
