import { posix } from 'node:path';
import type { ReadEntry } from 'tar';
import { unsafeArchive } from '../errors.js';
import { translateFsError } from './fs-errors.js';
import { streamSink, type Sink } from './sink.js';

/** DIR's contents as a tar stream, entries relative to DIR ("./a/b"), modes and mtimes included. */
export async function* packDirectory(dir: string): AsyncGenerator<Buffer> {
  // Loaded only for directories: node-tar adds a few MiB of resident memory to every run otherwise.
  const { create } = await import('tar');
  // node-tar reads each file in blocks of up to 16 MiB by default, which alone would blow the memory budget.
  const pack = create({ cwd: dir, follow: false, noDirRecurse: false, maxReadSize: 256 * 1024 }, ['.']);
  try {
    for await (const chunk of pack as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    const path = (error as { path?: string }).path ?? dir;
    throw translateFsError(error, path);
  }
}

export interface Extractor {
  sink: Sink;
  /** True when the archive had a "./" entry, which already set the root's mode. */
  hasRoot(): boolean;
}

/**
 * Extract into `dir` (an empty temporary directory), refusing any entry that
 * could write outside it: absolute paths, "..", and links whose targets leave
 * the directory. Modes are applied exactly (umask 0), mtimes are kept.
 */
export async function extractTo(dir: string): Promise<Extractor> {
  const { Unpack } = await import('tar');
  let violation: Error | undefined;
  let root = false;
  const unpack = new Unpack({
    cwd: dir,
    strict: true,
    chmod: true,
    processUmask: 0,
    filter: (path: string, entry) => {
      const problem = violation ? undefined : entryProblem(path, entry as ReadEntry);
      if (problem) violation = unsafeArchive(problem);
      if (!violation && ['.', './'].includes(posix.normalize(path))) root = true;
      return !violation;
    },
  });
  const sink = streamSink(unpack, { end: true, copy: true });
  const check = () => {
    if (violation) throw violation;
  };
  return {
    sink: {
      write: async (chunks) => {
        check();
        await sink.write(chunks).catch((error: unknown) => {
          throw violation ?? translateFsError(error, dir);
        });
        check();
      },
      end: async () => {
        await sink.end();
        check();
      },
    },
    hasRoot: () => root,
  };
}

const ENTRY_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink', 'Link']);

/** Why an entry is refused, or undefined when it stays inside the output directory. */
export function entryProblem(path: string, entry: Pick<ReadEntry, 'type' | 'linkpath'>): string | undefined {
  if (isAbsolute(path)) return `refusing archive entry with an absolute path: ${path}`;
  if (escapes(path)) return `refusing archive entry outside the output directory: ${path}`;
  if (!ENTRY_TYPES.has(entry.type)) return `refusing archive entry of type ${entry.type}: ${path}`;
  const link = entry.linkpath;
  if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
    if (!link || isAbsolute(link)) return `refusing link with an absolute target: ${path} -> ${link ?? ''}`;
    // A symlink's target is relative to its own directory; a hard link's to the archive root.
    const target = entry.type === 'SymbolicLink' ? posix.join(posix.dirname(path), link) : link;
    if (escapes(target)) return `refusing link that points outside the output directory: ${path} -> ${link}`;
  }
  return undefined;
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path);
}

function escapes(path: string): boolean {
  const normal = posix.normalize(path.replaceAll('\\', '/'));
  return normal === '..' || normal.startsWith('../') || path.split(/[\\/]/).includes('..');
}
