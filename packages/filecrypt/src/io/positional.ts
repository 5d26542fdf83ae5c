import type { Sink } from './sink.js';

/**
 * Marks on the objects src/io/ hands to the commands, so that an engine can
 * tell a regular file from a pipe without the commands knowing: a file
 * input's chunks carry its descriptor and size, an AtomicFile's sink its
 * descriptor. With both, the engine may read and write at computed offsets
 * (and from several threads) instead of streaming; without, it streams.
 */
export interface PositionalSource {
  fd: number;
  /** Bytes in the file when it was opened; the fast path reads exactly these. */
  size: number;
  /** Told the input bytes processed so far (the progress bar); streaming counts them itself. */
  onProgress?: (bytes: number) => void;
}

export interface PositionalSink {
  fd: number;
}

const SOURCE = Symbol('filecrypt.positionalSource');
const SINK = Symbol('filecrypt.positionalSink');

type Marked<M> = Record<symbol, M | undefined>;

export function markSource<T extends object>(chunks: T, source: PositionalSource): T {
  (chunks as unknown as Marked<PositionalSource>)[SOURCE] = source;
  return chunks;
}

export function positionalSource(chunks: object): PositionalSource | undefined {
  return (chunks as Marked<PositionalSource>)[SOURCE];
}

export function markSink(sink: Sink, target: PositionalSink): Sink {
  (sink as unknown as Marked<PositionalSink>)[SINK] = target;
  return sink;
}

export function positionalSink(sink: Sink): PositionalSink | undefined {
  return (sink as unknown as Marked<PositionalSink>)[SINK];
}
