import { read } from 'node:fs';
import { open } from 'node:fs/promises';
import { promisify } from 'node:util';
import { usage } from '../errors.js';
import { withFsErrors } from './fs-errors.js';

/** A file or descriptor that never ends its first line (/dev/zero, say) must not fill memory. */
export const MAX_LINE_BYTES = 64 * 1024;

const readAsync = promisify(read);

/**
 * How `openssl enc -kfile` reads a passphrase: the bytes before the first LF,
 * less any CR bytes at the end of them. A CR elsewhere is part of it, and no
 * byte is decoded as text.
 */
export function passphraseLine(bytes: Buffer): Buffer {
  const lf = bytes.indexOf(0x0a);
  let end = lf === -1 ? bytes.length : lf;
  while (end > 0 && bytes[end - 1] === 0x0d) end -= 1;
  return bytes.subarray(0, end);
}

/** The first line of a file, reading no further than needed. */
export async function readFileLine(path: string): Promise<Buffer> {
  const handle = await withFsErrors(path, () => open(path, 'r'));
  try {
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= MAX_LINE_BYTES) {
      const chunk = Buffer.alloc(4096);
      const { bytesRead } = await withFsErrors(path, () => handle.read(chunk, 0, chunk.length, null));
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (chunk.subarray(0, bytesRead).includes(0x0a)) break;
    }
    const line = passphraseLine(Buffer.concat(chunks));
    if (line.length > MAX_LINE_BYTES) throw tooLong(path);
    return line;
  } finally {
    await handle.close();
  }
}

/**
 * The first line of a descriptor, read one byte at a time, as gpg's
 * --passphrase-fd and openssl's -pass fd:N do: whatever follows the LF is left
 * for the next reader of a shared pipe or file, and a writer that keeps the
 * descriptor open after the line does not keep filecrypt waiting for its end.
 * The descriptor is the caller's and stays open.
 */
export async function readFdLine(fd: number): Promise<Buffer> {
  const line = Buffer.alloc(MAX_LINE_BYTES + 1);
  let length = 0;
  while (length < line.length) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await readAsync(fd, line, length, 1, null));
    } catch (error) {
      // A descriptor inherited in non-blocking mode has nothing to read yet: wait for the writer.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      throw usage(`cannot read the passphrase from fd ${fd}: ${(error as Error).message}`);
    }
    if (bytesRead === 0 || line[length] === 0x0a) break;
    length += 1;
  }
  if (length > MAX_LINE_BYTES) throw tooLong(`fd ${fd}`);
  return passphraseLine(line.subarray(0, length));
}

function tooLong(where: string) {
  return usage(`the passphrase line from ${where} is longer than ${MAX_LINE_BYTES} bytes`);
}
