import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, open, rename, rm, utimes, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { outputExists } from '../errors.js';
import { registerTemporary, removeTemporary, unregisterTemporary } from './cleanup.js';
import { translateFsError, withFsErrors } from './fs-errors.js';
import type { Sink } from './sink.js';

export interface Finish {
  /** Permission bits to set before the rename. */
  mode?: number;
  mtimeMs?: number;
  /** Rename to this path instead (dec --restore-name); must be in the same directory. */
  finalPath?: string;
}

/**
 * An output file that appears complete or not at all: bytes go to a
 * temporary file beside the target, which is fsynced and renamed into place
 * only by commit(). abort() (and the signal handler) remove it.
 */
export class AtomicFile {
  private constructor(
    readonly path: string,
    readonly tempPath: string,
    private readonly handle: FileHandle,
    private readonly force: boolean,
  ) {}

  /** `private` files (plaintext) start as 0600; others get the umask's default. */
  static async create(path: string, options: { force: boolean; private: boolean }): Promise<AtomicFile> {
    if (!options.force && existsSync(path)) throw outputExists(path);
    const tempPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    registerTemporary(tempPath);
    try {
      // A missing directory is what is not found, not the file about to be written.
      const handle = await withFsErrors(existsSync(dirname(path)) ? path : dirname(path), () =>
        open(tempPath, 'wx', options.private ? 0o600 : 0o666),
      );
      return new AtomicFile(path, tempPath, handle, options.force);
    } catch (error) {
      unregisterTemporary(tempPath);
      throw error;
    }
  }

  sink(): Sink {
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
    if (!this.force && target !== this.path && existsSync(target)) throw outputExists(target);
    await withFsErrors(this.path, async () => {
      if (finish.mode !== undefined) await this.handle.chmod(finish.mode);
      await this.handle.sync();
      await this.handle.close();
      if (finish.mtimeMs) await utimes(this.tempPath, new Date(), new Date(finish.mtimeMs));
      await rename(this.tempPath, target);
    });
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

  static async create(path: string, options: { force: boolean }): Promise<AtomicDirectory> {
    if (!options.force && existsSync(path)) throw outputExists(path);
    const tempPath = await withFsErrors(existsSync(dirname(path)) ? path : dirname(path), () =>
      mkdtemp(join(dirname(path), `.${basename(path)}.`)),
    );
    registerTemporary(tempPath);
    await chmod(tempPath, 0o700);
    return new AtomicDirectory(path, tempPath, options.force);
  }

  /** `mode` for the root when the archive did not set it; `finalPath` as for files. */
  async commit(finish: { mode?: number; finalPath?: string } = {}): Promise<string> {
    const target = finish.finalPath ?? this.path;
    if (!this.force && existsSync(target)) throw outputExists(target);
    await withFsErrors(target, async () => {
      if (finish.mode !== undefined) await chmod(this.tempPath, finish.mode);
      if (this.force) await rm(target, { recursive: true, force: true });
      await rename(this.tempPath, target);
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
