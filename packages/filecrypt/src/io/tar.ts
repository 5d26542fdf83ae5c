import type { Sink } from './sink.js';
import { Extraction } from './extract.js';
import { translateFsError } from './fs-errors.js';

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
  /** True when the archive had a "./" entry, which set the root's mode. */
  hasRoot(): boolean;
  /** Release what is open after a failure; the caller removes the directory. */
  abort(): void;
}

/**
 * Extract into `dir` (an empty temporary directory, 0700). Each chunk is
 * parsed and written before write() resolves, so nothing queues up; the first
 * refused entry fails the write, and the caller then removes everything.
 */
export async function extractTo(dir: string, options: { preservePermissions: boolean }): Promise<Extractor> {
  // Loaded only for directory archives, as in packDirectory: node-tar costs every other run memory.
  const { TarReader } = await import('./untar.js');
  const extraction = new Extraction(dir, options);
  const reader = new TarReader(extraction);
  // Synchronous work, reported as the sink's promise.
  const guard = (step: () => void) =>
    new Promise<void>((resolve) => {
      try {
        step();
      } catch (error) {
        throw translateFsError(error, dir);
      }
      resolve();
    });
  return {
    sink: {
      write: (chunks) =>
        guard(() => {
          for (const chunk of chunks) reader.write(chunk);
        }),
      end: () =>
        guard(() => {
          reader.end();
          extraction.finish();
        }),
    },
    hasRoot: () => extraction.root,
    abort: () => extraction.abort(),
  };
}
