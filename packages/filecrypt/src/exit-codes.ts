import { isQuartetError, type ErrorKind } from '@quartet/core/errors';
import { codes } from './errors.js';

/** Documented in docs/filecrypt.md; scripts may rely on them. */
export const EXIT = {
  ok: 0,
  bug: 1,
  usage: 2,
  wrongKey: 3,
  integrity: 4,
  notFilecrypt: 5,
  notFound: 6,
  permission: 7,
  exists: 8,
} as const;

const byCode: Record<string, number> = {
  [codes.wrongKey]: EXIT.wrongKey,
  [codes.truncated]: EXIT.integrity,
  [codes.corruptSegment]: EXIT.integrity,
  [codes.trailingData]: EXIT.integrity,
  [codes.headerCorrupt]: EXIT.integrity,
  [codes.checksum]: EXIT.integrity,
  [codes.unsafeArchive]: EXIT.integrity,
  [codes.notFilecrypt]: EXIT.notFilecrypt,
  [codes.unsupportedVersion]: EXIT.notFilecrypt,
  [codes.kdfLimit]: EXIT.notFilecrypt,
  [codes.ageHeader]: EXIT.notFilecrypt,
  [codes.ageArmor]: EXIT.notFilecrypt,
  [codes.notFound]: EXIT.notFound,
  [codes.permission]: EXIT.permission,
  [codes.exists]: EXIT.exists,
  // Ctrl-C at the prompt: the same code as SIGINT.
  [codes.interrupted]: 130,
};

/** Codes without an entry above fall back to their kind. */
const byKind: Readonly<Record<ErrorKind, number>> = {
  validation: EXIT.usage,
  not_found: EXIT.notFound,
  forbidden: EXIT.permission,
  conflict: EXIT.exists,
  unauthenticated: EXIT.wrongKey,
  unavailable: EXIT.bug,
};

/** The exit code for an expected failure, or undefined for a bug. */
export function exitCodeFor(error: unknown): number | undefined {
  if (!isQuartetError(error)) return undefined;
  return byCode[error.code] ?? byKind[error.kind];
}
