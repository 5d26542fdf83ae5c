import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ValidationError } from '@quartet/core/errors';

/**
 * Write a whole file or nothing: into a temporary file beside it, flushed to
 * disk, then renamed over the target (rename is atomic within a directory).
 * A reader never sees a half-written statement, and a failure leaves any
 * previous file as it was. The temporary file is created 0600 with O_EXCL
 * (a statement is personal financial data, whatever the umask; a name someone
 * planted, even as a symlink, is refused), and rename keeps that mode.
 */
export function writeFileAtomic(file: string, content: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx', 0o600);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ValidationError(`cannot write ${file}: ${code === 'ENOENT' ? 'no such directory' : code}`, {
      code: 'CANNOT_WRITE',
    });
  }
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
