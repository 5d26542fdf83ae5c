import { markSource, positionalSource } from './positional.js';

/** Show a bar only where it helps: an interactive stderr and an input big enough to wait for. */
const PROGRESS_MIN_BYTES = 32 * 1024 * 1024;

export function wantsProgress(options: { quiet: boolean; stderrIsTTY: boolean; size: number | undefined }): boolean {
  return !options.quiet && options.stderrIsTTY && options.size !== undefined && options.size > PROGRESS_MIN_BYTES;
}

export interface Progress {
  update: (bytes: number) => void;
  done: () => void;
}

/** Redraws only when the whole percentage changes, so the cost is 100 writes per run at most. */
export function progressBar(total: number, write: (text: string) => void, width = 30): Progress {
  let shown = -1;
  const draw = (bytes: number) => {
    const percent = Math.min(100, Math.floor((bytes / total) * 100));
    if (percent === shown) return;
    shown = percent;
    const filled = Math.round((percent / 100) * width);
    const mib = (n: number) => (n / 1048576).toFixed(1);
    write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${mib(Math.min(bytes, total))}/${mib(total)} MiB`,
    );
  };
  return {
    update: draw,
    done: () => {
      if (shown >= 0) write('\n');
    },
  };
}

/** Count bytes as they are read, for the progress bar. */
export async function* counted(
  chunks: AsyncIterable<Buffer>,
  onBytes: (total: number) => void,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.length;
    onBytes(total);
    yield chunk;
  }
}

/** The chunks, counted into a progress bar when one is wanted; call done() at the end either way. */
export function withProgress(
  chunks: AsyncIterable<Buffer>,
  size: number | undefined,
  options: { quiet: boolean; stderrIsTTY: boolean; write: (text: string) => void },
): { chunks: AsyncIterable<Buffer>; done: () => void } {
  if (!wantsProgress({ ...options, size })) return { chunks, done: () => undefined };
  const bar = progressBar(size!, options.write);
  const wrapped = counted(chunks, bar.update);
  // A fast path that reads the file by offset never pulls the chunks: it reports to the bar itself.
  const source = positionalSource(chunks);
  if (source) markSource(wrapped, { ...source, onProgress: bar.update });
  return { chunks: wrapped, done: bar.done };
}
