import { constants, lstatSync } from 'node:fs';
import { chmod, link, mkdir, open, rename, rm, rmdir, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { outputExists } from '../errors.js';
import { registerTemporary, removeTemporary, unregisterTemporary } from './cleanup.js';
import { translateFsError, withFsErrors } from './fs-errors.js';
import { markSink } from './positional.js';
import type { Sink } from './sink.js';
import { removeStaleTemporaries, temporaryPath } from './temporary.js';

export interface Finish {
  /** Permission bits to set before the rename. */
  mode?: number;
  mtimeMs?: number;
  /** Rename to this path instead (dec --restore-name); must be in the same directory. */
  finalPath?: string;
}

export interface CreateOptions {
  force: boolean;
  /** Told about each stale temporary file removed from the output's directory. */
  warn?: (line: string) => void;
}

/** Anything at `path`, a dangling symbolic link included. */
export function pathExists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/**
 * An output file that appears complete or not at all: bytes go to a
 * temporary file beside the target, which is fsynced and moved into place
 * only by commit(). abort() (and the signal handler) remove it. Without
 * --force the move is a hard link, which fails if anything has appeared at the
 * target since the run began, so that nothing is ever replaced by a race.
 */
export class AtomicFile {
  private constructor(
    readonly path: string,
    readonly tempPath: string,
    private readonly handle: FileHandle,
    private readonly force: boolean,
  ) {}

  /** `private` files (plaintext, keys) are created 0600, exclusively; others get the umask's default. */
  static async create(path: string, options: CreateOptions & { private: boolean }): Promise<AtomicFile> {
    if (!options.force && pathExists(path)) throw outputExists(path);
    prepareDirectory(path, options.warn);
    const tempPath = temporaryPath(path);
    registerTemporary(tempPath);
    try {
      // A missing directory is what is not found, not the file about to be written.
      const handle = await withFsErrors(pathExists(dirname(path)) ? path : dirname(path), () =>
        open(tempPath, 'wx', options.private ? 0o600 : 0o666),
      );
      return new AtomicFile(path, tempPath, handle, options.force);
    } catch (error) {
      unregisterTemporary(tempPath);
      throw error;
    }
  }

  /** Marked with the descriptor: an engine may write the (empty, fresh) temporary file at offsets instead. */
  sink(): Sink {
    return markSink(this.streamingSink(), { fd: this.handle.fd });
  }

  private streamingSink(): Sink {
    return {
      write: async (chunks) => {
        let pending = chunks;
        while (pending.length > 0) {
          const { bytesWritten } = await this.handle.writev(pending).catch((error: unknown) => {
            throw translateFsError(error, this.path);
          });
          pending = dropWritten(pending, bytesWritten);
        }
      },
      end: () => Promise.resolve(),
    };
  }

  async commit(finish: Finish = {}): Promise<string> {
    const target = finish.finalPath ?? this.path;
    if (!this.force && pathExists(target)) throw outputExists(target);
    await withFsErrors(this.path, async () => {
      // Through the descriptor, never the path: nothing else's mode or mtime can be changed by a swapped name.
      if (finish.mode !== undefined) await this.handle.chmod(finish.mode);
      if (finish.mtimeMs) await this.handle.utimes(new Date(), new Date(finish.mtimeMs));
      await this.handle.sync();
      await this.handle.close();
    });
    if (this.force) await withFsErrors(target, () => rename(this.tempPath, target));
    else await placeNew(this.tempPath, target);
    unregisterTemporary(this.tempPath);
    await syncDirectory(dirname(target));
    return target;
  }

  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    removeTemporary(this.tempPath);
  }
}

/**
 * A directory that appears complete or not at all (directory extraction):
 * built under a temporary name beside the target, then renamed into place.
 */
export class AtomicDirectory {
  private constructor(
    readonly path: string,
    readonly tempPath: string,
    private readonly force: boolean,
  ) {}

  static async create(path: string, options: CreateOptions): Promise<AtomicDirectory> {
    if (!options.force && pathExists(path)) throw outputExists(path);
    prepareDirectory(path, options.warn);
    const tempPath = temporaryPath(path);
    registerTemporary(tempPath);
    try {
      await withFsErrors(pathExists(dirname(path)) ? path : dirname(path), () => mkdir(tempPath, { mode: 0o700 }));
    } catch (error) {
      unregisterTemporary(tempPath);
      throw error;
    }
    await chmod(tempPath, 0o700);
    return new AtomicDirectory(path, tempPath, options.force);
  }

  /**
   * `mode` for the root when the archive did not set it; `finalPath` as for
   * files. Without --force the target is claimed with mkdir, which fails if
   * anything is there, and only that empty directory of ours is replaced.
   */
  async commit(finish: { mode?: number; finalPath?: string } = {}): Promise<string> {
    const target = finish.finalPath ?? this.path;
    if (finish.mode !== undefined) await withFsErrors(target, () => chmod(this.tempPath, finish.mode!));
    if (this.force) {
      await withFsErrors(target, () => rm(target, { recursive: true, force: true }));
    } else {
      await mkdir(target, { mode: 0o700 }).catch((error: unknown) => {
        throw (error as NodeJS.ErrnoException).code === 'EEXIST'
          ? outputExists(target)
          : translateFsError(error, target);
      });
    }
    await withFsErrors(target, () => rename(this.tempPath, target)).catch(async (error: unknown) => {
      // Give back the claimed target (rmdir removes it only while it is still empty).
      if (!this.force) await rmdir(target).catch(() => undefined);
      throw error;
    });
    unregisterTemporary(this.tempPath);
    await syncDirectory(dirname(target));
    return target;
  }

  abort(): Promise<void> {
    removeTemporary(this.tempPath);
    return Promise.resolve();
  }
}

/** Remove what killed runs left beside the output, and say so. */
function prepareDirectory(path: string, warn: ((line: string) => void) | undefined): void {
  for (const { path: stale, pid } of removeStaleTemporaries(dirname(path))) {
    warn?.(`removed ${stale}, a temporary file left by process ${pid}, which is gone`);
  }
}

/**
 * Move `temp` to `target` only if nothing is at `target`: link() fails with
 * EEXIST where rename() would replace. File systems without hard links get
 * the same guarantee from an exclusive create of the target, which the rename
 * then replaces.
 */
async function placeNew(temp: string, target: string): Promise<void> {
  const exists = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EEXIST';
  try {
    await link(temp, target);
    await unlink(temp);
    return;
  } catch (error) {
    if (exists(error)) throw outputExists(target);
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EMLINK', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) {
      throw translateFsError(error, target);
    }
  }
  const claim = await open(target, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600).catch(
    (error: unknown) => {
      throw exists(error) ? outputExists(target) : translateFsError(error, target);
    },
  );
  await claim.close();
  await withFsErrors(target, () => rename(temp, target));
}

/** Make the rename itself durable. Some file systems refuse to fsync a directory; that is not an error. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}

function dropWritten(chunks: Buffer[], written: number): Buffer[] {
  let left = written;
  let index = 0;
  while (index < chunks.length && left >= chunks[index]!.length) left -= chunks[index++]!.length;
  const rest = chunks.slice(index);
  if (left > 0 && rest[0]) rest[0] = rest[0].subarray(left);
  return rest;
}
