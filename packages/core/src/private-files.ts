import { chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Files that hold secrets (password hashes, TOTP secrets, private keys) are
 * the owner's alone: directories 0700, files 0600, whatever the umask says.
 * Nothing here prints: callers get a warning line to show, or nothing.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Create `dir` and any missing parents 0700; an existing directory is left as it is. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Make sure `file` exists and only its owner can read or write it: a missing
 * file is created empty with mode 0600; an existing one that others could read
 * or write is changed to 0600, and the warning for that is returned.
 */
export function ensurePrivateFile(file: string): string | undefined {
  try {
    closeSync(openSync(file, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, PRIVATE_FILE_MODE));
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return tightenMode(file);
}

/** chmod 0600 a file that group or others can use; returns the warning line, or undefined if it was already private. */
export function tightenMode(file: string): string | undefined {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) === 0) return undefined;
  chmodSync(file, mode & 0o700 ? mode & 0o700 : PRIVATE_FILE_MODE);
  const now = statSync(file).mode & 0o777;
  return `warning: ${basename(file)} was open to other users (mode ${octal(mode)}); changed it to ${octal(now)}`;
}

/** tightenMode for each file that exists; the warnings of those that changed. */
export function tightenModes(files: readonly string[]): string[] {
  return files.filter((file) => existsSync(file)).flatMap((file) => tightenMode(file) ?? []);
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
