import { isQuartetError, type ErrorKind } from '@quartet/core/errors';
import { CommanderError } from 'commander';

/** Exit codes by kind of expected failure; anything else is a bug and exits 1 with its stack. */
const EXIT_CODES: Readonly<Record<ErrorKind, number>> = {
  validation: 2,
  not_found: 3,
  conflict: 4,
  forbidden: 5,
  unauthenticated: 5,
  unavailable: 6,
};

/** The one handler both bins use: one line on stderr and an exit code. */
export function exitOnError(bin: string, error: unknown): never {
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
  if (isQuartetError(error)) {
    process.stderr.write(`${bin}: ${error.message}\n`);
    process.exit(EXIT_CODES[error.kind]);
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ECONNREFUSED') {
    process.stderr.write(`${bin}: ${(error as Error).message}\n`);
    process.exit(EXIT_CODES.unavailable);
  }
  process.stderr.write(
    `${bin}: unexpected error\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
