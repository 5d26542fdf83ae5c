import { exitCodeByKind as EXIT_CODES, isQuartetError } from '@quartet/core/errors';
import { CommanderError } from 'commander';

/** The one handler both bins use: one line on stderr and core's exit code for the kind; anything else is a bug (exit 1, stack). */
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
