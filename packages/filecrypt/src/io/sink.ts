import { once } from 'node:events';
import type { EventEmitter } from 'node:events';

/** Where output bytes go: a temporary file, stdout, or a tar extractor. */
export interface Sink {
  write(chunks: Buffer[]): Promise<void>;
  /** Flush and finish; the sink owner still decides whether the result is kept. */
  end(): Promise<void>;
}

/**
 * Groups small buffers into ~256 KiB writes and keeps one write in flight
 * while the next batch is being produced, so that I/O overlaps the cipher.
 */
export class BatchWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly batchSize = 256 * 1024,
  ) {}

  async push(...buffers: Buffer[]): Promise<void> {
    for (const buffer of buffers) {
      if (buffer.length === 0) continue;
      this.batch.push(buffer);
      this.batchBytes += buffer.length;
    }
    if (this.batchBytes >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    const batch = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    if (this.inFlight) await this.inFlight;
    this.inFlight = batch.length > 0 ? this.sink.write(batch) : undefined;
  }

  async end(): Promise<void> {
    await this.flush();
    if (this.inFlight) await this.inFlight;
    this.inFlight = undefined;
    await this.sink.end();
  }

  /** Wait for a write still in flight after a failure, so no rejection goes unhandled. */
  async settle(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }
}

/** What streamSink needs: Node's Writable (stdout) and minipass streams (node-tar) both fit. */
export interface WritableLike extends EventEmitter {
  write(chunk: Buffer): boolean;
  end(): unknown;
}

/** A writable stream with backpressure. */
export function streamSink(stream: WritableLike, options: { end: boolean }): Sink {
  // A holder, not a `let`: TypeScript cannot see the listener assign it.
  const state: { failure?: Error } = {};
  const onError = (error: Error) => {
    state.failure = error;
  };
  const check = () => {
    if (state.failure) throw state.failure;
  };
  stream.on('error', onError);
  return {
    async write(chunks) {
      check();
      // Wait after each refused write: node-tar adds a listener for every write made while it is backed up.
      for (const chunk of chunks) {
        if (!stream.write(chunk)) await once(stream, 'drain');
        check();
      }
    },
    async end() {
      check();
      if (options.end) {
        const finished = once(stream, 'finish');
        stream.end();
        await finished;
      }
      stream.off('error', onError);
    },
  };
}

/** A sink that drops everything, for `inspect`'s verification pass. */
export function discardSink(): Sink {
  return { write: () => Promise.resolve(), end: () => Promise.resolve() };
}
