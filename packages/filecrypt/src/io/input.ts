import { open, type FileHandle } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { translateFsError, withFsErrors } from './fs-errors.js';
import { markSource } from './positional.js';
import { packDirectory } from './tar.js';

/** Large reads amortise the per-call cost of the stream machinery (Node's default is 16-64 KiB). */
export const READ_SIZE = 256 * 1024;

export interface Input {
  kind: 'file' | 'directory' | 'stdin';
  /** The path as given, or "stdin", for messages. */
  label: string;
  /** Bytes to read, when known (regular files). */
  size?: number;
  name?: string;
  mtimeMs?: number;
  mode?: number;
  chunks: AsyncIterable<Buffer>;
  /** Release the file handle if the chunks are never read to the end. */
  close(): Promise<void>;
}

async function openInput(path: string | undefined, stdin: Readable): Promise<Input> {
  if (path === undefined || path === '-') {
    return { kind: 'stdin', label: 'stdin', chunks: stdin, close: () => Promise.resolve() };
  }
  const handle = await withFsErrors(path, () => open(path, 'r'));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const stats = await handle.stat().catch(async (error: unknown) => {
    await close();
    throw translateFsError(error, path);
  });
  const facts = { label: path, name: basename(resolve(path)), mtimeMs: stats.mtimeMs, mode: stats.mode & 0o7777 };
  if (stats.isDirectory()) {
    await close();
    return { kind: 'directory', ...facts, chunks: packDirectory(path), close: () => Promise.resolve() };
  }
  // Only a regular file has a size worth trusting and offsets to read at; a FIFO or device streams.
  const chunks = readChunks(handle, path, close);
  if (stats.isFile()) markSource(chunks, { fd: handle.fd, size: stats.size });
  return { kind: 'file', ...facts, size: stats.size, chunks, close };
}

/** Open, use, and always release the input. */
export async function withInput<T>(
  path: string | undefined,
  stdin: Readable,
  use: (input: Input) => Promise<T>,
): Promise<T> {
  const input = await openInput(path, stdin);
  try {
    return await use(input);
  } finally {
    await input.close();
  }
}

/**
 * Reads ahead by one chunk: the next read runs in the thread pool while this
 * one is processed. Two buffers take turns, so a chunk is valid only until
 * the next one is asked for; ByteReader copies each chunk at once.
 */
export async function* readChunks(
  handle: FileHandle,
  path: string,
  close: () => Promise<void>,
  size = READ_SIZE,
): AsyncGenerator<Buffer> {
  let free = Buffer.allocUnsafe(size);
  let other = Buffer.allocUnsafe(size);
  const readOne = async (): Promise<Buffer | undefined> => {
    const buffer = free;
    [free, other] = [other, free];
    const { bytesRead } = await handle.read(buffer, 0, size, null);
    if (bytesRead === 0) return undefined;
    return bytesRead === size ? buffer : buffer.subarray(0, bytesRead);
  };
  let next = readOne();
  try {
    for (;;) {
      const chunk = await next;
      if (!chunk) return;
      next = readOne();
      yield chunk;
    }
  } catch (error) {
    throw translateFsError(error, path);
  } finally {
    await next.catch(() => undefined);
    await close();
  }
}
