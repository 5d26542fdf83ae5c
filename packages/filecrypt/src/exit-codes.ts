import { codes, FilecryptError } from './errors.js';

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
  [codes.notFound]: EXIT.notFound,
  [codes.permission]: EXIT.permission,
  [codes.exists]: EXIT.exists,
};

/** The exit code for an expected failure, or undefined for a bug. */
export function exitCodeFor(error: unknown): number | undefined {
  if (!(error instanceof FilecryptError)) return undefined;
  if (error.code === codes.interrupted) return 130;
  return byCode[error.code] ?? (error.kind === 'validation' ? EXIT.usage : undefined) ?? kindCode[error.kind];
}

const kindCode: Record<string, number> = {
  not_found: EXIT.notFound,
  forbidden: EXIT.permission,
  conflict: EXIT.exists,
  unauthenticated: EXIT.wrongKey,
  unavailable: EXIT.bug,
};
