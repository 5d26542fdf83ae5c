import type { ErrorKind } from '@quartet/core/errors';

/** 0 ok, 1 refused by the bank, 2 bad input or usage, 3 authentication failed, 6 the database is not answering. */
export const EXIT = { ok: 0, refused: 1, usage: 2, auth: 3, databaseUnavailable: 6 } as const;

export const exitCodeByKind: Readonly<Record<ErrorKind, number>> = {
  validation: EXIT.usage,
  not_found: EXIT.refused,
  conflict: EXIT.refused,
  forbidden: EXIT.refused,
  unavailable: EXIT.refused,
  unauthenticated: EXIT.auth,
};
